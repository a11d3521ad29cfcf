import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect.ts';
import type { AuthyApprovalRequestRow, Database } from './schema.ts';

/** A decided approval request whose callback is due, with what the callback needs. */
export interface DueCallback {
  uuid: string;
  callback_attempts: number;
  service_sid: string;
  app_sid: string;
  callback_url: string | null;
  secret_sealed: string | null;
}

const asRow = (row: AuthyApprovalRequestRow): AuthyApprovalRequestRow => ({ ...row, authy_id: Number(row.authy_id), seconds_to_expire: Number(row.seconds_to_expire) });

/**
 * The `authy_approval_requests` table: OneTouch requests and their callbacks' outbox. A callback is
 * due once its challenge is approved or denied; it is claimed (leased) in one statement per batch
 * and settled only while that lease is still the claimer's.
 */
export class AuthyApprovalsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: AuthyApprovalRequestRow): Promise<void> {
    await this.db.insertInto('authy_approval_requests').values(row).execute();
  }

  async find(serviceSid: string, uuid: string): Promise<AuthyApprovalRequestRow | undefined> {
    const row = await this.db.selectFrom('authy_approval_requests').selectAll().where('service_sid', '=', serviceSid).where('uuid', '=', uuid).executeTakeFirst();
    return row && asRow(row);
  }

  async findAny(uuid: string): Promise<AuthyApprovalRequestRow | undefined> {
    const row = await this.db.selectFrom('authy_approval_requests').selectAll().where('uuid', '=', uuid).executeTakeFirst();
    return row && asRow(row);
  }

  /**
   * Leases up to `limit` due callbacks (challenge approved or denied, not leased) until `leaseUntil`
   * in one statement and returns them, oldest due first. PostgreSQL skips rows another node is
   * claiming (`FOR UPDATE SKIP LOCKED`), so nodes share the work instead of racing for the same rows.
   */
  async claimDue(now: number, limit: number, leaseUntil: number): Promise<DueCallback[]> {
    const due = sql`
      SELECT r.uuid FROM authy_approval_requests r JOIN challenges c ON c.sid = r.challenge_sid
      WHERE r.callback_state = 'awaiting' AND r.callback_next_at <= ${now} AND r.callback_lease_until <= ${now}
        AND c.status IN ('approved', 'denied')
      ORDER BY r.callback_next_at LIMIT ${limit}`;
    const claimed =
      dialectOf(this.db) === 'postgres'
        ? await sql<{ uuid: string }>`
            WITH picked AS (${due} FOR UPDATE OF r SKIP LOCKED)
            UPDATE authy_approval_requests a SET callback_lease_until = ${leaseUntil} FROM picked WHERE a.uuid = picked.uuid RETURNING a.uuid`.execute(this.db)
        : await sql<{ uuid: string }>`UPDATE authy_approval_requests SET callback_lease_until = ${leaseUntil} WHERE uuid IN (${due}) RETURNING uuid`.execute(this.db);
    if (claimed.rows.length === 0) return [];
    const rows = await this.db
      .selectFrom('authy_approval_requests as r')
      .innerJoin('authy_apps as a', 'a.service_sid', 'r.service_sid')
      .select(['r.uuid', 'r.callback_attempts', 'r.service_sid', 'a.sid as app_sid', 'a.onetouch_callback_url as callback_url', 'a.secret_sealed'])
      .where('r.uuid', 'in', claimed.rows.map((row) => row.uuid))
      .orderBy('r.callback_next_at', 'asc')
      .execute();
    return rows.map((row) => ({ ...row, callback_attempts: Number(row.callback_attempts) }));
  }

  /**
   * Ends the wait of requests whose challenge can no longer be answered (expired, or past its
   * expiration date while pending): Authy calls back only approvals and denials, so they would
   * otherwise stay `awaiting` and be scanned at every pass.
   */
  async closeUnanswerable(now: number): Promise<void> {
    await this.db
      .updateTable('authy_approval_requests')
      .set({ callback_state: 'expired' })
      .where('callback_state', '=', 'awaiting')
      // Correlated on the challenge's primary key: only the (few) awaiting rows are looked at.
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('challenges as c')
            .select('c.sid')
            .whereRef('c.sid', '=', 'authy_approval_requests.challenge_sid')
            .where((w) => w.or([w('c.status', '=', 'expired'), w.and([w('c.status', '=', 'pending'), w('c.expiration_date', '<=', now)])])),
        ),
      )
      .execute();
  }

  /** Forgets a removed user's requests (their challenges went with the entity). */
  async deleteForUser(serviceSid: string, authyId: number): Promise<void> {
    await this.db.deleteFrom('authy_approval_requests').where('service_sid', '=', serviceSid).where('authy_id', '=', authyId).execute();
  }

  /** Records an attempt and releases the lease, only while the lease is still `leaseUntil`. */
  async settle(uuid: string, leaseUntil: number, changes: Pick<AuthyApprovalRequestRow, 'callback_state' | 'callback_attempts' | 'callback_next_at' | 'callback_last_error'>): Promise<boolean> {
    const result = await this.db
      .updateTable('authy_approval_requests')
      .set({ ...changes, callback_lease_until: 0 })
      .where('uuid', '=', uuid)
      .where('callback_lease_until', '=', leaseUntil)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
