import { sql, type Kysely, type Updateable } from 'kysely';
import type { Database, VerificationRow } from './schema.ts';

export type VerificationStatus = 'pending' | 'approved' | 'canceled' | 'max_attempts_reached' | 'expired' | 'failed';

/**
 * Verifications. Every state change is one conditional UPDATE (`WHERE status = 'pending'`),
 * so concurrent requests can never approve twice or lose a counted attempt.
 */
export class VerificationsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts a pending verification; false if one is already pending for this destination. */
  async insertPending(row: VerificationRow): Promise<boolean> {
    const r = await this.db
      .insertInto('verifications')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async find(serviceSid: string, sid: string): Promise<VerificationRow | undefined> {
    return this.db.selectFrom('verifications').selectAll().where('sid', '=', sid).where('service_sid', '=', serviceSid).executeTakeFirst();
  }

  /**
   * The pending verification of a destination. `forUpdate` row-locks it (PostgreSQL) for a
   * read-modify-write such as a resend; SQLite transactions already hold the database's write lock.
   * Lock order everywhere: verification row, then failure counter, then rate buckets.
   */
  async findPending(serviceSid: string, destination: string, options: { forUpdate?: boolean } = {}): Promise<VerificationRow | undefined> {
    return this.db
      .selectFrom('verifications')
      .selectAll()
      .where('service_sid', '=', serviceSid)
      .where('destination', '=', destination)
      .where('status', '=', 'pending')
      .$if(options.forUpdate === true, (qb) => qb.forUpdate())
      .executeTakeFirst();
  }

  /** Counts one check if the verification is still pending, unexpired and under the limit. */
  async countCheckAttempt(sid: string, now: number, maxAttempts: number): Promise<VerificationRow | undefined> {
    return this.db
      .updateTable('verifications')
      .set({ check_attempts: sql`check_attempts + 1`, date_updated: now })
      .where('sid', '=', sid)
      .where('status', '=', 'pending')
      .where('check_attempts', '<', maxAttempts)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
  }

  /** Moves a verification from `pending` to `status`; undefined if it was no longer pending. */
  async completePending(sid: string, status: VerificationStatus, now: number, extra: Updateable<VerificationRow> = {}): Promise<VerificationRow | undefined> {
    return this.db
      .updateTable('verifications')
      .set({ ...extra, status, date_updated: now })
      .where('sid', '=', sid)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
  }

  async update(sid: string, patch: Updateable<VerificationRow>): Promise<void> {
    await this.db.updateTable('verifications').set(patch).where('sid', '=', sid).execute();
  }

  async findExpiredPending(now: number, limit: number): Promise<VerificationRow[]> {
    return this.db.selectFrom('verifications').selectAll().where('status', '=', 'pending').where('expires_at', '<=', now).limit(limit).execute();
  }
}
