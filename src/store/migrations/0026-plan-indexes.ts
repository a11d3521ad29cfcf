import { sql, type Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** Tables updated in place on every request: vacuumed and analysed early, with room in each page for HOT updates. */
const HOT_UPDATE_TABLES = ['verifications', 'rate_buckets', 'check_failures'] as const;
/** Growing or churning tables whose statistics must follow them (plans that stay on their indexes). */
const FAST_CHANGING_TABLES = [...HOT_UPDATE_TABLES, 'webhook_deliveries', 'events', 'delivery_attempts'] as const;

/**
 * Issue 16: every admin view and sweep on an index.
 * - verifications (service_sid, date_created, sid): the console's list (newest first) and its 14-day chart.
 * - verifications (expires_at) WHERE status = 'pending': the expiry sweep's claim, whatever the share of pending rows
 *   (replaces (status, expires_at), which also indexed every decided row).
 * - calls (date_updated) WHERE active = 1: the stale-call sweep reads live calls only.
 * PostgreSQL: autovacuum/ANALYZE thresholds and fillfactor (docs/scaling.md, "Maintenance and retention").
 */
export function planIndexes(dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('verifications_by_service_created').on('verifications').columns(['service_sid', 'date_created', 'sid']).execute();
      await db.schema.createIndex('verifications_pending_by_expiry').on('verifications').column('expires_at').where(sql.ref('status'), '=', 'pending').execute();
      await db.schema.dropIndex('verifications_pending_expiry').execute();
      await db.schema.createIndex('calls_live_by_update').on('calls').column('date_updated').where(sql.ref('active'), '=', 1).execute();
      if (dialect !== 'postgres') return;
      for (const table of FAST_CHANGING_TABLES) {
        await sql`ALTER TABLE ${sql.table(table)} SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01)`.execute(db);
      }
      for (const table of HOT_UPDATE_TABLES) await sql`ALTER TABLE ${sql.table(table)} SET (fillfactor = 85)`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'postgres') {
        for (const table of FAST_CHANGING_TABLES) {
          await sql`ALTER TABLE ${sql.table(table)} RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor, fillfactor)`.execute(db);
        }
      }
      await db.schema.dropIndex('calls_live_by_update').execute();
      await db.schema.createIndex('verifications_pending_expiry').on('verifications').columns(['status', 'expires_at']).execute();
      await db.schema.dropIndex('verifications_pending_by_expiry').execute();
      await db.schema.dropIndex('verifications_by_service_created').execute();
    },
  };
}
