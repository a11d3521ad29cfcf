import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ManualClock } from '../../src/crypto/clock.ts';
import { createKeyring } from '../../src/crypto/keyring.ts';
import { recordEvent } from '../../src/events/record-event.ts';
import { createWebhook } from '../../src/events/webhooks-store.ts';
import { AccountsStore } from '../../src/store/accounts-store.ts';
import { CheckFailuresStore } from '../../src/store/check-failures-store.ts';
import { migrateToLatest, type Db } from '../../src/store/database.ts';
import { RateLimitStore, type BucketPolicy } from '../../src/store/rate-limit-store.ts';
import type { ServiceRow } from '../../src/store/schema.ts';
import { ServicesStore } from '../../src/store/services-store.ts';
import { OutboxStore } from '../../src/store/outbox-store.ts';
import { createStores } from '../../src/store/unit-of-work.ts';
import { VerificationsStore } from '../../src/store/verifications-store.ts';
import { WebhooksStore } from '../../src/store/webhooks-store.ts';
import { DATABASE_KINDS, accountRow, openServedDatabase, openTestDatabase, serviceRow, verificationRow, type TestDatabase } from './test-database.ts';

/** Every migration, in the order they apply. */
const ALL_MIGRATIONS = ['0001-initial', '0002-factors', '0003-recovery-codes', '0004-push', '0005-voice', '0006-voiceprints', '0007-handoff', '0008-passkeys', '0009-abandoned-factors', '0010-admin-sessions', '0011-handoff-sessions', '0012-verification-requester', '0013-delivery-attempts', '0014-sim-message-status', '0015-messaging-configurations', '0016-rate-limits', '0017-verification-attempts', '0018-templates', '0019-api-keys', '0020-authy', '0021-push-platforms', '0022-passkeys-service', '0023-webhook-queues', '0024-cluster-events', '0025-database-clock', '0026-plan-indexes', '0027-retention', '0028-handoff-branding', '0029-push-enrollment-codes', '0030-admin-audit-log', '0031-factor-last-used', '0032-send-refusals', '0033-factor-call-events'];

/**
 * One contract for the stores, run against SQLite always and PostgreSQL when
 * VERITY_TEST_POSTGRES_URL is set. The concurrency cases spread parallel calls over two handles
 * (on PostgreSQL two pools of several connections each), so on PostgreSQL they truly overlap.
 */

const T0 = Date.UTC(2026, 0, 1);
const PARALLEL = 50;

const parallel = <T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
const count = async (db: Db, table: 'events' | 'webhook_deliveries' | 'verifications', where?: { column: 'resource_sid' | 'service_sid'; value: string }): Promise<number> => {
  let q = db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = q.where(sql.ref(where.column), '=', where.value);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

/** Runs migrateToLatest in a child process (another Verity starting), resolving to its output line. */
const runMigrateChild = (url: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = fileURLToPath(new URL('./migrate-child.ts', import.meta.url));
    execFile(process.execPath, ['--import', 'tsx', child, url], { timeout: 60_000 }, (error, stdout, stderr) => {
      const line = stdout.trim();
      if (line.startsWith('[') || line.startsWith('ERROR')) resolve(line);
      else reject(new Error(`migrate child failed: ${error?.message ?? ''}\n${stderr}`));
    });
  });

