import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { prepared } from '../../src/store/prepared.ts';
import { LeasedRateLimiter, RateLimitStore } from '../../src/store/rate-limit-store.ts';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from './test-database.ts';

for (const kind of DATABASE_KINDS) {
  describe(`leased rate limiter and prepared queries on ${kind.name}`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await openTestDatabase(kind, { poolSize: 4 });
    });
    after(async () => t.close());

    it('behaves exactly like the shared bucket for small policies (lease of one token)', async () => {
      const limiter = new LeasedRateLimiter(new RateLimitStore(t.db.kysely));
      const policy = { capacity: 5, refillPerSecond: 1 };
      const results = [];
      for (let i = 0; i < 7; i++) results.push((await limiter.take('small', policy, 1_000)).allowed);
      assert.deepEqual(results, [true, true, true, true, true, false, false]);
      assert.equal((await limiter.take('small', policy, 2_000)).allowed, true, 'one token refilled after 1 s');
    });

    it('never lets two processes together exceed the burst by more than one lease each', async () => {
      // Two limiters on one database stand for two Verity processes.
      const a = new LeasedRateLimiter(new RateLimitStore(t.db.kysely));
      const b = new LeasedRateLimiter(new RateLimitStore(t.db.kysely));
      const policy = { capacity: 1_000, refillPerSecond: 2_000 }; // lease = min(100, 100) tokens
      let granted = 0;
      await Promise.all(
        Array.from({ length: 3_000 }, async (_, i) => {
          if ((await (i % 2 ? a : b).take('big', policy, 5_000)).allowed) granted++;
        }),
      );
      assert.ok(granted >= 900, `granted ${granted}`);
      assert.ok(granted <= 1_000, `granted ${granted}: more than the bucket held`);
    });

    it('drops unspent leased tokens after the hold time', async () => {
      const limiter = new LeasedRateLimiter(new RateLimitStore(t.db.kysely), 50, 1_000);
      const policy = { capacity: 100, refillPerSecond: 1_000 }; // lease = 10 tokens
      assert.equal((await limiter.take('hold', policy, 10_000)).allowed, true);
      // The shared bucket now holds 90; 9 tokens sit in this process's lease until 11 s.
      const row = await t.db.kysely.selectFrom('rate_buckets').select('tokens').where('key', '=', 'hold').executeTakeFirstOrThrow();
      assert.equal(Math.round(row.tokens), 90);
      assert.equal((await limiter.take('hold', policy, 10_500)).allowed, true, 'spent from the lease');
      const after = await t.db.kysely.selectFrom('rate_buckets').select('tokens').where('key', '=', 'hold').executeTakeFirstOrThrow();
      assert.equal(Math.round(after.tokens), 90, 'no database write for a leased token');
    });

    it('compiles a query once and binds fresh parameters every time', async () => {
      const countByKey = prepared((db, key: string) => db.selectFrom('rate_buckets').select('key').where('key', '=', key).where('tokens', '>=', 0));
      await t.db.kysely.insertInto('rate_buckets').values([{ key: 'p1', tokens: 1, updated_at: 0 }, { key: 'p2', tokens: 1, updated_at: 0 }]).execute();
      assert.deepEqual(await countByKey(t.db.kysely, 'p1'), [{ key: 'p1' }]);
      assert.deepEqual(await countByKey(t.db.kysely, 'p2'), [{ key: 'p2' }]);
      assert.deepEqual(await countByKey(t.db.kysely, 'missing'), []);
    });
  });
}
