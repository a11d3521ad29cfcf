import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Verify's Service Rate Limits: a service's named RateLimits (`RK…`, a `unique_name` per service)
 * and each one's Buckets (`BL…`, Max requests per Interval seconds, one bucket per interval).
 * Deleting the service deletes its rate limits, and deleting a rate limit its buckets. The counts
 * themselves live in `rate_buckets` (src/store/rate-limit-store.ts), shared by every node.
 */
export function rateLimitDefinitions(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('rate_limits')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('service_sid', 'text', (c) => c.notNull().references('services.sid').onDelete('cascade'))
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('unique_name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .addUniqueConstraint('rate_limits_unique_name', ['service_sid', 'unique_name'])
        .execute();
      await db.schema
        .createTable('rate_limit_buckets')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('rate_limit_sid', 'text', (c) => c.notNull().references('rate_limits.sid').onDelete('cascade'))
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('max', 'integer', (c) => c.notNull())
        .addColumn('interval', 'integer', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .addUniqueConstraint('rate_limit_buckets_interval', ['rate_limit_sid', 'interval'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('rate_limit_buckets').ifExists().execute();
      await db.schema.dropTable('rate_limits').ifExists().execute();
    },
  };
}
