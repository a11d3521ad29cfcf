import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { WebhookDeliveryRow } from '../store/schema.ts';
import { createStores, type Stores } from '../store/unit-of-work.ts';
import type { EventType } from './event-types.ts';
import { openEventsFixture, startReceiver, type EventsFixture, type Receiver } from '../../test/support/events-fixture.ts';
import { recordEvent } from './record-event.ts';
import { retryDelayMs, WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.ts';
import { verifyWebhookSignature } from './webhook-signature.ts';
import { createWebhook, deleteWebhook, updateWebhook } from './webhooks-store.ts';
import type { OutboundAddressPolicy } from '../net/outbound-address-policy.ts';

const LOOPBACK_ALLOWED: OutboundAddressPolicy = { allowLoopback: true, allowedNetworks: [] };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  f: EventsFixture;
  receiver: Receiver;
  webhookSid: string;
  secret: string;
  dispatcher(options?: Partial<WebhookDispatcherOptions>): WebhookDispatcher;
  record(type?: EventType, tx?: Pick<Stores, 'outbox'>, resourceSid?: string): Promise<string>;
  deliveries(): Promise<WebhookDeliveryRow[]>;
}

let subjects = 0;

async function setup(webhookUrl?: string): Promise<Setup> {
  const f = await openEventsFixture();
  cleanups.push(() => f.close());
  const receiver = await startReceiver();
  cleanups.push(() => receiver.close());
  const { row, secret } = await createWebhook(f.stores.webhooks, f.keyring, f.clock, {
    accountSid: f.accountSid,
    serviceSid: f.serviceSid,
    friendlyName: 'receiver',
    eventTypes: ['*'],
    webhookUrl: webhookUrl ?? receiver.url,
  });
  return {
    f,
    receiver,
    webhookSid: row.sid,
    secret,
    dispatcher: (options = {}) => {
      // The receiver listens on 127.0.0.1: loopback is allowed explicitly, as development does.
      const d = new WebhookDispatcher({ deliveries: f.stores.webhookDeliveries, keyring: f.keyring, clock: f.clock, logger: f.logger, timeoutMs: 2000, maxAttempts: 5, addressPolicy: LOOPBACK_ALLOWED, ...options });
      cleanups.push(() => d.stop());
      return d;
    },
    // Each event about a subject of its own unless told (one subject's deliveries go one at a time, in order).
    record: (type = 'verification.approved', tx = f.stores, resourceSid = 'VE' + String(++subjects).padStart(32, '0')) =>
      recordEvent(tx, f.clock, { accountSid: f.accountSid, serviceSid: f.serviceSid, type, resourceSid, payload: { status: 'approved', to: '+15005550006' } }),
    deliveries: () => f.db.kysely.selectFrom('webhook_deliveries').selectAll().orderBy('date_created').execute(),
  };
}

test('delivers a signed JSON body with the documented headers', async () => {
  const s = await setup();
  const eventSid = await s.record();
  assert.equal(await s.dispatcher().runOnce(), 1);

  assert.equal(s.receiver.hits.length, 1);
  const hit = s.receiver.hits[0]!;
  assert.equal(hit.method, 'POST');
  assert.equal(hit.url, '/hooks');
  assert.equal(hit.headers['content-type'], 'application/json');
  assert.equal(hit.headers['user-agent'], 'Verity-Webhooks/1');
  assert.equal(hit.headers['verity-event-id'], eventSid);
  assert.equal(hit.headers['verity-event-type'], 'verification.approved');
  const signature = hit.headers['verity-signature'];
  assert.equal(typeof signature, 'string');
  const nowSeconds = Math.floor(s.f.clock.now() / 1000);
  assert.equal(verifyWebhookSignature(s.secret, signature as string, hit.body, { nowSeconds }), true);
  assert.equal(verifyWebhookSignature('wrong', signature as string, hit.body, { nowSeconds }), false);
  assert.deepEqual(JSON.parse(hit.body), {
    id: eventSid,
    type: 'verification.approved',
    created: new Date(s.f.clock.now()).toISOString(),
    account_sid: s.f.accountSid,
    service_sid: s.f.serviceSid,
    data: { status: 'approved', to: '+15005550006' },
  });

  const [delivery] = await s.deliveries();
  assert.equal(delivery?.status, 'delivered');
  assert.equal(delivery?.attempts, 1);
  assert.equal(delivery?.last_status_code, 200);
  assert.equal(delivery?.lease_until, 0);
  assert.equal(await s.dispatcher().runOnce(), 0);
  assert.equal(s.receiver.hits.length, 1);
});

