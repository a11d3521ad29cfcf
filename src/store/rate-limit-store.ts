import { sql, type Kysely } from 'kysely';
import type { DialectName } from './database.ts';
import { dialectOf } from './dialect.ts';
import { prepared } from './prepared.ts';
import type { Database } from './schema.ts';

const resetQuery = prepared((db, key: string) => db.deleteFrom('rate_buckets').where('key', '=', key));

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
  private readonly dialect: DialectName;
  constructor(private readonly db: Kysely<Database>) {
    this.dialect = dialectOf(db);
  }

  async take(key: string, policy: BucketPolicy, now: number, cost = 1): Promise<TakeResult> {
    const perMs = policy.refillPerSecond / 1000;
    const least = this.dialect === 'postgres' ? sql.raw('LEAST') : sql.raw('MIN');
    const greatest = this.dialect === 'postgres' ? sql.raw('GREATEST') : sql.raw('MAX');
    // Elapsed time is clamped at 0: a request whose `now` was read before a concurrent one's
    // reaches the database after it, and must not be charged for "negative" refill.
    const refilled = sql`${least}(${sql.lit(policy.capacity)}, rate_buckets.tokens + ${greatest}(0, ${now} - rate_buckets.updated_at) * ${sql.lit(perMs)})`;
    const result = await sql<{ tokens: number }>`
      INSERT INTO rate_buckets (key, tokens, updated_at)
      VALUES (${key}, ${policy.capacity - cost}, ${now})
      ON CONFLICT (key) DO UPDATE SET
        tokens = ${refilled} - ${sql.lit(cost)},
        updated_at = ${sql.raw(this.dialect === 'postgres' ? 'GREATEST' : 'MAX')}(rate_buckets.updated_at, ${now})
      WHERE ${refilled} >= ${sql.lit(cost)}
      RETURNING tokens`.execute(this.db);
    if (result.rows.length > 0 && policy.capacity >= cost) return { allowed: true };
    const row = await this.db.selectFrom('rate_buckets').select(['tokens', 'updated_at']).where('key', '=', key).executeTakeFirst();
    const tokens = row ? Math.min(policy.capacity, row.tokens + (now - row.updated_at) * perMs) : 0;
    const retryAfterSeconds = Math.max(1, Math.ceil((cost - tokens) / policy.refillPerSecond));
    return { allowed: false, retryAfterSeconds };
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
