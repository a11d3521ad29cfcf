import { sql, type Kysely, type RawBuilder } from 'kysely';
import { dialectOf } from './dialect.ts';
import type { Database } from './schema.ts';

/** The most rows one statement of a sweep touches: short locks, short transactions, a steady WAL. */
export const MAINTENANCE_BATCH = 1000;

const PENDING = sql.lit('pending');

/** A table retention prunes, oldest first: which rows may go, in the order of an index that starts with `order`. */
interface RetentionTable {
  table: keyof Database & string;
  /** The order of the batch: an index starting with it makes each batch a range read. */
  order: string;
  /** The immutable column a row is aged by (default `order`). */
  agedColumn?: string;
  /** Rows that must stay whatever their age (pending, undelivered, live), as a condition a row must meet to go. */
  mayGo?: (table: string) => RawBuilder<boolean>;
}

/** Its verification is not pending (or is gone): a pending verification keeps every child row. */
const verificationDecided = (column: string) => (table: string) =>
  sql<boolean>`NOT EXISTS (SELECT 1 FROM verifications v WHERE v.sid = ${sql.ref(`${table}.${column}`)} AND v.status = ${PENDING})`;

/**
 * Children before parents: a step never removes a row something older still needs (a pending
 * verification's attempts, an event with a delivery still to make). Delivery attempts and their
 * provider message ids are one step of their own (pruneDeliveryAttempts).
 */
const RETENTION_TABLES: readonly RetentionTable[] = [
  { table: 'webhook_deliveries', order: 'date_created', mayGo: (t) => sql<boolean>`${sql.ref(`${t}.status`)} IN ('delivered', 'failed')` },
  { table: 'events', order: 'date_created', mayGo: (t) => sql<boolean>`NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_sid = ${sql.ref(`${t}.sid`)})` },
  { table: 'verification_events', order: 'date_created', mayGo: verificationDecided('verification_sid') },
  { table: 'verification_attempts', order: 'date_created', mayGo: verificationDecided('verification_sid') },
  // A factor call's progress (migration 0033) once its call has ended (or is gone): before the calls themselves.
  { table: 'factor_call_events', order: 'date_created', mayGo: (t) => sql<boolean>`NOT EXISTS (SELECT 1 FROM calls c WHERE c.sid = ${sql.ref(`${t}.call_sid`)} AND c.active = 1)` },
  { table: 'calls', order: 'date_created', mayGo: (t) => sql<boolean>`${sql.ref(`${t}.active`)} IS NULL` },
  { table: 'verifications', order: 'date_created', mayGo: (t) => sql<boolean>`${sql.ref(`${t}.status`)} <> ${PENDING}` },
  { table: 'authy_approval_requests', order: 'date_created', mayGo: (t) => sql<boolean>`${sql.ref(`${t}.callback_state`)} <> 'awaiting'` },
  { table: 'challenges', order: 'date_created', mayGo: (t) => sql<boolean>`${sql.ref(`${t}.status`)} <> ${PENDING}` },
  // The sequence grows with the date: walking it from the start reads the oldest messages first, no index needed.
  { table: 'sim_messages', order: 'seq', agedColumn: 'date_created' },
  // The send gate's refusal counters, by their day (00:00 UTC, ms; index send_refusals_by_day).
  { table: 'send_refusals', order: 'day' },
];

/** The console's audit log: pruned on its own, longer, schedule (VERITY_AUDIT_RETENTION_DAYS; index admin_audit_log_by_created). */
const AUDIT_RETENTION_TABLE: RetentionTable = { table: 'admin_audit_log', order: 'date_created' };
export const AUDIT_RETENTION_ORDER: readonly string[] = [AUDIT_RETENTION_TABLE.table];

/** The tables retention prunes, in the order it prunes them (for reports and tests). */
export const RETENTION_ORDER: readonly string[] = ['delivery_attempts', ...RETENTION_TABLES.map((t) => t.table)];

/**
 * The SQL of the maintenance scheduler (src/maintenance/): job locks shared by every node, the
 * expiry claim, and batched deletes. Every statement reads an index range or a primary-key slice
 * and touches at most MAINTENANCE_BATCH rows.
 */