test('retries with exponential backoff and delivers on the third attempt', async () => {
  const s = await setup();
  s.receiver.statuses.push(500, 500);
  await s.record();
  const dispatcher = s.dispatcher();

  assert.equal(await dispatcher.runOnce(), 1);
  let [d] = await s.deliveries();
  assert.equal(d?.status, 'pending');
  assert.equal(d?.attempts, 1);
  assert.equal(d?.last_status_code, 500);
  assert.equal(d?.last_error, 'HTTP 500');
  const firstDelay = (d?.next_attempt_at ?? 0) - s.f.clock.now();
  assert.ok(firstDelay >= 4000 && firstDelay <= 6000, `first retry after ${firstDelay} ms`);

  s.f.clock.advance(firstDelay - 1);
  assert.equal(await dispatcher.runOnce(), 0, 'not before the backoff elapsed');
  s.f.clock.advance(1);
  assert.equal(await dispatcher.runOnce(), 1);
  [d] = await s.deliveries();
  assert.equal(d?.attempts, 2);
  const secondDelay = (d?.next_attempt_at ?? 0) - s.f.clock.now();
  assert.ok(secondDelay >= 8000 && secondDelay <= 12000, `second retry after ${secondDelay} ms`);

  s.f.clock.advance(secondDelay - 1);
  assert.equal(await dispatcher.runOnce(), 0);
  s.f.clock.advance(1);
  assert.equal(await dispatcher.runOnce(), 1);
  [d] = await s.deliveries();
  assert.equal(d?.status, 'delivered');
  assert.equal(d?.attempts, 3);
  assert.equal(d?.last_status_code, 200);
  assert.equal(d?.last_error, null);
  assert.equal(s.receiver.hits.length, 3);
});

test('backoff doubles from 5 s, is capped at 1 h and jittered by ±20 %', () => {
  assert.equal(retryDelayMs(1, () => 0.5), 5000);
  assert.equal(retryDelayMs(2, () => 0.5), 10_000);
  assert.equal(retryDelayMs(3, () => 0.5), 20_000);
  assert.equal(retryDelayMs(30, () => 0.5), 3_600_000);
  assert.equal(retryDelayMs(1, () => 0), 4000);
  assert.equal(retryDelayMs(1, () => 0.999999), 6000);
  assert.equal(retryDelayMs(40, () => 0.75), 3_960_000);
});

test('a delivery is marked failed after maxAttempts', async () => {
  const s = await setup();
  s.receiver.statuses.push(500, 503, 502, 500);
  await s.record();
  const dispatcher = s.dispatcher({ maxAttempts: 3 });
  for (let i = 0; i < 3; i++) {
    assert.equal(await dispatcher.runOnce(), 1);
    s.f.clock.advance(3_600_000 * 1.2);
  }
  const [d] = await s.deliveries();
  assert.equal(d?.status, 'failed');
  assert.equal(d?.attempts, 3);
  assert.equal(d?.last_status_code, 502);
  assert.equal(d?.last_error, 'HTTP 502');
  assert.equal(await dispatcher.runOnce(), 0);
  assert.equal(s.receiver.hits.length, 3);
});

