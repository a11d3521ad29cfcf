import { sql, type Kysely } from 'kysely';
import type { DialectName } from './database.ts';
import type { Database } from './schema.ts';

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
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  async take(key: string, policy: BucketPolicy, now: number, cost = 1): Promise<TakeResult> {
    const perMs = policy.refillPerSecond / 1000;
    const least = this.dialect === 'postgres' ? sql.raw('LEAST') : sql.raw('MIN');
    const refilled = sql`${least}(${sql.lit(policy.capacity)}, rate_buckets.tokens + (${now} - rate_buckets.updated_at) * ${sql.lit(perMs)})`;
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
    await this.db.deleteFrom('rate_buckets').where('key', '=', key).execute();
  }

  /** Drops buckets untouched for `idleMs`; a missing bucket is a full one. */
  async prune(now: number, idleMs: number): Promise<number> {
    const result = await this.db.deleteFrom('rate_buckets').where('updated_at', '<', now - idleMs).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
