import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect.ts';
import { prepared } from './prepared.ts';
import { query, type Steps } from './steps.ts';
import type { Database } from './schema.ts';

/**
 * The take: one atomic upsert, compiled once (the policy is bound, not inlined). Elapsed time is clamped
 * at 0: a request whose `now` was read before a concurrent one's reaches the database after it, and must
 * not be charged for "negative" refill. Every value is cast: PostgreSQL cannot type `$1 - $2` alone.
 */
const takeQuery = prepared((db, key: string, capacity: number, perMs: number, now: number, cost: number) => {
  const pg = dialectOf(db) === 'postgres';
  const [least, greatest, real] = pg ? ['LEAST', 'GREATEST', 'double precision'] : ['MIN', 'MAX', 'REAL'];
  const num = (value: number) => sql`CAST(${value} AS ${sql.raw(real)})`;
  const at = sql`CAST(${now} AS bigint)`;
  const refilled = sql`${sql.raw(least)}(${num(capacity)}, rate_buckets.tokens + ${sql.raw(greatest)}(0, ${at} - rate_buckets.updated_at) * ${num(perMs)})`;
  return sql<{ tokens: number }>`
    INSERT INTO rate_buckets (key, tokens, updated_at)
    VALUES (${key}, ${num(capacity)} - ${num(cost)}, ${at})
    ON CONFLICT (key) DO UPDATE SET
      tokens = ${refilled} - ${num(cost)},
      updated_at = ${sql.raw(greatest)}(rate_buckets.updated_at, ${at})
    WHERE ${refilled} >= ${num(cost)}
    RETURNING tokens`;
});
const bucketQuery = prepared((db, key: string) => db.selectFrom('rate_buckets').select(['tokens', 'updated_at']).where('key', '=', key));

/** A refused take: when the bucket will hold `cost` tokens again. */
function refusal(row: { tokens: number; updated_at: number } | undefined, policy: BucketPolicy, now: number, cost: number): TakeResult {
  const tokens = row ? Math.min(policy.capacity, row.tokens + (now - row.updated_at) * (policy.refillPerSecond / 1000)) : 0;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - tokens) / policy.refillPerSecond)) };
}
const resetQuery = prepared((db, key: string) => db.deleteFrom('rate_buckets').where('key', '=', key));
// Never above the capacity: tokens given back to a bucket that refilled meanwhile are dropped.
const giveBackQuery = prepared((db, key: string, cost: number, capacity: number) =>
  db
    .updateTable('rate_buckets')
    .set({ tokens: dialectOf(db) === 'postgres' ? sql<number>`LEAST(CAST(${capacity} AS double precision), tokens + CAST(${cost} AS double precision))` : sql<number>`MIN(${capacity}, tokens + ${cost})` })
    .where('key', '=', key),
);

export interface BucketPolicy {
  /** Largest number of tokens the bucket holds (the burst). */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Token buckets kept in the database, so every Verity process on one database shares them.
 * A take is one atomic upsert: the bucket is refilled for the time elapsed and one token is
 * removed only if at least one is available (no read-then-write race between processes).
 */
export class RateLimitStore {
  constructor(private readonly db: Kysely<Database>) {}

  async take(key: string, policy: BucketPolicy, now: number, cost = 1): Promise<TakeResult> {
    const perMs = policy.refillPerSecond / 1000;
    const rows = await takeQuery(this.db, key, policy.capacity, perMs, now, cost);
    if (rows.length > 0 && policy.capacity >= cost) return { allowed: true };
    return refusal((await bucketQuery(this.db, key))[0], policy, now, cost);
  }

  /**
   * Gives back `cost` tokens a take of the caller spent on a request that was then refused or rolled back
   * (one short statement, like the take: no lock is held between them). Never above the capacity.
   */
  async giveBack(key: string, policy: BucketPolicy, cost = 1): Promise<void> {
    await giveBackQuery(this.db, key, cost, policy.capacity);
  }

  /** Refills a bucket completely (used when a verification completes, as the hosted API does). */
  async reset(key: string): Promise<void> {
    await resetQuery(this.db, key);
  }