export class MaintenanceStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Runs `work` while this node holds job `job` of this schema; `{ ran: false }` at once if another
   * node holds it. PostgreSQL: a session advisory lock on one pooled connection (released by the
   * server if the node dies), keyed by schema and job so several deployments can share a database;
   * `work` gets a store bound to that connection, so a job's own statements need no second one.
   * SQLite: one process owns the database file's background work (serve --workers runs the jobs in
   * one worker), so there is nothing to lock.
   */
  async withJobLock<T>(job: string, work: (store: MaintenanceStore) => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (dialectOf(this.db) !== 'postgres') return { ran: true, value: await work(this) };
    return this.db.connection().execute(async (connection) => {
      const key = sql`hashtext('verity:maintenance'), hashtext(current_schema() || ':' || ${job})`;
      const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${key}) AS locked`.execute(connection);
      if (rows[0]?.locked !== true) return { ran: false as const };
      try {
        return { ran: true as const, value: await work(new MaintenanceStore(connection)) };
      } finally {
        await sql`SELECT pg_advisory_unlock(${key})`.execute(connection);
      }
    });
  }

  /**
   * SIDs of up to `limit` pending verifications past their expiry, oldest first (partial index
   * verifications_pending_by_expiry). On PostgreSQL the rows stay locked until the caller's
   * transaction ends and rows another node holds are skipped, so nodes share a backlog instead of
   * racing for its oldest rows. Call it inside a transaction.
   */
  async claimExpiredPending(now: number, limit: number): Promise<string[]> {
    const query = this.db.selectFrom('verifications').select('sid').where('status', '=', PENDING).where('expires_at', '<=', now).orderBy('expires_at').limit(Math.min(limit, MAINTENANCE_BATCH));
    const rows = await (dialectOf(this.db) === 'postgres' ? query.forUpdate().skipLocked() : query).execute();
    return rows.map((r) => r.sid);
  }

  /**
   * Deletes rate buckets idle since `idleBefore` among the next `limit` keys after `after` (a slice
   * of the primary key: no index on `updated_at`, which every take rewrites). Returns the slice's
   * last key, or undefined once the walk reached the end (start again from '').
   */
  async pruneIdleBuckets(after: string, idleBefore: number, limit = MAINTENANCE_BATCH): Promise<{ deleted: number; last: string | undefined }> {
    const slice = await this.db.selectFrom('rate_buckets').select(['key', 'updated_at']).where('key', '>', after).orderBy('key').limit(limit).execute();
    const idle = slice.filter((r) => r.updated_at < idleBefore).map((r) => r.key);
    let deleted = 0;
    // The age is tested again in the DELETE: a take may have refreshed the bucket since the read.
    if (idle.length > 0) deleted = Number((await this.db.deleteFrom('rate_buckets').where('key', 'in', idle).where('updated_at', '<', idleBefore).executeTakeFirst()).numDeletedRows);
    return { deleted, last: slice.length < limit ? undefined : slice[slice.length - 1]?.key };
  }

  /**
   * Deletes check-failure counters untouched since `idleBefore` whose lock-out is over, among the
   * next `limit` keys after `after` (same walk as pruneIdleBuckets).
   */
  async pruneIdleCheckFailures(after: string, idleBefore: number, now: number, limit = MAINTENANCE_BATCH): Promise<{ deleted: number; last: string | undefined }> {
    const slice = await this.db.selectFrom('check_failures').select(['key', 'date_updated', 'locked_until']).where('key', '>', after).orderBy('key').limit(limit).execute();
    const idle = slice.filter((r) => r.date_updated < idleBefore && r.locked_until <= now).map((r) => r.key);
    let deleted = 0;
    if (idle.length > 0) {
      deleted = Number(
        (await this.db.deleteFrom('check_failures').where('key', 'in', idle).where('date_updated', '<', idleBefore).where('locked_until', '<=', now).executeTakeFirst()).numDeletedRows,
      );
    }
    return { deleted, last: slice.length < limit ? undefined : slice[slice.length - 1]?.key };
  }

  /**
   * One batch of retention on `table` (one of RETENTION_ORDER): deletes at most `limit` of its
   * oldest rows created before `cutoff` that may go. Returns how many it deleted; fewer than
   * `limit` means the table is done for this cut-off.
   */
  async pruneBatch(table: string, cutoff: number, limit = MAINTENANCE_BATCH): Promise<number> {
    if (table === 'delivery_attempts') return this.pruneDeliveryAttempts(cutoff, limit);
    const spec = [...RETENTION_TABLES, AUDIT_RETENTION_TABLE].find((t) => t.table === table);
    if (!spec) throw new Error(`retention does not prune ${table}`);
    const t = spec.table;
    const aged = sql<boolean>`${sql.ref(`${t}.${spec.agedColumn ?? spec.order}`)} < ${cutoff}`;
    const where = spec.mayGo ? sql<boolean>`${aged} AND ${spec.mayGo(t)}` : aged;
    const n = sql.lit(Math.min(limit, MAINTENANCE_BATCH));
    const statement =
      dialectOf(this.db) === 'postgres'
        ? // ctid: one plan for every table (some have composite keys); SKIP LOCKED: never wait on a row in use.
          sql`DELETE FROM ${sql.table(t)} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${sql.table(t)} WHERE ${where} ORDER BY ${sql.ref(spec.order)} LIMIT ${n} FOR UPDATE SKIP LOCKED))`
        : sql`DELETE FROM ${sql.table(t)} WHERE rowid IN (SELECT rowid FROM ${sql.table(t)} WHERE ${where} ORDER BY ${sql.ref(spec.order)} LIMIT ${n})`;
    const result = await statement.execute(this.db);
    return Number(result.numAffectedRows ?? 0n);
  }

  /** Delivery attempts created before `cutoff` whose verification is decided, their provider message ids first. */
  private async pruneDeliveryAttempts(cutoff: number, limit: number): Promise<number> {
    const decided = verificationDecided('verification_sid')('delivery_attempts');
    const sids = (
      await this.db
        .selectFrom('delivery_attempts')
        .select('sid')
        .where('date_created', '<', cutoff)
        .where(() => decided)
        .orderBy('date_created')
        .limit(Math.min(limit, MAINTENANCE_BATCH))
        .execute()
    ).map((r) => r.sid);
    if (sids.length === 0) return 0;
    await this.db.deleteFrom('delivery_message_ids').where('attempt_sid', 'in', sids).execute();
    const result = await this.db.deleteFrom('delivery_attempts').where('sid', 'in', sids).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