test('network errors are recorded as a generic reason: no URL (it may hold a token), no system error, no address or port', async () => {
  const closed = await startReceiver();
  const url = `${closed.url}?token=s3cret-token`;
  await closed.close();
  const s = await setup(url);
  await s.record();
  assert.equal(await s.dispatcher().runOnce(), 1);
  const [d] = await s.deliveries();
  assert.equal(d?.status, 'pending');
  assert.equal(d?.attempts, 1);
  assert.equal(d?.last_status_code, null);
  // "connect ECONNREFUSED 127.0.0.1:<port>" would make the admin console a port scanner.
  assert.equal(d?.last_error, 'connection failed');
});

test('redirects are not followed', async () => {
  const s = await setup();
  s.receiver.statuses.push(302);
  s.receiver.respond.headers = { Location: '/elsewhere' };
  await s.record();
  assert.equal(await s.dispatcher().runOnce(), 1);
  assert.equal(s.receiver.hits.length, 1);
  const [d] = await s.deliveries();
  assert.equal(d?.status, 'pending');
  assert.equal(d?.last_status_code, 302);
  assert.match(d?.last_error ?? '', /redirects are not followed/);
});

test('a delivery whose webhook was deleted or disabled is failed without being sent', async () => {
  const s = await setup();
  await s.record();
  await deleteWebhook(s.f.stores.webhooks, s.f.serviceSid, s.webhookSid);
  assert.equal(await s.dispatcher().runOnce(), 1);
  const [d] = await s.deliveries();
  assert.equal(d?.status, 'failed');
  assert.equal(d?.attempts, 0);
  assert.equal(d?.last_error, 'webhook deleted');

  const { row: disabled } = await createWebhook(s.f.stores.webhooks, s.f.keyring, s.f.clock, {
    accountSid: s.f.accountSid,
    serviceSid: s.f.serviceSid,
    friendlyName: 'soon disabled',
    eventTypes: ['*'],
    webhookUrl: s.receiver.url,
  });
  const eventSid = await s.record();
  await updateWebhook(s.f.stores.webhooks, s.f.clock, s.f.serviceSid, disabled.sid, { status: 'disabled' });
  assert.equal(await s.dispatcher().runOnce(), 1);
  const later = await s.f.db.kysely.selectFrom('webhook_deliveries').selectAll().where('event_sid', '=', eventSid).executeTakeFirstOrThrow();
  assert.equal(later.status, 'failed');
  assert.equal(later.last_error, 'webhook disabled');
  assert.equal(s.receiver.hits.length, 0);
});

test('durability: a delivery abandoned by a killed process is delivered exactly once after its lease expires', async () => {
  const s = await setup();
  const eventSid = await s.record();

  // "Process A" claims the delivery, then dies before the request completes.
  const stuck = new WebhookDispatcher({
    deliveries: s.f.stores.webhookDeliveries,
    keyring: s.f.keyring,
    clock: s.f.clock,
    logger: s.f.logger,
    timeoutMs: 2000,
    maxAttempts: 5,
    leaseMs: 30_000,
    addressPolicy: LOOPBACK_ALLOWED,
    post: () => new Promise<{ status: number }>(() => undefined),
  });
  void stuck.runOnce();
  for (let i = 0; i < 100 && ((await s.deliveries())[0]?.lease_until ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 5));
  const [leased] = await s.deliveries();
  assert.equal(leased?.lease_until, s.f.clock.now() + 30_000);
  await s.f.db.close();

  // "Process B" opens the same file after a restart.
  const db = s.f.reopen();
  const restarted = s.dispatcher({ deliveries: createStores(db).webhookDeliveries, leaseMs: 30_000 });
  assert.equal(await restarted.runOnce(), 0, 'the lease still holds');
  assert.equal(s.receiver.hits.length, 0);
  s.f.clock.advance(30_000);
  assert.equal(await restarted.runOnce(), 1);
  assert.equal(await restarted.runOnce(), 0);
  s.f.clock.advance(3_600_000);
  assert.equal(await restarted.runOnce(), 0);

  assert.equal(s.receiver.hits.length, 1);
  assert.equal(s.receiver.hits[0]?.headers['verity-event-id'], eventSid);
  const row = await db.kysely.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
  assert.equal(row.status, 'delivered');
  assert.equal(row.attempts, 1);
});