  /** Drops buckets untouched for `idleMs`; a missing bucket is a full one. */
  async prune(now: number, idleMs: number): Promise<number> {
    const result = await this.db.deleteFrom('rate_buckets').where('updated_at', '<', now - idleMs).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/**
 * Takes from several buckets, each in its own short statement outside any transaction (a row lock lasts
 * one statement, so requests sharing a bucket do not queue behind each other's transactions), and gives
 * every token taken back when the request is refused later or its transaction rolls back. It never admits
 * more than a bucket allows: a token is only ever returned after it was taken. A refund may briefly refuse a
 * concurrent request that would have fitted, and a process that dies between take and refund loses those
 * tokens: both err on the side of the limit.
 */
export class BucketCharges {
  private readonly taken: { key: string; policy: BucketPolicy; cost: number }[] = [];

  constructor(private readonly store: Pick<RateLimitStore, 'take' | 'giveBack'>) {}

  /** One take; an allowed one is remembered for {@link refund}. */
  async take(key: string, policy: BucketPolicy, now: number, cost = 1): Promise<TakeResult> {
    const result = await this.store.take(key, policy, now, cost);
    if (result.allowed) this.taken.push({ key, policy, cost });
    return result;
  }

  /** Gives back every token taken so far (once: a second call gives back nothing). */
  async refund(): Promise<void> {
    const taken = this.taken.splice(0);
    for (const { key, policy, cost } of taken) await this.store.giveBack(key, policy, cost);
  }
}

/**
 * The API's per-account and per-IP buckets, without a database write per request: tokens are
 * taken from the shared bucket in small leases (about 50 ms of refill, at most a tenth of the
 * burst) and spent locally. Across processes the limit still holds: a process can be ahead by
 * at most one unspent lease per key, and unspent tokens are dropped after `holdMs`. With small
 * policies (refill under 40/s or a burst under 20) the lease is one token: exactly the old behaviour.
 */
export class LeasedRateLimiter {
  private readonly held = new Map<string, { tokens: number; expires: number }>();
  private readonly inflight = new Map<string, Promise<TakeResult>>();

  constructor(
    private readonly store: RateLimitStore,
    private readonly leaseMs = 50,
    private readonly holdMs = 1000,
  ) {}

  async take(key: string, policy: BucketPolicy, now: number): Promise<TakeResult> {
    // Concurrent misses on one key wait for the one lease in flight instead of each taking a
    // lease (which would drain the shared bucket many leases at a time).
    for (let waited = 0; ; waited++) {
      const held = this.held.get(key);
      if (held && held.expires > now && held.tokens >= 1) {
        held.tokens -= 1;
        return { allowed: true };
      }
      const pending = this.inflight.get(key);
      if (!pending || waited >= 3) break;
      await pending;
    }
    const lease = Math.max(1, Math.min(Math.floor(policy.capacity / 10), Math.floor((policy.refillPerSecond * this.leaseMs) / 1000)));
    const leasing = this.lease(key, policy, now, lease);
    if (lease > 1 && !this.inflight.has(key)) {
      this.inflight.set(key, leasing);
      void leasing.finally(() => this.inflight.delete(key)).catch(() => undefined);
    }
    return leasing;
  }

  private async lease(key: string, policy: BucketPolicy, now: number, lease: number): Promise<TakeResult> {
    const { store } = this;
    let granted = lease;
    let result = await store.take(key, policy, now, lease);
    if (!result.allowed && lease > 1) {
      granted = 1;
      result = await store.take(key, policy, now, 1);
    }
    if (!result.allowed) {
      // Another request's lease may have landed meanwhile: spend from it before refusing.
      const held = this.held.get(key);
      if (held && held.expires > now && held.tokens >= 1) {
        held.tokens -= 1;
        return { allowed: true };
      }
    }
    if (result.allowed && granted > 1) {
      const current = this.held.get(key);
      if (current && current.expires > now) current.tokens += granted - 1;
      else {
        if (this.held.size >= 100_000) this.held.clear();
        this.held.set(key, { tokens: granted - 1, expires: now + this.holdMs });
      }
    }
    return result;
  }
}

/** Rate buckets as steps of a transaction (src/store/steps.ts). */
export const rateLimitSteps = {
  /** RateLimitStore.take as a step (for a bucket taken inside a transaction, e.g. the per-destination send budget). */
  *take(key: string, policy: BucketPolicy, now: number, cost = 1): Steps<TakeResult> {
    const { rows } = yield* query(takeQuery, key, policy.capacity, policy.refillPerSecond / 1000, now, cost);
    if (rows.length > 0 && policy.capacity >= cost) return { allowed: true };
    const { rows: found } = yield* query(bucketQuery, key);
    return refusal(found[0], policy, now, cost);
  },
  /** RateLimitStore.reset as a step. */
  *reset(key: string): Steps<void> {
    yield* query(resetQuery, key);
  },
};
