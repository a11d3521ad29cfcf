import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DatabaseClock } from '../../src/crypto/clock.ts';
import { databaseTimeReader } from '../../src/store/database-time.ts';
import { BucketCharges, RateLimitStore } from '../../src/store/rate-limit-store.ts';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from './test-database.ts';

/** Migration 0025's `now_ms()` and the bucket refunds of src/store/rate-limit-store.ts, on each database. */
for (const kind of DATABASE_KINDS) {
  describe(`database clock and bucket refunds (${kind.name})`, () => {
    const opened: TestDatabase[] = [];
    after(async () => {
      for (const t of opened) await t.close();
    });

    it(kind.name === 'postgres' ? 'now_ms() is the server\'s clock_timestamp() in ms; a DatabaseClock follows it' : 'SQLite needs no database clock: the node\'s is the database\'s', async () => {
      const t = await openTestDatabase(kind);
      opened.push(t);
      const read = databaseTimeReader(t.db);
      if (kind.name !== 'postgres') return assert.equal(read, undefined);
      assert.ok(read, 'PostgreSQL has a clock to read');
      const server = async () => Number((await sql<{ ms: string }>`SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint AS ms`.execute(t.db.kysely)).rows[0]?.ms);
      const before = await server();
      const ms = await read();
      const afterwards = await server();
      assert.ok(before <= ms && ms <= afterwards, `${before} <= ${ms} <= ${afterwards}`);
      const clock = new DatabaseClock(read);
      const synced = await clock.sync();
      // Same machine: the offset is the measurement's own error, under the round trip (plus the ms rounding of now_ms()).
      assert.ok(Math.abs(synced.offsetMs) <= synced.roundTripMs + 1, JSON.stringify(synced));
    });

    it('gives back what a take spent, never above the capacity; BucketCharges refunds each take once', async () => {
      const t = await openTestDatabase(kind);
      opened.push(t);
      const store = new RateLimitStore(t.db.kysely);
      const policy = { capacity: 3, refillPerSecond: 0 };
      const tokens = async (key: string) => Number((await t.db.kysely.selectFrom('rate_buckets').select('tokens').where('key', '=', key).executeTakeFirstOrThrow()).tokens);
      const charges = new BucketCharges(store);
      assert.deepEqual(await charges.take('a', policy, 1_000), { allowed: true });
      assert.deepEqual(await charges.take('a', policy, 1_000, 2), { allowed: true });
      assert.equal((await charges.take('a', policy, 1_000)).allowed, false, 'the bucket is empty');
      await charges.refund();
      assert.equal(await tokens('a'), 3, 'both takes given back, the refused one gave nothing');
      await charges.refund();
      assert.equal(await tokens('a'), 3, 'a second refund gives nothing');
      await store.take('a', policy, 1_000);
      await store.giveBack('a', policy, 5);
      assert.equal(await tokens('a'), 3, 'never above the capacity');
    });
  });
}
