import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { newSid } from '../../src/crypto/random.ts';
import { biometricLockoutDelayMs } from '../../src/factors/voiceprint-factor/biometric-lockout.ts';
import { CheckFailuresStore } from '../../src/store/check-failures-store.ts';
import type { Db } from '../../src/store/database.ts';
import { EntitiesStore } from '../../src/store/entities-store.ts';
import { RecoveryCodesStore } from '../../src/store/recovery-codes-store.ts';
import type { EntityRow, RecoveryCodeRow, ServiceRow } from '../../src/store/schema.ts';
import { LOCKOUT, lockoutDelayMs } from '../../src/verify/limits.ts';
import { DATABASE_KINDS, openServedDatabase, type TestDatabase } from './test-database.ts';

const T0 = Date.UTC(2026, 0, 1);
const BURST = 60;

/**
 * The lock-out statements: an attempt is charged (counted and, at its threshold, locked) in one
 * statement before it is evaluated, so concurrent attempts through two handles (two processes) can
 * never all pass a lock check made before the lock was set.
 */
for (const kind of DATABASE_KINDS) {
  describe(`lock-out stores (${kind.name})`, () => {
    let t: TestDatabase;
    let other: Db;
    let service: ServiceRow;
    before(async () => ({ t, other, service } = await openServedDatabase(kind, T0)));
    after(async () => t.close());
    let seq = 0;
    const newKey = () => `test:${++seq}`;

    it('charges attempts with the schedule: free failures, then a lock that refuses without counting, growing after it ends', async () => {
      const failures = new CheckFailuresStore(t.db.kysely);
      const key = newKey();
      for (let n = 1; n < LOCKOUT.freeFailures; n++) assert.deepEqual(await failures.chargeAttempt(key, T0, lockoutDelayMs), { charged: true, consecutive: n });
      assert.equal(await failures.lockedUntil(key), 0, 'no lock during the free failures');
      assert.deepEqual(await failures.chargeAttempt(key, T0, lockoutDelayMs), { charged: true, consecutive: LOCKOUT.freeFailures });
      assert.equal(await failures.lockedUntil(key), T0 + 30_000, 'the charge that reaches the threshold sets the lock in the same statement');
      assert.deepEqual(await failures.chargeAttempt(key, T0 + 29_999, lockoutDelayMs), { charged: false, lockedUntil: T0 + 30_000 });
      assert.deepEqual(await failures.chargeAttempt(key, T0 + 30_000, lockoutDelayMs), { charged: true, consecutive: LOCKOUT.freeFailures + 1 }, 'a refusal counted nothing');
      assert.equal(await failures.lockedUntil(key), T0 + 30_000 + 60_000, 'the next lock doubles');
      await failures.clear(key);
      assert.deepEqual(await failures.chargeAttempt(key, T0 + 30_001, lockoutDelayMs), { charged: true, consecutive: 1 }, 'a success clears the count');
    });

    it('reaches the hard lock of 24 h at 100 failures, and follows the biometric schedule (5 free, then 30 s)', async () => {
      const failures = new CheckFailuresStore(t.db.kysely);
      const key = newKey();
      let now = T0;
      for (let n = 1; n <= LOCKOUT.hardLimit; n++) {
        const charge = await failures.chargeAttempt(key, now, lockoutDelayMs);
        assert.deepEqual(charge, { charged: true, consecutive: n });
        now = Math.max(now, await failures.lockedUntil(key));
      }
      assert.equal((await failures.lockedUntil(key)) - (now - LOCKOUT.hardLockMs), LOCKOUT.hardLockMs);

      const voice = newKey();
      for (let n = 1; n <= 5; n++) assert.equal((await failures.chargeAttempt(voice, T0, biometricLockoutDelayMs)).charged, true);
      assert.equal(await failures.lockedUntil(voice), T0 + 30_000);
      assert.equal((await failures.chargeAttempt(voice, T0 + 1, biometricLockoutDelayMs)).charged, false);
    });

    it('takes back a charge in the transaction that made it: count and lock as before', async () => {
      const failures = new CheckFailuresStore(t.db.kysely);
      const key = newKey();
      for (let n = 1; n < LOCKOUT.freeFailures; n++) await failures.chargeAttempt(key, T0, lockoutDelayMs);
      await t.db.kysely.transaction().execute(async (trx) => {
        const inTrx = new CheckFailuresStore(trx);
        assert.equal((await inTrx.chargeAttempt(key, T0, lockoutDelayMs)).charged, true);
        assert.equal(await inTrx.lockedUntil(key), T0 + 30_000);
        await inTrx.refundAttempt(key);
      });
      assert.equal(await failures.lockedUntil(key), 0);
      assert.deepEqual(await failures.chargeAttempt(key, T0, lockoutDelayMs), { charged: true, consecutive: LOCKOUT.freeFailures });
    });

    it(`of ${BURST} simultaneous charges through two handles exactly the free failures pass`, async () => {
      const key = newKey();
      const handles = kind.postgresUrl ? [t.db, other] : [t.db];
      const charges = await Promise.all(Array.from({ length: BURST }, (_, i) => new CheckFailuresStore((handles[i % handles.length] as Db).kysely).chargeAttempt(key, T0, lockoutDelayMs)));
      assert.equal(charges.filter((c) => c.charged).length, LOCKOUT.freeFailures);
      for (const c of charges) if (!c.charged) assert.equal(c.lockedUntil, T0 + 30_000);
      const row = await t.db.kysely.selectFrom('check_failures').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
      assert.equal(Number(row.consecutive), LOCKOUT.freeFailures);
    });

    it('two overlapping regenerations of recovery codes leave only the later batch', async (c) => {
      // SQLite runs one write transaction at a time; the overlap exists only on PostgreSQL.
      if (!kind.postgresUrl) return c.skip('SQLite transactions do not overlap');
      const entity: EntityRow = { sid: newSid('YE'), account_sid: service.account_sid, service_sid: service.sid, identity: `codes-${Date.now()}`, date_created: T0, date_updated: T0 };
      await new EntitiesStore(t.db.kysely).findOrInsert(entity);
      const batch = (name: string): RecoveryCodeRow[] =>
        Array.from({ length: 10 }, (_, i) => ({
          sid: newSid('RC'),
          account_sid: entity.account_sid,
          service_sid: entity.service_sid,
          entity_sid: entity.sid,
          batch_sid: name,
          lookup: `${name}-${i}`,
          hash: 'hash',
          used_at: null,
          date_created: T0,
        }));
      await t.db.kysely.transaction().execute((trx) => new RecoveryCodesStore(trx).replaceBatch(entity.sid, batch('old')));

      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let firstWrote!: () => void;
      const wrote = new Promise<void>((resolve) => (firstWrote = resolve));
      const first = t.db.kysely.transaction().execute(async (trx) => {
        await new RecoveryCodesStore(trx).replaceBatch(entity.sid, batch('first'));
        firstWrote();
        await released;
      });
      await wrote;
      const second = other.kysely.transaction().execute((trx) => new RecoveryCodesStore(trx).replaceBatch(entity.sid, batch('second')));
      // Let the first commit only once the second is waiting for a lock the first holds.
      for (let i = 0; i < 500; i++) {
        const waiting = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity
          WHERE wait_event_type = 'Lock' AND datname = current_database() AND (query LIKE '%"entities"%for update%' OR query LIKE 'delete from "recovery_codes"%')`.execute(t.db.kysely);
        if (Number(waiting.rows[0]?.n) > 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      release();
      await Promise.all([first, second]);
      const rows = await t.db.kysely.selectFrom('recovery_codes').select('batch_sid').where('entity_sid', '=', entity.sid).execute();
      assert.deepEqual([...new Set(rows.map((r) => r.batch_sid))], ['second']);
      assert.equal(rows.length, 10);
    });
  });
}
