import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { followEvents, VerityApiError, type StreamEvent } from '@verity/sdk';
import { pause, startSseServer, type SseServer } from './sse-server.ts';

const servers: SseServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

async function server(script: Parameters<typeof startSseServer>[0]): Promise<SseServer> {
  const started = await startSseServer(script);
  servers.push(started);
  return started;
}

/** Follows `url` and records what was delivered, with fast timings for tests. */
async function follow(url: string, options: Partial<Parameters<typeof followEvents>[1]> = {}) {
  const delivered: Array<StreamEvent> = [];
  const result = await followEvents(url, {
    reconnectDelayMs: 10,
    gapTimeoutMs: 200,
    signal: AbortSignal.timeout(5_000),
    ...options,
    onEvent: async (event) => {
      delivered.push(event);
      await options.onEvent?.(event);
    },
  });
  return { result, delivered, ids: delivered.map((e) => e.id) };
}

describe('followEvents', () => {
  it('delivers events in sequence order, drops duplicates and stops when the server closes the stream', async () => {
    const sse = await server(async (c) => {
      c.send(1, 'queued');
      c.send(3, 'answered');
      c.send(2, 'ringing');
      c.send(2, 'ringing');
      c.send(1, 'queued');
      await pause(20);
      c.send(4, 'approved', { sequence: 4, event: 'approved', call_sid: 'CA1' });
      c.end();
    });
    const { result, delivered, ids } = await follow(sse.url);
    assert.deepEqual(ids, [1, 2, 3, 4]);
    assert.deepEqual(
      delivered.map((e) => e.event),
      ['queued', 'ringing', 'answered', 'approved'],
    );
    assert.deepEqual(delivered[3]?.data, { sequence: 4, event: 'approved', call_sid: 'CA1' });
    assert.deepEqual(result, { reason: 'ended', lastEventId: 4 });
    assert.equal(sse.requests.length, 1, 'a clean close is not followed by a reconnect');
    assert.equal(sse.requests[0]?.['last-event-id'], undefined);
    assert.equal(sse.requests[0]?.accept, 'text/event-stream');
  });

  it('holds an event after a gap until the gap timeout, then drops the late one', async () => {
    const seenAt: number[] = [];
    const start = performance.now();
    const sse = await server(async (c) => {
      c.send(1, 'a');
      c.send(3, 'c');
      await pause(400);
      c.send(2, 'b');
      c.send(4, 'd');
      c.end();
    });
    const { ids } = await follow(sse.url, { gapTimeoutMs: 100, onEvent: () => void seenAt.push(performance.now() - start) });
    assert.deepEqual(ids, [1, 3, 4], 'sequence 2 came after the gap was given up, so it is dropped');
    assert.ok((seenAt[1] ?? 0) >= 100, `3 waited for the gap timeout (${seenAt[1]} ms)`);
    assert.ok((seenAt[1] ?? Infinity) < 400, `3 did not wait for 2 (${seenAt[1]} ms)`);
  });

  it('releases held events when the server ends the stream with a gap', async () => {
    const sse = await server((c) => {
      c.send(2, 'b');
      c.send(4, 'd');
      c.send(3, 'c');
      c.end();
    });
    const { ids, result } = await follow(sse.url, { gapTimeoutMs: 10_000 });
    assert.deepEqual(ids, [2, 3, 4]);
    assert.equal(result.lastEventId, 4);
  });

  it('reconnects after a dropped connection with Last-Event-ID and skips what it already delivered', async () => {
    const sse = await server(async (c) => {
      if (c.index === 0) {
        c.send(1, 'queued');
        c.send(2, 'ringing');
        await pause(30);
        c.drop();
        return;
      }
      // The server resumes after Last-Event-ID, but sends one event twice on purpose.
      c.send(2, 'ringing');
      c.send(3, 'answered');
      c.send(4, 'approved');
      c.end();
    });
    const { ids, result } = await follow(sse.url);
    assert.deepEqual(ids, [1, 2, 3, 4]);
    assert.equal(result.reason, 'ended');
    assert.equal(sse.requests.length, 2);
    assert.equal(sse.requests[0]?.['last-event-id'], undefined);
    assert.equal(sse.requests[1]?.['last-event-id'], '2');
  });

  it('keeps an out-of-order event across a reconnect and fills the gap from the new connection', async () => {
    const sse = await server(async (c) => {
      if (c.index === 0) {
        c.send(1, 'a');
        c.send(3, 'c');
        await pause(30);
        return c.drop();
      }
      assert.equal(c.headers['last-event-id'], '1');
      c.send(2, 'b');
      c.send(3, 'c');
      c.end();
    });
    const { ids } = await follow(sse.url, { gapTimeoutMs: 10_000 });
    assert.deepEqual(ids, [1, 2, 3]);
    assert.equal(sse.requests.length, 2);
  });

  it('resumes from lastEventId', async () => {
    const sse = await server((c) => {
      for (const sequence of [3, 4, 5, 6]) c.send(sequence, 'x');
      c.end();
    });
    const { ids } = await follow(sse.url, { lastEventId: 4 });
    assert.deepEqual(ids, [5, 6]);
    assert.equal(sse.requests[0]?.['last-event-id'], '4');
  });

  it('backs off between failed connections, doubling the delay', async () => {
    const sse = await server((c) => {
      if (c.index < 3) return c.drop();
      c.send(1, 'done');
      c.end();
    });
    const { ids } = await follow(sse.url, { reconnectDelayMs: 40 });
    assert.deepEqual(ids, [1]);
    const [first, second, third, fourth] = sse.arrivals as [number, number, number, number];
    // Timers never fire early, so the waits are at least 40, 80 and 160 ms.
    assert.ok(second - first >= 39, `first wait ${second - first} ms`);
    assert.ok(third - second >= 79, `second wait ${third - second} ms`);
    assert.ok(fourth - third >= 159, `third wait ${fourth - third} ms`);
  });

  it('retries a 503 after its Retry-After', async () => {
    const sse = await server((c) => {
      if (c.index === 0) {
        c.res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' });
        return void c.res.end('{"code":20500,"message":"Internal error","status":503}');
      }
      c.send(1, 'ok');
      c.end();
    });
    const { ids } = await follow(sse.url);
    assert.deepEqual(ids, [1]);
    assert.equal(sse.requests.length, 2);
  });

  it('rejects with VerityApiError for a 404 and does not retry', async () => {
    const sse = await server((c) => {
      c.res.writeHead(404, { 'content-type': 'application/json' });
      c.res.end(JSON.stringify({ code: 20404, message: 'The requested resource /events/v1/Challenges/YC0 was not found', more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 }));
    });
    await assert.rejects(follow(sse.url), (error: unknown) => {
      assert.ok(error instanceof VerityApiError, 'expected error instanceof VerityApiError');
      assert.equal(error.code, 20404);
      assert.equal(error.status, 404);
      assert.equal(error.moreInfo, 'https://www.twilio.com/docs/errors/20404');
      return true;
    });
    assert.equal(sse.requests.length, 1);
  });

  it('stops when the signal aborts, delivering nothing more', async () => {
    const sse = await server(async (c) => {
      c.send(1, 'queued');
      c.res.write(': keep-alive\n\n');
      await pause(2_000);
      c.send(2, 'late');
    });
    const abort = new AbortController();
    const { ids, result } = await follow(sse.url, { signal: abort.signal, onEvent: () => void setTimeout(() => abort.abort(), 20) });
    assert.deepEqual(ids, [1]);
    assert.deepEqual(result, { reason: 'aborted', lastEventId: 1 });
  });

  it('with isFinal, follows again after a clean close that came before the final event', async () => {
    const sse = await server((c) => {
      if (c.index === 0) c.send(1, 'created');
      else c.send(2, 'approved');
      c.end();
    });
    const { ids, result } = await follow(sse.url, { isFinal: (e) => e.event === 'approved' });
    assert.deepEqual(ids, [1, 2]);
    assert.equal(result.reason, 'ended');
    assert.equal(sse.requests[1]?.['last-event-id'], '1');
  });

  it('rejects with the error of onEvent and stops reading', async () => {
    const sse = await server((c) => {
      c.send(1, 'a');
      c.send(2, 'b');
      c.send(3, 'c');
      c.end();
    });
    const seen: number[] = [];
    await assert.rejects(
      followEvents(sse.url, {
        onEvent: (e) => {
          seen.push(e.id ?? 0);
          if (e.id === 2) throw new Error('handler failed');
        },
      }),
      /handler failed/,
    );
    assert.deepEqual(seen, [1, 2]);
  });

  it('delivers events without an id as they come', async () => {
    const sse = await server((c) => {
      c.send(null, 'call', { sid: 'CL1' });
      c.send(null, 'call', { sid: 'CL2' });
      c.end();
    });
    const { delivered } = await follow(sse.url);
    assert.deepEqual(
      delivered.map((e) => [e.id, e.data]),
      [
        [null, { sid: 'CL1' }],
        [null, { sid: 'CL2' }],
      ],
    );
  });

  it('refuses an answer that is not an event stream', async () => {
    const sse = await server((c) => {
      c.res.writeHead(200, { 'content-type': 'text/html' });
      c.res.end('<html></html>');
    });
    await assert.rejects(follow(sse.url), (error: unknown) => error instanceof VerityApiError && /Expected an event stream/.test(error.message));
  });
});
