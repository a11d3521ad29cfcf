import type { Kysely } from 'kysely';
import { dialectOf } from './dialect.ts';
import type { Database, RateLimitBucketRow, RateLimitRow } from './schema.ts';

type Page = { limit: number; offset: number };

/**
 * Verify's Service Rate Limits and their Buckets (tables `rate_limits`, `rate_limit_buckets`).
 * Only the definitions: what each bucket has counted lives in `rate_buckets` (RateLimitStore).
 * Caps (rate limits per service, buckets per rate limit) are counted under a row lock: call
 * `lockService` / `lockRateLimit` first in the same transaction.
 */
export class RateLimitDefinitionsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Row-locks the service (PostgreSQL) so concurrent creates count its rate limits one at a time; SQLite transactions already hold the write lock. */
  async lockService(serviceSid: string): Promise<void> {
    if (dialectOf(this.db) !== 'postgres') return;
    await this.db.selectFrom('services').select('sid').where('sid', '=', serviceSid).forUpdate().execute();
  }

  /** Row-locks the rate limit (PostgreSQL) so its buckets' count and intervals are checked one writer at a time. */
  async lockRateLimit(sid: string): Promise<void> {
    if (dialectOf(this.db) !== 'postgres') return;
    await this.db.selectFrom('rate_limits').select('sid').where('sid', '=', sid).forUpdate().execute();
  }

  async countRateLimits(serviceSid: string): Promise<number> {
    const row = await this.db.selectFrom('rate_limits').select((eb) => eb.fn.countAll<number>().as('n')).where('service_sid', '=', serviceSid).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Inserts `row` unless the service has a rate limit of that unique name; false when it had. */
  async insertRateLimit(row: RateLimitRow): Promise<boolean> {
    const result = await this.db.insertInto('rate_limits').values(row).onConflict((oc) => oc.columns(['service_sid', 'unique_name']).doNothing()).executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async findRateLimit(serviceSid: string, sid: string): Promise<RateLimitRow | undefined> {
    return this.db.selectFrom('rate_limits').selectAll().where('service_sid', '=', serviceSid).where('sid', '=', sid).executeTakeFirst();
  }

  async findRateLimitNamed(serviceSid: string, uniqueName: string): Promise<RateLimitRow | undefined> {
    return this.db.selectFrom('rate_limits').selectAll().where('service_sid', '=', serviceSid).where('unique_name', '=', uniqueName).executeTakeFirst();
  }

  /** The service's rate limits among `uniqueNames` (the ones a verification names). */
  async rateLimitsNamed(serviceSid: string, uniqueNames: string[]): Promise<RateLimitRow[]> {
    if (uniqueNames.length === 0) return [];
    return this.db.selectFrom('rate_limits').selectAll().where('service_sid', '=', serviceSid).where('unique_name', 'in', uniqueNames).execute();
  }

  /** Oldest first, the SID breaking ties, so pages are stable. */
  async listRateLimits(serviceSid: string, { limit, offset }: Page): Promise<RateLimitRow[]> {
    return this.db.selectFrom('rate_limits').selectAll().where('service_sid', '=', serviceSid).orderBy('date_created', 'asc').orderBy('sid', 'asc').limit(limit).offset(offset).execute();
  }

  async updateRateLimit(sid: string, changes: Pick<RateLimitRow, 'description' | 'date_updated'>): Promise<RateLimitRow | undefined> {
    return this.db.updateTable('rate_limits').set(changes).where('sid', '=', sid).returningAll().executeTakeFirst();
  }

  /** Deletes the rate limit and (cascade) its buckets. */
  async deleteRateLimit(serviceSid: string, sid: string): Promise<boolean> {
    const result = await this.db.deleteFrom('rate_limits').where('service_sid', '=', serviceSid).where('sid', '=', sid).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async countBuckets(rateLimitSid: string): Promise<number> {
    const row = await this.db.selectFrom('rate_limit_buckets').select((eb) => eb.fn.countAll<number>().as('n')).where('rate_limit_sid', '=', rateLimitSid).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Inserts `row` unless its rate limit has a bucket of that interval; false when it had. */
  async insertBucket(row: RateLimitBucketRow): Promise<boolean> {
    const result = await this.db.insertInto('rate_limit_buckets').values(row).onConflict((oc) => oc.columns(['rate_limit_sid', 'interval']).doNothing()).executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async findBucket(rateLimitSid: string, sid: string): Promise<RateLimitBucketRow | undefined> {
    return this.db.selectFrom('rate_limit_buckets').selectAll().where('rate_limit_sid', '=', rateLimitSid).where('sid', '=', sid).executeTakeFirst();
  }

  /** Another bucket of the rate limit with this interval (the one `exceptSid` excluded). */
  async findBucketWithInterval(rateLimitSid: string, interval: number, exceptSid: string): Promise<RateLimitBucketRow | undefined> {
    return this.db.selectFrom('rate_limit_buckets').selectAll().where('rate_limit_sid', '=', rateLimitSid).where('interval', '=', interval).where('sid', '<>', exceptSid).executeTakeFirst();
  }

  /** Every bucket of these rate limits. */
  async bucketsOf(rateLimitSids: string[]): Promise<RateLimitBucketRow[]> {
    if (rateLimitSids.length === 0) return [];
    return this.db.selectFrom('rate_limit_buckets').selectAll().where('rate_limit_sid', 'in', rateLimitSids).orderBy('sid', 'asc').execute();
  }

  /** Oldest first, the SID breaking ties. */
  async listBuckets(rateLimitSid: string, { limit, offset }: Page): Promise<RateLimitBucketRow[]> {
    return this.db.selectFrom('rate_limit_buckets').selectAll().where('rate_limit_sid', '=', rateLimitSid).orderBy('date_created', 'asc').orderBy('sid', 'asc').limit(limit).offset(offset).execute();
  }

  async updateBucket(sid: string, changes: Pick<RateLimitBucketRow, 'max' | 'interval' | 'date_updated'>): Promise<RateLimitBucketRow | undefined> {
    return this.db.updateTable('rate_limit_buckets').set(changes).where('sid', '=', sid).returningAll().executeTakeFirst();
  }

  async deleteBucket(rateLimitSid: string, sid: string): Promise<boolean> {
    const result = await this.db.deleteFrom('rate_limit_buckets').where('rate_limit_sid', '=', rateLimitSid).where('sid', '=', sid).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