test('durability: an event committed but never dispatched is delivered after a restart', async () => {
  const s = await setup();
  await s.f.stores.transaction((tx) => s.record('verification.canceled', tx));
  await s.f.db.close();
  const db = s.f.reopen();
  assert.equal(await s.dispatcher({ deliveries: createStores(db).webhookDeliveries }).runOnce(), 1);
  assert.equal(s.receiver.hits.length, 1);
  assert.equal(s.receiver.hits[0]?.headers['verity-event-type'], 'verification.canceled');
});

test('two dispatchers sharing a database never deliver the same event twice', async () => {
  const s = await setup();
  const events = new Set<string>();
  for (let i = 0; i < 25; i++) events.add(await s.record());
  const a = s.dispatcher({ batchSize: 10 });
  const b = s.dispatcher({ deliveries: createStores(s.f.reopen()).webhookDeliveries, batchSize: 10 });
  let attempted = 0;
  for (let round = 0; round < 5; round++) {
    // Both select the same due rows; the conditional claim lets only one of them send each.
    const counts = await Promise.all(round % 2 === 0 ? [a.runOnce(), b.runOnce()] : [b.runOnce(), a.runOnce()]);
    attempted += counts[0] + counts[1];
  }
  assert.equal(attempted, 25);
  assert.equal(s.receiver.hits.length, 25);
  const delivered = s.receiver.hits.map((h) => h.headers['verity-event-id']);
  assert.equal(new Set(delivered).size, 25);
  assert.deepEqual(new Set(delivered), events);
  assert.ok((await s.deliveries()).every((d) => d.status === 'delivered' && d.attempts === 1), "expected (await s.deliveries()).every((d) => d.status === 'delivered' && d.attempts === 1)");
});

test('start() polls in the background and wake() delivers without waiting for the interval', async () => {
  const s = await setup();
  // start() polls once at once (nothing is due yet): wait for that poll, so what follows is wake()'s doing.
  const store = s.f.stores.webhookDeliveries;
  let firstPoll!: () => void;
  const polled = new Promise<void>((resolve) => (firstPoll = resolve));
  const deliveries = Object.assign(Object.create(store) as typeof store, {
    readyEndpoints: async (...args: Parameters<typeof store.readyEndpoints>) => {
      const due = await store.readyEndpoints(...args);
      firstPoll();
      return due;
    },
  });
  const dispatcher = s.dispatcher({ pollIntervalMs: 60_000, deliveries });
  dispatcher.start();
  await polled;
  await s.record();
  dispatcher.wake();
  await s.receiver.waitForHits(1);
  await dispatcher.stop();
  assert.equal(s.receiver.hits.length, 1);
});

test('stop() cuts off deliveries in flight and gives them back to the queue at once, no attempt counted', async () => {
  const s = await setup();
  // The receiver never answers: only stop() can end the request.
  s.receiver.respond.delayMs = 3_600_000;
  await s.record();
  const dispatcher = s.dispatcher({ timeoutMs: 30_000 });
  const run = dispatcher.runOnce();
  await s.receiver.waitForHits(1);
  await dispatcher.stop();
  assert.equal(await run, 1);
  const [row] = await s.deliveries();
  assert.deepEqual([row?.status, row?.attempts, row?.lease_until, row?.claim_token], ['pending', 0, 0, null]);
  // At least once: any dispatcher sends it again right away.
  s.receiver.respond.delayMs = 0;
  assert.equal(await s.dispatcher().runOnce(), 1);
  assert.equal((await s.deliveries())[0]?.status, 'delivered');
});
