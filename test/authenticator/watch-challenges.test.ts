import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerityApiError } from '../../src/authenticator/authenticator-error.ts';
import { watchChallenges } from '../../src/authenticator/watch-challenges.ts';
import type { DeviceChallenge } from '../../src/factors/push/push-protocol.ts';

const event = (sid: string) => `event: challenge\ndata: ${JSON.stringify({ sid, status: 'pending' })}\n\n`;

async function* body(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

/** A device whose successive stream connections do what `connections` say. */
function fakeDevice(connections: Array<string | Error>) {
  let opened = 0;
  return {
    factorSid: 'YF0123',
    get opened() {
      return opened;
    },
    async openChallengeStream(): Promise<AsyncIterable<Uint8Array>> {
      const next = connections[opened++];
      if (next === undefined) throw new VerityApiError(401, 20003, 'Authenticate: unknown factor');
      if (next instanceof Error) throw next;
      return body(next);
    },
  };
}

const fast = { firstBackoffMs: 1, maxBackoffMs: 4, shortStreamMs: 0 };

describe('watching the challenge stream', () => {
  it('reconnects when a stream ends (its device token expired) and retries transient failures', async () => {
    const device = fakeDevice([
      `: connected\n\n${event('YC1')}`,
      new Error('fetch failed'),
      new VerityApiError(503, 20503, 'Service unavailable'),
      `${event('YC1')}${event('YC2')}event: other\ndata: {}\n\nevent: challenge\ndata: {not json\n\n`,
    ]);
    const seen: string[] = [];
    const notices: string[] = [];
    let connections = 0;
    // After the four scripted connections the fake refuses with 401: a refusal no retry can fix.
    await assert.rejects(
      watchChallenges(device, { signal: new AbortController().signal, onChallenge: (c: DeviceChallenge) => seen.push(c.sid), onConnected: () => connections++, onNotice: (t) => notices.push(t), timing: fast }),
      (error: unknown) => error instanceof VerityApiError && error.httpStatus === 401,
    );
    assert.deepEqual(seen, ['YC1', 'YC1', 'YC2']);
    assert.equal(connections, 2);
    assert.equal(device.opened, 5);
    assert.equal(notices.filter((n) => /interrupted \(fetch failed\); reconnecting/.test(n)).length, 1);
    assert.equal(notices.filter((n) => /interrupted \(Service unavailable .*HTTP 503\)/.test(n)).length, 1);
    assert.equal(notices.filter((n) => /not JSON/.test(n)).length, 1);
  });

  it('backs off when streams keep ending at once, and stops when aborted', async () => {
    const device = fakeDevice(Array.from({ length: 1000 }, () => ''));
    const controller = new AbortController();
    const notices: string[] = [];
    setTimeout(() => controller.abort(), 300);
    await watchChallenges(device, { signal: controller.signal, onChallenge: () => undefined, onNotice: (t) => notices.push(t), timing: { firstBackoffMs: 10, maxBackoffMs: 80, shortStreamMs: 1_000 } });
    // 10 + 20 + 40 + 80 + 80 … ms: a handful of attempts in 300 ms, not a busy loop.
    assert.ok(device.opened >= 3 && device.opened <= 8, `${device.opened} connections`);
    assert.match(notices[0] ?? '', /the stream ended at once/);
  });
});
