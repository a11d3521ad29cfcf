import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { AppContext } from '../../context.ts';
import { ManualClock } from '../../crypto/clock.ts';
import { InProcessEventBus } from '../../events/event-bus.ts';
import { installErrorHandling } from '../../http/error-handler.ts';
import { serializerCompiler, validatorCompiler } from '../../http/schema/validation.ts';
import type { DeliveryStatusReport } from '../../messaging/delivery-status.ts';
import { migrateToLatest, openDatabase, type Db } from '../../store/database.ts';
import { SimMessagesStore } from '../../store/sim-messages-store.ts';
import type { CallEvents } from '../../voice/voice-provider.ts';
import type { ProviderDeps } from '../provider-plugin.ts';
import type { DeliveryProvider, OutboundMessage } from '../provider.ts';
import { loadVerityConfig } from '../registry.ts';
import { simulatorPlugin } from './simulator-plugin.ts';

let db: Db;
let app: FastifyInstance;
const reports: DeliveryStatusReport[] = [];
const providers: Record<string, DeliveryProvider> = {};

/**
 * Two simulator instances (two simulated carriers, as a failover demo configures them) built as
 * create-providers builds them, on one database and one app: they share one inbox and one set of
 * routes, and a status set by hand goes out as the receipt of the instance that accepted the message.
 */
before(async () => {
  db = openDatabase('sqlite::memory:');
  await migrateToLatest(db);
  // Far-off statuses: the carrier's own sequence never fires during the test (closing the app stops it).
  const config = loadVerityConfig({ NODE_ENV: 'test', VERITY_SIMULATOR_LATENCY_MS: '600000', VERITY_SIMULATOR_DELIVERY: 'sim-b:+1555=reject' });
  const deps = (instance: string): ProviderDeps => ({
    config,
    stores: { simMessages: new SimMessagesStore(db.kysely) },
    clock: new ManualClock(),
    logger: pino({ level: 'silent' }),
    events: () => ({}) as CallEvents,
    instance,
    deliveryStatus: {
      async report(report) {
        reports.push(report);
        return report.attemptId === 'DA-unknown' ? 'unknown' : 'recorded';
      },
    },
  });
  app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler({ mode: 'fail', violations: [] }));
  installErrorHandling(app, () => 'http://127.0.0.1');
  await app.register(formbody);
  const ctx = { bus: new InProcessEventBus() } as unknown as AppContext;
  // One store object for both, as the app has one StoreSet.
  const shared = deps('sim-a').stores;
  for (const instance of ['sim-a', 'sim-b']) {
    const built = simulatorPlugin.delivery?.create({ ...deps(instance), stores: shared });
    assert.ok(built?.routes, 'the simulator has routes');
    providers[instance] = built.provider;
    await built.routes(app, ctx);
  }
});
after(async () => {
  await app.close();
  await db.close();
});

function sms(to: string, attemptId: string): OutboundMessage {
  return { channel: 'sms', to, body: 'Your code is 424242', locale: 'en', verificationSid: 'VE00000000000000000000000000000000', attemptId };
}

const setStatus = (id: string, payload: Record<string, string>) => app.inject({ method: 'POST', url: `/sim/v1/messages/${id}/status`, payload });

test('a status set by hand is the accepting instance\'s receipt, and shows in the shared inbox', async () => {
  const a = await providers['sim-a']?.send(sms('+14155550001', 'DA01'));
  const b = await providers['sim-b']?.send(sms('+14155550001', 'DA02'));
  assert.ok(a && b, 'both instances accepted');
  const inbox = await app.inject({ method: 'GET', url: `/sim/v1/inbox/${encodeURIComponent('+14155550001')}` });
  assert.equal(inbox.statusCode, 200, inbox.body);
  assert.deepEqual(
    inbox.json().messages.map((m: { id: string; status: string }) => [m.id, m.status]),
    [
      [b.providerMessageId, 'queued'],
      [a.providerMessageId, 'queued'],
    ],
  );

  const res = await setStatus(b.providerMessageId, { status: 'undelivered', error_code: '30006' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().report, 'recorded');
  assert.deepEqual([res.json().message.status, res.json().message.error_code], ['undelivered', '30006']);
  const last = reports.at(-1);
  assert.deepEqual([last?.provider, last?.providerMessageId, last?.attemptId, last?.status, last?.errorCode, last?.errorMessage], ['sim-b', b.providerMessageId, 'DA02', 'undelivered', '30006', 'Landline or unreachable carrier']);

  const delivered = await setStatus(a.providerMessageId, { status: 'delivered' });
  assert.equal(delivered.statusCode, 200, delivered.body);
  assert.equal(reports.at(-1)?.provider, 'sim-a');
  // The same status again repeats the receipt (a carrier retrying); another one is refused and reports nothing.
  const repeated = await setStatus(a.providerMessageId, { status: 'delivered' });
  assert.equal(repeated.statusCode, 200, repeated.body);
  assert.deepEqual([reports.at(-1)?.status, reports.at(-1)?.providerMessageId], ['delivered', a.providerMessageId]);
  const count = reports.length;
  const again = await setStatus(a.providerMessageId, { status: 'undelivered' });
  assert.equal(again.statusCode, 400);
  assert.deepEqual([again.json().code, again.json().message], [60306, 'Invalid Request: The message is already delivered']);
  assert.equal(reports.length, count);
});

test('default error codes, an unknown attempt, and malformed requests', async () => {
  const m = await providers['sim-a']?.send(sms('+14155550002', 'DA-unknown'));
  assert.ok(m, 'accepted');
  const res = await setStatus(m.providerMessageId, { status: 'failed' });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual([res.json().report, res.json().message.error_code], ['unknown', '30008']);

  const missing = await setStatus('SIM0123456789abcdef0123456789abcdef', { status: 'delivered' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 20404);
  assert.equal((await setStatus('not-an-id', { status: 'delivered' })).statusCode, 404);
  for (const payload of [{}, { status: 'queued' }, { status: 'read' }, { status: 'failed', error_code: 'no spaces' }] as Record<string, string>[]) {
    const bad = await setStatus(m.providerMessageId, payload);
    assert.equal(bad.statusCode, 400, JSON.stringify(payload));
    assert.equal(bad.json().code, 60200, JSON.stringify(payload));
  }
});

test('each instance applies the rules meant for it: sim-b rejects +1555, sim-a delivers', async () => {
  await assert.rejects(providers['sim-b']?.send(sms('+15550001111', 'DA03')) ?? Promise.resolve(), /sim-b throttled/);
  const ok = await providers['sim-a']?.send(sms('+15550001111', 'DA04'));
  assert.match(ok?.providerMessageId ?? '', /^SIM[0-9a-f]{32}$/);
});
