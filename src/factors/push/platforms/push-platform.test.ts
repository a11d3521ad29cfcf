import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { apnsPayload } from './apns.ts';
import { fcmMessage } from './fcm.ts';
import { Http2Origin } from './http2-origin.ts';
import { retryAfterMs, type ChallengeNotification } from './push-platform.ts';

const notification: ChallengeNotification = {
  deviceToken: 'a'.repeat(64),
  challengeSid: `YC${'1'.repeat(32)}`,
  factorSid: `YF${'2'.repeat(32)}`,
  title: 'Acme Bank',
  message: 'Approve the transfer?',
  expiresAt: Date.UTC(2026, 0, 1, 12, 5),
};

describe('push platform helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date (RFC 9110 §10.2.3)', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    assert.equal(retryAfterMs('120', now), 120_000);
    assert.equal(retryAfterMs('0', now), 0);
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 12:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 11:00:00 GMT', now), 0);
    assert.equal(retryAfterMs('soon', now), null);
    assert.equal(retryAfterMs(undefined, now), null);
  });

  it('puts only the message and the sids in a notification: nothing to answer with', () => {
    const apns = JSON.stringify(apnsPayload(notification));
    const fcm = JSON.stringify(fcmMessage(notification, Date.UTC(2026, 0, 1, 12)));
    for (const text of [apns, fcm]) {
      assert.deepEqual(Object.keys(JSON.parse(text)).sort(), text === apns ? ['aps', 'challenge_sid', 'factor_sid', 'message', 'type'] : ['message']);
      assert.ok(!/number|hidden|fields/.test(text), 'no number to match, hidden details or fields');
    }
  });

  it('gives FCM the seconds left before the notification expires as its ttl, never negative', () => {
    const message = fcmMessage(notification, Date.UTC(2026, 0, 1, 12)) as { message: { android: { ttl: string } } };
    assert.equal(message.message.android.ttl, '300s');
    const late = fcmMessage(notification, Date.UTC(2026, 0, 1, 13)) as { message: { android: { ttl: string } } };
    assert.equal(late.message.android.ttl, '0s');
  });

  it('gives up on a server that accepts the connection and never finishes the TLS handshake, and reconnects', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const origin = new Http2Origin({ origin: `https://127.0.0.1:${port}`, timeoutMs: 300 });
    let timer: NodeJS.Timeout | undefined;
    const within = (ms: number) => new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still pending'), ms)));
    try {
      for (let i = 0; i < 2; i++) {
        const outcome = await Promise.race([origin.request('POST', '/3/device/x', {}, '{}').then(() => 'answered', (error: Error) => error.message), within(3000)]);
        clearTimeout(timer);
        assert.match(outcome, /timeout/);
      }
      assert.equal(sockets.length, 2, 'the stalled connection was dropped and a new one opened');
    } finally {
      clearTimeout(timer);
      origin.close();
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
