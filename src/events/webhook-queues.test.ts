import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import { startReceiver, type Receiver } from '../../test/support/events-fixture.ts';
import { DATABASE_KINDS, openTestDatabase, serviceRow, type DatabaseKind } from '../../test/store/test-database.ts';
import { ManualClock } from '../crypto/clock.ts';
import { createKeyring } from '../crypto/keyring.ts';
import { newSid } from '../crypto/random.ts';
import type { OutboundAddressPolicy } from '../net/outbound-address-policy.ts';
import { postToPinnedTarget, type PostToPinnedTarget } from '../net/post-to-pinned-target.ts';
import type { Db } from '../store/database.ts';
import { webhookQueues } from '../store/migrations/0023-webhook-queues.ts';
import { createStores } from '../store/unit-of-work.ts';
import type { EventType } from './event-types.ts';
import { recordEvent } from './record-event.ts';
import { WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.ts';
import { createWebhook } from './webhooks-store.ts';

const LOOPBACK_ALLOWED: OutboundAddressPolicy = { allowLoopback: true, allowedNetworks: [] };

/** A database with one account and `tenants` services (each a tenant with its own webhook), on either dialect. */
async function world(t: TestContext, kind: DatabaseKind) {
  const tdb = await openTestDatabase(kind);
  t.after(() => tdb.close());
  const clock = new ManualClock();
  const keyring = createKeyring(randomBytes(32));
  const logger = pino({ level: 'silent' });
  const stores = createStores(tdb.db);
  const accountSid = newSid('AC');
  const now = clock.now();
  await tdb.db.kysely.insertInto('accounts').values({ sid: accountSid, friendly_name: 't', auth_token_digest: 'x', status: 'active', date_created: now, date_updated: now }).execute();
  let subject = 0;
  return {
    clock,
    db: tdb.db,
    /** A tenant: a service with one webhook to `receiver`. */
    tenant: async (receiver: Receiver) => {
      const service = serviceRow(accountSid, now, { enabled_channels: ['sms'] });
      await stores.services.insert(service);
      const { row } = await createWebhook(stores.webhooks, keyring, clock, { accountSid, serviceSid: service.sid, friendlyName: 'r', eventTypes: ['*'], webhookUrl: receiver.url });
      return {
        webhookSid: row.sid,
        record: (type: EventType = 'verification.approved', resourceSid = 'VE' + String(++subject).padStart(32, '0')) =>
          recordEvent(stores, clock, { accountSid, serviceSid: service.sid, type, resourceSid, payload: { sid: resourceSid, status: type } }),
      };
    },
    dispatcher: (options: Partial<WebhookDispatcherOptions> = {}, db: Db = tdb.db) => {
      const d = new WebhookDispatcher({ deliveries: createStores(db).webhookDeliveries, keyring, clock, logger, timeoutMs: 60_000, maxAttempts: 5, addressPolicy: LOOPBACK_ALLOWED, random: () => 0.5, ...options });
      t.after(() => d.stop());
      return d;
    },
    reopen: () => tdb.reopen(),
    deliveries: (webhookSid: string) => tdb.db.kysely.selectFrom('webhook_deliveries').selectAll().where('webhook_sid', '=', webhookSid).execute(),
    breaker: async (webhookSid: string) => {
      const row = await tdb.db.kysely.selectFrom('webhooks').select(['breaker_failures' as never, 'breaker_open_until' as never]).where('sid', '=', webhookSid).executeTakeFirstOrThrow();
      const { breaker_failures: failures, breaker_open_until: openUntil } = row as { breaker_failures: number | string; breaker_open_until: number | string };
      return { failures: Number(failures), openUntil: Number(openUntil) };
    },
  };
}

async function receiver(t: TestContext): Promise<Receiver> {
  const r = await startReceiver();
  t.after(() => r.close());
  return r;
}

for (const kind of DATABASE_KINDS) {
  test(`${kind.name}: an endpoint that never answers does not hold back another tenant's deliveries`, async (t) => {
    const w = await world(t, kind);
    const slow = await receiver(t);
    const fast = await receiver(t);
    // Never answers while the test runs: only the dispatcher's stop() ends these requests.
    slow.respond.delayMs = 3_600_000;
    const stuck = await w.tenant(slow);
    const other = await w.tenant(fast);
    for (let i = 0; i < 20; i++) await stuck.record();
    for (let i = 0; i < 60; i++) await other.record();

    const dispatcher = w.dispatcher({ concurrency: 4 });
    dispatcher.start();
    await fast.waitForHits(60);
    await slow.waitForHits(4);
    // The fast tenant got everything while the slow endpoint still holds its first requests: none
    // of its deliveries has been attempted to the end, and it never had more than its own slots.
    assert.equal(new Set(fast.hits.map((h) => h.headers['verity-event-id'])).size, 60);
    assert.equal(slow.hits.length, 4, 'the slow endpoint holds only its own 4 slots');
    assert.ok((await w.deliveries(stuck.webhookSid)).every((d) => d.status === 'pending' && d.attempts === 0), 'no slow delivery settled');

    await dispatcher.stop();
    // stop() cut the requests off and released every claim: nothing stays leased until its lease expires.
    assert.ok((await w.deliveries(stuck.webhookSid)).every((d) => d.status === 'pending' && d.lease_until === 0 && d.claim_token === null && d.attempts === 0), 'slow deliveries released');
  });

  test(`${kind.name}: one subject's deliveries go in order on any node, also after a failed attempt`, async (t) => {
    const w = await world(t, kind);
    const r = await receiver(t);
    const tenant = await w.tenant(r);
    const subject = 'VE' + 'b'.repeat(32);
    const nodes = [w.dispatcher(), w.dispatcher({}, w.reopen())];
    // The subject's first delivery fails once (then the receiver answers 200).
    const first = await tenant.record('verification.pending', subject);
    r.statuses.push(500);
    assert.equal(await nodes[0]?.runOnce(), 1);
    const others = [await tenant.record(), await tenant.record()];
    const second = await tenant.record('verification.approved', subject);

    // Both nodes claim: only the other subjects go out; `approved` waits for its failed `pending`.
    const counts = await Promise.all(nodes.map((n) => n.runOnce()));
    assert.equal(counts[0]! + counts[1]!, 2);
    for (const n of nodes) assert.equal(await n.runOnce(), 0, 'the failed head is not due yet, and blocks its subject');
    w.clock.advance(10_000);
    assert.equal(await nodes[1]?.runOnce(), 1, 'the head, retried');
    assert.equal(await nodes[0]?.runOnce(), 1, 'then the next event of the subject');
    const ids = r.hits.map((h) => h.headers['verity-event-id']);
    assert.deepEqual(
      ids.filter((id) => id === first || id === second),
      [first, first, second],
    );
    assert.deepEqual(new Set(ids.filter((id) => id !== first && id !== second)), new Set(others));
  });

  test(`${kind.name}: two dispatchers on one database share a backlog: every delivery once, both working`, async (t) => {
    const w = await world(t, kind);
    const r = await receiver(t);
    const tenants = [await w.tenant(r), await w.tenant(r), await w.tenant(r)];
    const events = new Set<string>();
    for (let i = 0; i < 150; i++) events.add(await tenants[i % 3]!.record());
    // Each node tags its requests; the receiver answers nothing until both nodes have sent, so one
    // node alone (its slots all waiting) cannot drain the backlog: the other must claim the rest.
    let release!: () => void;
    const bothSent = new Promise<void>((resolve) => (release = resolve));
    r.respond.delayMs = 0;
    const seen = new Set<string>();
    const tagged =
      (node: string): PostToPinnedTarget =>
      async (request) => {
        seen.add(node);
        if (seen.size === 2) release();
        await bothSent;
        return postToPinnedTarget({ ...request, headers: { ...request.headers, 'X-Node': node } });
      };
    const a = w.dispatcher({ concurrency: 4, post: tagged('a') });
    const b = w.dispatcher({ concurrency: 4, post: tagged('b') }, w.reopen());
    a.start();
    b.start();
    await r.waitForHits(150);
    await Promise.all([a.stop(), b.stop()]);
    const ids = r.hits.map((h) => h.headers['verity-event-id']);
    assert.equal(ids.length, 150, 'no delivery sent twice');
    assert.deepEqual(new Set(ids), events);
    const byNode = new Map<string, number>();
    for (const h of r.hits) byNode.set(String(h.headers['x-node']), (byNode.get(String(h.headers['x-node'])) ?? 0) + 1);
    assert.ok((byNode.get('a') ?? 0) > 0 && (byNode.get('b') ?? 0) > 0, `both nodes delivered: ${JSON.stringify([...byNode])}`);
  });

  test(`${kind.name}: the breaker opens after consecutive failures, is shared by nodes, half-opens with one probe and closes`, async (t) => {
    const w = await world(t, kind);
    const r = await receiver(t);
    const tenant = await w.tenant(r);
    for (let i = 0; i < 6; i++) await tenant.record();
    for (let i = 0; i < 100; i++) r.statuses.push(503);
    const options = { breakerThreshold: 3, breakerCooldownMs: 60_000, batchSize: 3 };
    const a = w.dispatcher(options);
    const b = w.dispatcher(options, w.reopen());
    const start = w.clock.now();

    assert.equal(await a.runOnce(), 3);
    assert.deepEqual(await w.breaker(tenant.webhookSid), { failures: 1, openUntil: start + 60_000 });
    // Retries are due after 5 s, but the breaker is open: neither node claims (no attempts burned).
    w.clock.advance(10_000);
    assert.equal(await a.runOnce(), 0);
    assert.equal(await b.runOnce(), 0, 'the other node sees the open breaker');

    // Cool-down over: one probe; it fails and the breaker re-opens for twice as long.
    w.clock.advance(51_000);
    assert.equal(await b.runOnce(), 1, 'half-open: a single probe');
    assert.deepEqual(await w.breaker(tenant.webhookSid), { failures: 2, openUntil: w.clock.now() + 120_000 });

    // The endpoint recovers: the next probe succeeds, closes the breaker, and the queue flows again.
    r.statuses.length = 0;
    w.clock.advance(121_000);
    assert.equal(await a.runOnce(), 1);
    assert.deepEqual(await w.breaker(tenant.webhookSid), { failures: 0, openUntil: 0 });
    assert.equal(await b.runOnce(), 3);
    assert.equal(await b.runOnce(), 2);
    assert.ok((await w.deliveries(tenant.webhookSid)).every((d) => d.status === 'delivered'), 'all delivered');
  });
}

for (const kind of DATABASE_KINDS) {
  test(`${kind.name}: migration 0023 goes down and up again`, async (t) => {
    const w = await world(t, kind);
    const migration = webhookQueues(kind.name);
    // Introspection lists every schema's tables (tests share one PostgreSQL database, a schema each): ask
    // this connection's own table instead, by selecting the column.
    const hasColumn = (table: string, column: string) =>
      sql`select ${sql.ref(column)} from ${sql.table(table)} where 1 = 0`.execute(w.db.kysely).then(() => true, () => false);
    assert.equal(await hasColumn('webhook_deliveries', 'order_key'), true, 'order_key exists before down');
    await migration.down(w.db.kysely as never);
    assert.equal(await hasColumn('webhook_deliveries', 'order_key'), false, 'order_key dropped');
    assert.equal(await hasColumn('webhooks', 'breaker_open_until'), false, 'breaker dropped');
    await migration.up(w.db.kysely as never);
    // The order key is assigned again by the database: a subject's second delivery waits for its first.
    const r = await receiver(t);
    const tenant = await w.tenant(r);
    await tenant.record('verification.pending', 'VE' + 'c'.repeat(32));
    await tenant.record('verification.approved', 'VE' + 'c'.repeat(32));
    const d = w.dispatcher();
    assert.equal(await d.runOnce(), 1);
    assert.equal(await d.runOnce(), 1);
    assert.deepEqual(
      r.hits.map((h) => h.headers['verity-event-type']),
      ['verification.pending', 'verification.approved'],
    );
  });
}
