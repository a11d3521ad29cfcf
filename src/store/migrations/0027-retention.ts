import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Issue 16: retention prunes every growing table by its immutable `date_created`, oldest first, in small batches
 * (src/store/maintenance-store.ts). Each table it prunes needs an index that starts with `date_created`; one on
 * a column that never changes costs inserts only (updates stay HOT on PostgreSQL). delivery_attempts has one
 * (delivery_attempts_by_date, 0015); sim_messages is walked by its sequence.
 */
const RETENTION_INDEXES = [
  ['verifications_by_created', 'verifications'],
  ['events_by_created', 'events'],
  ['webhook_deliveries_by_created', 'webhook_deliveries'],
  ['verification_events_by_created', 'verification_events'],
  ['verification_attempts_by_created', 'verification_attempts'],
  ['calls_by_created', 'calls'],
  ['challenges_by_created', 'challenges'],
  ['authy_approval_requests_by_created', 'authy_approval_requests'],
] as const;

export function retention(dialect: Dialect) {
  void dialect;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const [name, table] of RETENTION_INDEXES) await db.schema.createIndex(name).on(table).column('date_created').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const [name] of RETENTION_INDEXES) await db.schema.dropIndex(name).execute();
    },
  };
}
