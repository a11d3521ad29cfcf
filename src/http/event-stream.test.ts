import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import type { AppContext } from '../context.ts';
import { BUS_RESYNC_TOPIC, InProcessEventBus, type BusMessage } from '../events/event-bus.ts';
import { openEventStream, refreshWhileOpen } from './event-stream.ts';

/** A promise and its resolve function. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('streams refreshed by notification (no polling)', { timeout: 20_000 }, () => {
  const bus = new InProcessEventBus<BusMessage>();
  const ctx = { bus, logger: pino({ level: 'silent' }) } as unknown as AppContext;
  let app: FastifyInstance;
  let base: string;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  /** What each stream's refresh does, by stream name (set by each test before it opens streams). */
  let onRefresh: (name: string) => Promise<void> = async () => undefined;
  const opened: http.ClientRequest[] = [];
  const open = (name: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = http.get(`${base}/s/${name}`, { agent }, (res) => {
        res.once('data', () => resolve());
        res.resume();
      });
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
      opened.push(req);
    });

  before(async () => {
    app = Fastify();
    app.get<{ Params: { name: string } }>('/s/:name', async (request, reply) => {
      const stream = openEventStream(ctx, request, reply);
      await refreshWhileOpen(ctx, stream, { topic: `t:${request.params.name}`, logContext: {} }, () => onRefresh(request.params.name));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(async () => {
    for (const req of opened) req.destroy();
    bus.publish('shutdown', { type: 'shutdown', resourceSid: '' });
    await app.close();
    agent.destroy();
  });

  it('re-reads after a message that arrived during a refresh (no change committed meanwhile is missed)', async () => {
    let calls = 0;
    const first = deferred();
    const blocked = deferred();
    const second = deferred();
    const initial = deferred();
    onRefresh = async (name) => {
      if (name !== 'race') return;
      calls++;
      if (calls === 1) return initial.resolve();
      if (calls === 2) {
        blocked.resolve();
        return first.promise;
      }
      second.resolve();
    };
    await open('race');
    await initial.promise;
    bus.publish('t:race', { type: 'changed', resourceSid: 'A' });
    await blocked.promise;
    // Published while the second refresh is still reading: a third one must follow it.
    bus.publish('t:race', { type: 'changed-again', resourceSid: 'A' });
    first.resolve();
    await second.promise;
    assert.equal(calls, 3);
  });

  it('re-reads every open stream after a resync, 8 at a time, and never on its own while idle', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `resync-${i}`);
    let initialDone = 0;
    const allOpen = deferred();
    let phase: 'open' | 'resync' = 'open';
    let started = 0;
    let others = 0;
    let running = 0;
    let most = 0;
    const gate = deferred();
    const allResynced = deferred();
    onRefresh = async (name) => {
      if (!name.startsWith('resync-')) {
        // The previous test's stream is still open: it is re-read too, in the same 8 slots.
        if (phase === 'resync') others++;
        return;
      }
      if (phase === 'open') {
        if (++initialDone === names.length) allOpen.resolve();
        return;
      }
      started++;
      running++;
      most = Math.max(most, running);
      await gate.promise;
      running--;
      if (started === names.length && running === 0) allResynced.resolve();
    };
    await Promise.all(names.map(open));
    await allOpen.promise;
    assert.equal(started, 0, 'nothing re-read without a message');
    phase = 'resync';
    bus.publish(BUS_RESYNC_TOPIC, { type: 'resync', resourceSid: '' });
    assert.equal(started + others, 8, 'the first 8 start at once, the rest wait');
    gate.resolve();
    await allResynced.promise;
    assert.equal(started, names.length, 'every open stream re-read once');
    assert.ok(most <= 8, `at most 8 at once (saw ${most})`);
  });
});