for (const kind of DATABASE_KINDS) {
  describe(`store contract (${kind.name})`, () => {
    describe('migrations', () => {
      it('apply once, then are a no-op on every later run, from any handle', async () => {
        const t = await openTestDatabase(kind, { migrate: false });
        try {
          assert.deepEqual(await migrateToLatest(t.db), ALL_MIGRATIONS);
          assert.deepEqual(await migrateToLatest(t.db), []);
          assert.deepEqual(await migrateToLatest(t.reopen()), []);
          // Every table is there and usable.
          for (const table of ['accounts', 'services', 'verifications', 'check_failures', 'rate_buckets', 'webhooks', 'events', 'webhook_deliveries', 'sim_messages', 'entities', 'factors', 'challenges', 'recovery_codes'] as const) {
            await t.db.kysely.selectFrom(table).selectAll().limit(1).execute();
          }
        } finally {
          await t.close();
        }
      });

      it('apply exactly once when several pools start together', { skip: kind.name === 'sqlite' ? 'one thread cannot overlap two SQLite connections: see the next test' : false }, async () => {
        const t = await openTestDatabase(kind, { migrate: false });
        try {
          const handles = [t.db, t.reopen(), t.reopen()];
          const applied = (await Promise.all(handles.map((h) => migrateToLatest(h)))).flat();
          assert.deepEqual(applied, ALL_MIGRATIONS);
        } finally {
          await t.close();
        }
      });

      it(
        'apply exactly once when several processes start together',
        async () => {
          // Several rounds: the race needs the processes to overlap, which they do not always.
          for (let round = 0; round < 3; round++) {
            const t = await openTestDatabase(kind, { migrate: false });
            try {
              const outputs = await Promise.all([0, 1, 2, 3].map(() => runMigrateChild(t.url)));
              const failed = outputs.filter((o) => o.startsWith('ERROR'));
              assert.deepEqual(failed, [], `round ${round + 1}`);
              assert.deepEqual(outputs.flatMap((o) => JSON.parse(o) as string[]), ALL_MIGRATIONS, `round ${round + 1}`);
            } finally {
              await t.close();
            }
          }
        },
      );

      it(
        'apply in a schema of a PostgreSQL database whose other schema already holds Verity',
        {
          skip: kind.name === 'sqlite' ? 'PostgreSQL only' : false,
        },
        async () => {
          const first = await openTestDatabase(kind);
          try {
            const second = await openTestDatabase(kind, { migrate: false });
            try {
              assert.deepEqual(await migrateToLatest(second.db), ALL_MIGRATIONS);
            } finally {
              await second.close();
            }
          } finally {
            await first.close();
          }
        },
      );
    });

    describe('with a migrated database', () => {
      let t: TestDatabase;
      let other: Db;
      let service: ServiceRow;
      before(async () => ({ t, other, service } = await openServedDatabase(kind, T0)));
      after(async () => t.close());

      const handle = (i: number): Db => (i % 2 === 0 ? t.db : other);
      let keySeq = 0;
      const freshKey = (label: string) => `${label}:${++keySeq}`;

      describe('RateLimitStore', () => {
        const burst: BucketPolicy = { capacity: 3, refillPerSecond: 1 };
        const buckets = (db: Db = t.db) => new RateLimitStore(db.kysely);

        it('grants up to the capacity at one instant, then refuses with a retry-after', async () => {
          const key = freshKey('cap');
          for (let i = 0; i < 3; i++) assert.deepEqual(await buckets().take(key, burst, T0), { allowed: true }, `take ${i + 1}`);
          assert.deepEqual(await buckets().take(key, burst, T0), { allowed: false, retryAfterSeconds: 1 });
          assert.deepEqual(await buckets().take(key, burst, T0), { allowed: false, retryAfterSeconds: 1 });
          // Keys are independent.
          assert.deepEqual(await buckets().take(freshKey('cap'), burst, T0), { allowed: true });
        });

        it('refills with elapsed time, never above the capacity, and refusals do not delay the refill', async () => {
          const key = freshKey('refill');
          for (let i = 0; i < 3; i++) await buckets().take(key, burst, T0);
          assert.equal((await buckets().take(key, burst, T0 + 500)).allowed, false);
          assert.equal((await buckets().take(key, burst, T0 + 999)).allowed, false);
          assert.deepEqual(await buckets().take(key, burst, T0 + 1000), { allowed: true });
          assert.equal((await buckets().take(key, burst, T0 + 1000)).allowed, false);
          assert.deepEqual(await buckets().take(key, burst, T0 + 2500), { allowed: true });
          // An hour idle refills to the capacity, not to 3600 tokens.
          const later = T0 + 3_600_000;
          for (let i = 0; i < 3; i++) assert.deepEqual(await buckets().take(key, burst, later), { allowed: true });
          assert.equal((await buckets().take(key, burst, later)).allowed, false);
        });

        it('computes retryAfterSeconds from the missing fraction of a token', async () => {
          // The hosted send limit: 5 per 10 minutes, one token every 120 s.
          const sends: BucketPolicy = { capacity: 5, refillPerSecond: 5 / 600 };
          const key = freshKey('retry');
          for (let i = 0; i < 5; i++) assert.equal((await buckets().take(key, sends, T0)).allowed, true);
          assert.deepEqual(await buckets().take(key, sends, T0), { allowed: false, retryAfterSeconds: 120 });
          assert.deepEqual(await buckets().take(key, sends, T0 + 60_000), { allowed: false, retryAfterSeconds: 60 });
          assert.deepEqual(await buckets().take(key, sends, T0 + 119_500), { allowed: false, retryAfterSeconds: 1 });
          assert.deepEqual(await buckets().take(key, sends, T0 + 120_001), { allowed: true });
          // A sliver of a token left over: the wait is for the rest of a whole one.
          assert.deepEqual(await buckets().take(key, sends, T0 + 120_001), { allowed: false, retryAfterSeconds: 120 });
        });

        it('charges a cost of several tokens at once', async () => {
          const key = freshKey('cost');
          const policy: BucketPolicy = { capacity: 5, refillPerSecond: 1 };
          assert.deepEqual(await buckets().take(key, policy, T0, 2), { allowed: true });
          assert.deepEqual(await buckets().take(key, policy, T0, 2), { allowed: true });
          assert.deepEqual(await buckets().take(key, policy, T0, 2), { allowed: false, retryAfterSeconds: 1 });
          assert.deepEqual(await buckets().take(key, policy, T0, 1), { allowed: true });
          assert.deepEqual(await buckets().take(key, policy, T0, 2), { allowed: false, retryAfterSeconds: 2 });
        });

        it('reset refills a bucket completely', async () => {
          const key = freshKey('reset');
          for (let i = 0; i < 3; i++) await buckets().take(key, burst, T0);
          assert.equal((await buckets().take(key, burst, T0)).allowed, false);
          await buckets().reset(key);
          for (let i = 0; i < 3; i++) assert.deepEqual(await buckets().take(key, burst, T0), { allowed: true });
          assert.equal((await buckets().take(key, burst, T0)).allowed, false);
          await buckets().reset(freshKey('never-used'));
        });

        it('prune drops only the buckets idle for longer than idleMs', async () => {
          const idle = freshKey('prune-idle');
          const busy = freshKey('prune-busy');
          const base = T0 + 10 * 86_400_000;
          await buckets().take(idle, burst, base);
          await buckets().take(busy, burst, base + 60_000);
          const pruned = await buckets().prune(base + 30_000, 10_000);
          assert.ok(pruned >= 1, `pruned ${pruned}`);
          const left = await t.db.kysely.selectFrom('rate_buckets').select('key').where('key', 'in', [idle, busy]).execute();
          assert.deepEqual(left.map((r) => r.key), [busy]);
          // A pruned bucket is a full one.
          for (let i = 0; i < 3; i++) assert.deepEqual(await buckets().take(idle, burst, base + 30_000), { allowed: true });
          assert.equal(await buckets().prune(base + 30_000, 10_000), 0);
        });

        it(`never grants more than the capacity to ${PARALLEL} concurrent takes on a new bucket`, async () => {
          const key = freshKey('race-new');
          const policy: BucketPolicy = { capacity: 5, refillPerSecond: 5 / 600 };
          const results = await parallel(PARALLEL, (i) => buckets(handle(i)).take(key, policy, T0));
          assert.equal(results.filter((r) => r.allowed).length, 5);
          for (const r of results) if (!r.allowed) assert.ok(r.retryAfterSeconds >= 1 && r.retryAfterSeconds <= 120, String(r.retryAfterSeconds));
          const row = await t.db.kysely.selectFrom('rate_buckets').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
          assert.ok(Math.abs(row.tokens) < 1e-9, `tokens left: ${row.tokens}`);
          if (kind.name === 'postgres') {
            // The takes really ran on several connections at once.
            const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`.execute(t.db.kysely);
            assert.ok((rows[0]?.n ?? 0) >= 4, `connections: ${rows[0]?.n}`);
          }
        });

        it(`never grants more than the capacity to ${PARALLEL} concurrent takes spread over time`, async () => {
          const key = freshKey('race-refill');
          const policy: BucketPolicy = { capacity: 5, refillPerSecond: 1 };
          await buckets().take(key, policy, T0);
          // Over 10 s, at most 4 left + 10 refilled tokens, whatever the order the takes land in.
          const results = await parallel(PARALLEL, (i) => buckets(handle(i)).take(key, policy, T0 + Math.floor((i * 10_000) / (PARALLEL - 1))));
          const granted = results.filter((r) => r.allowed).length;
          assert.ok(granted >= 1 && granted <= 14, `granted ${granted}`);
        });
      });

      describe('CheckFailuresStore', () => {
        const failures = (db: Db = t.db) => new CheckFailuresStore(db.kysely);

        it(`counts ${PARALLEL} concurrent failures exactly, each caller seeing its own count`, async () => {
          const key = freshKey('failures');
          const counts = await parallel(PARALLEL, (i) => failures(handle(i)).recordFailure(key, T0 + i));
          assert.deepEqual([...counts].sort((a, b) => a - b), Array.from({ length: PARALLEL }, (_, i) => i + 1));
          assert.equal(await failures().recordFailure(key, T0 + 100), PARALLEL + 1);
        });

        it('locks until a time, keeps the lock across failures, and clear forgets everything', async () => {
          const key = freshKey('lock');
          assert.equal(await failures().lockedUntil(key), 0);
          // No row yet: lock has nothing to update (a lock always follows a recorded failure).
          await failures().lock(key, T0 + 1000);
          assert.equal(await failures().lockedUntil(key), 0);

          assert.equal(await failures().recordFailure(key, T0), 1);
          await failures().lock(key, T0 + 30_000);
          assert.equal(await failures().lockedUntil(key), T0 + 30_000);
          assert.equal(await failures().recordFailure(key, T0 + 1), 2);
          assert.equal(await failures().lockedUntil(key), T0 + 30_000, 'a failure does not lift the lock');
          // Millisecond timestamps far beyond 2^31 survive the round trip.
          await failures().lock(key, T0 + 86_400_000 * 365);
          assert.equal(await failures().lockedUntil(key), T0 + 86_400_000 * 365);

          await failures().clear(key);
          assert.equal(await failures().lockedUntil(key), 0);
          assert.equal(await failures().recordFailure(key, T0 + 2), 1);
          await failures().clear(freshKey('never-used'));
        });
      });

      describe('VerificationsStore', () => {
        const verifications = (db: Db = t.db) => new VerificationsStore(db.kysely);
        let destSeq = 0;
        const freshDestination = () => `+1415555${String(++destSeq).padStart(4, '0')}`;

        it('refuses a second pending verification for one service and destination, until the first completes', async () => {
          const to = freshDestination();
          const first = verificationRow(service, to, T0);
          assert.equal(await verifications().insertPending(first), true);
          assert.equal(await verifications().insertPending(verificationRow(service, to, T0)), false);
          assert.equal((await verifications().findPending(service.sid, to, ''))?.sid, first.sid);

          // Another destination, or the same destination in another service, is independent.
          assert.equal(await verifications().insertPending(verificationRow(service, freshDestination(), T0)), true);
          const account2 = accountRow(T0);
          await new AccountsStore(t.db.kysely).insert(account2);
          const service2 = serviceRow(account2.sid, T0);
          await new ServicesStore(t.db.kysely).insert(service2);
          assert.equal(await verifications().insertPending(verificationRow(service2, to, T0)), true);

          assert.ok(await verifications().completePending(first.sid, 'approved', T0 + 1), "expected await verifications().completePending(first.sid, 'approved', T0 + 1)");
          const second = verificationRow(service, to, T0 + 2);
          assert.equal(await verifications().insertPending(second), true);
          assert.equal((await verifications().findPending(service.sid, to, ''))?.sid, second.sid);
          assert.equal((await verifications().find(service.sid, first.sid))?.status, 'approved');
          // Completed rows do not count against each other either.
          assert.ok(await verifications().completePending(second.sid, 'canceled', T0 + 3), "expected await verifications().completePending(second.sid, 'canceled', T0 + 3)");
          assert.equal(await verifications().insertPending(verificationRow(service, to, T0 + 4)), true);
          const rows = await t.db.kysely.selectFrom('verifications').select('status').where('service_sid', '=', service.sid).where('destination', '=', to).execute();
          assert.deepEqual(rows.map((r) => r.status).sort(), ['approved', 'canceled', 'pending']);
        });

        it('keeps one pending verification per destination and requester: the API and each hosted user have their own', async () => {
          const to = freshDestination();
          const api = verificationRow(service, to, T0);
          const alice = verificationRow(service, to, T0, { requester: 'hosted:alice' });
          assert.equal(await verifications().insertPending(api), true);
          assert.equal(await verifications().insertPending(alice), true);
          assert.equal(await verifications().insertPending(verificationRow(service, to, T0, { requester: 'hosted:alice' })), false);
          assert.equal(await verifications().insertPending(verificationRow(service, to, T0, { requester: 'hosted:bob' })), true);
          assert.equal((await verifications().findPending(service.sid, to, ''))?.sid, api.sid);
          assert.equal((await verifications().findPending(service.sid, to, 'hosted:alice'))?.sid, alice.sid);
          assert.equal(await verifications().findPending(service.sid, to, 'hosted:carol'), undefined);
        });

        it(`admits exactly one of ${PARALLEL} concurrent pending inserts for one destination`, async () => {
          const to = freshDestination();
          const inserted = await parallel(PARALLEL, (i) => verifications(handle(i)).insertPending(verificationRow(service, to, T0)));
          assert.equal(inserted.filter(Boolean).length, 1);
          const pending = await t.db.kysely.selectFrom('verifications').select('sid').where('service_sid', '=', service.sid).where('destination', '=', to).execute();
          assert.equal(pending.length, 1);
        });

        it('finds a verification only within its service', async () => {
          const row = verificationRow(service, freshDestination(), T0);
          await verifications().insertPending(row);
          assert.equal((await verifications().find(service.sid, row.sid))?.destination, row.destination);
          assert.equal(await verifications().find('VA' + '0'.repeat(32), row.sid), undefined);
          assert.equal(await verifications().findPending('VA' + '0'.repeat(32), row.destination, ''), undefined);
        });

        it(`counts at most the maximum of ${PARALLEL} concurrent check attempts`, async () => {
          const row = verificationRow(service, freshDestination(), T0);
          await verifications().insertPending(row);
          const counted = await parallel(PARALLEL, (i) => verifications(handle(i)).countCheckAttempt(row.sid, T0 + 1, 5));
          const granted = counted.filter((r) => r !== undefined);
          assert.equal(granted.length, 5);
          assert.deepEqual(granted.map((r) => r.check_attempts).sort(), [1, 2, 3, 4, 5]);
          const stored = await verifications().find(service.sid, row.sid);
          assert.equal(stored?.check_attempts, 5);
          assert.equal(stored?.status, 'pending');
          assert.equal(stored?.date_updated, T0 + 1);
          assert.equal(await verifications().countCheckAttempt(row.sid, T0 + 2, 5), undefined);
        });

        it('counts no attempt once the verification expired or is no longer pending', async () => {
          const row = verificationRow(service, freshDestination(), T0, { expires_at: T0 + 600_000 });
          await verifications().insertPending(row);
          assert.equal((await verifications().countCheckAttempt(row.sid, T0 + 599_999, 5))?.check_attempts, 1);
          assert.equal(await verifications().countCheckAttempt(row.sid, T0 + 600_000, 5), undefined);
          assert.equal(await verifications().countCheckAttempt(row.sid, T0 + 700_000, 5), undefined);
          assert.equal((await verifications().find(service.sid, row.sid))?.check_attempts, 1);
          assert.deepEqual((await verifications().findExpiredPending(T0 + 600_000, 1000)).filter((r) => r.sid === row.sid).length, 1);

          const canceled = verificationRow(service, freshDestination(), T0);
          await verifications().insertPending(canceled);
          await verifications().completePending(canceled.sid, 'canceled', T0 + 1);
          assert.equal(await verifications().countCheckAttempt(canceled.sid, T0 + 2, 5), undefined);
        });

        it(`completes a pending verification once, whichever of ${PARALLEL} concurrent calls wins`, async () => {
          const row = verificationRow(service, freshDestination(), T0);
          await verifications().insertPending(row);
          const outcomes = await parallel(PARALLEL, (i) =>
            verifications(handle(i)).completePending(row.sid, i % 3 === 0 ? 'approved' : i % 3 === 1 ? 'canceled' : 'failed', T0 + 1 + i, i % 3 === 2 ? { failure_code: 30008 } : {}),
          );
          const winners = outcomes.filter((r) => r !== undefined);
          assert.equal(winners.length, 1);
          const [winner] = winners;
          const stored = await verifications().find(service.sid, row.sid);
          assert.equal(stored?.status, winner?.status);
          assert.equal(stored?.date_updated, winner?.date_updated);
          assert.equal(stored?.failure_code, winner?.status === 'failed' ? 30008 : null);
          assert.equal(await verifications().completePending(row.sid, 'approved', T0 + 100), undefined);
        });
      });

      describe('ServicesStore and AccountsStore', () => {
        it('scope every service operation to its account', async () => {
          const accounts = new AccountsStore(t.db.kysely);
          const services = new ServicesStore(t.db.kysely);
          const alice = accountRow(T0, { friendly_name: 'alice' });
          const bob = accountRow(T0, { friendly_name: 'bob' });
          await accounts.insert(alice);
          await accounts.insert(bob);
          assert.equal((await accounts.find(alice.sid))?.friendly_name, 'alice');
          assert.equal(await accounts.find('AC' + '0'.repeat(32)), undefined);
          assert.equal(await accounts.fillSealedToken(bob.sid, 'other digest', 'sealed'), false, 'only while the digest is the one sealed');
          assert.equal(await accounts.fillSealedToken(bob.sid, bob.auth_token_digest, 'sealed'), true);
          assert.equal(await accounts.fillSealedToken(bob.sid, bob.auth_token_digest, 'again'), false, 'a sealed token is never replaced this way');
          assert.equal(await accounts.updateToken(bob.sid, 'rotated', 'sealed rotated', T0 + 5), true);
          assert.equal((await accounts.find(bob.sid))?.auth_token_digest, 'rotated');
          assert.equal((await accounts.find(bob.sid))?.auth_token_sealed, 'sealed rotated');
          assert.equal(await accounts.updateToken('AC' + '0'.repeat(32), 'x', 'y', T0), false);

          const a = [0, 1, 2].map((i) => serviceRow(alice.sid, T0 + i, { friendly_name: `alice ${i}` }));
          const b = serviceRow(bob.sid, T0, { friendly_name: 'bob 0' });
          for (const row of [a[2], a[0], b, a[1]]) await services.insert(row as ServiceRow);

          assert.equal((await services.find(alice.sid, a[0]!.sid))?.friendly_name, 'alice 0');
          assert.equal(await services.find(bob.sid, a[0]!.sid), undefined);
          assert.deepEqual((await services.list(alice.sid, 10, 0)).map((s) => s.friendly_name), ['alice 0', 'alice 1', 'alice 2']);
          assert.deepEqual((await services.list(alice.sid, 2, 1)).map((s) => s.friendly_name), ['alice 1', 'alice 2']);
          assert.deepEqual((await services.list(bob.sid, 10, 0)).map((s) => s.sid), [b.sid]);

          await services.update(bob.sid, a[0]!.sid, { friendly_name: 'hijacked' });
          assert.equal((await services.find(alice.sid, a[0]!.sid))?.friendly_name, 'alice 0');
          await services.update(alice.sid, a[0]!.sid, { friendly_name: 'renamed', date_updated: T0 + 9 });
          assert.equal((await services.find(alice.sid, a[0]!.sid))?.friendly_name, 'renamed');

          assert.equal(await services.delete(bob.sid, a[1]!.sid), false);
          assert.ok(await services.find(alice.sid, a[1]!.sid), 'expected await services.find(alice.sid, a[1]!.sid)');
          // Deleting a service deletes its verifications (foreign key cascade, on SQLite too).
          const v = verificationRow(a[1]!, '+14155550000', T0);
          await new VerificationsStore(t.db.kysely).insertPending(v);
          assert.equal(await services.delete(alice.sid, a[1]!.sid), true);
          assert.equal(await services.find(alice.sid, a[1]!.sid), undefined);
          assert.equal(await count(t.db, 'verifications', { column: 'service_sid', value: a[1]!.sid }), 0);
          assert.equal(await services.delete(alice.sid, a[1]!.sid), false);
        });
      });

      describe('recordEvent (transactional outbox)', () => {
        const clock = new ManualClock(T0);
        const keyring = createKeyring(randomBytes(32));

        it('writes the event and its deliveries when the transaction commits, and nothing when it rolls back', async () => {
          await createWebhook(new WebhooksStore(t.db.kysely), keyring, clock, { accountSid: service.account_sid, serviceSid: service.sid, friendlyName: 'all', eventTypes: ['*'], webhookUrl: 'https://example.com/h' });
          const event = (resourceSid: string) => ({ accountSid: service.account_sid, serviceSid: service.sid, type: 'verification.approved' as const, resourceSid, payload: { status: 'approved' } });
          const eventsBefore = await count(t.db, 'events');
          const deliveriesBefore = await count(t.db, 'webhook_deliveries');

          const committed = await createStores(t.db).transaction((tx) => recordEvent(tx, clock, event('VE-commit')));
          assert.equal(await count(t.db, 'events', { column: 'resource_sid', value: 'VE-commit' }), 1);
          assert.equal((await t.db.kysely.selectFrom('webhook_deliveries').select('sid').where('event_sid', '=', committed).execute()).length, 1);

          // The verification change and its event roll back together.
          const row = verificationRow(service, '+14155559999', T0);
          await new VerificationsStore(t.db.kysely).insertPending(row);
          let rolledBack = '';
          await assert.rejects(
            t.db.kysely.transaction().execute(async (trx) => {
              const approved = await new VerificationsStore(trx).completePending(row.sid, 'approved', T0 + 1);
              assert.ok(approved, 'expected approved');
              rolledBack = await recordEvent({ outbox: new OutboxStore(trx) }, clock, event(row.sid));
              assert.equal(await count({ ...t.db, kysely: trx }, 'events', { column: 'resource_sid', value: row.sid }), 1, 'visible inside the transaction');
              throw new Error('boom');
            }),
            /boom/,
          );
          assert.match(rolledBack, /^EV[0-9a-f]{32}$/);
          assert.equal(await t.db.kysely.selectFrom('events').select('sid').where('sid', '=', rolledBack).executeTakeFirst(), undefined);
          assert.equal((await t.db.kysely.selectFrom('webhook_deliveries').select('sid').where('event_sid', '=', rolledBack).execute()).length, 0);
          assert.equal(await count(t.db, 'events'), eventsBefore + 1);
          assert.equal(await count(t.db, 'webhook_deliveries'), deliveriesBefore + 1);
          assert.equal((await new VerificationsStore(t.db.kysely).find(service.sid, row.sid))?.status, 'pending');
          // Another handle (another process) sees the same.
          assert.equal(await count(other, 'events', { column: 'resource_sid', value: row.sid }), 0);
        });
      });
    });
  });
}
