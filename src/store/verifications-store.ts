import { sql, type Kysely } from 'kysely';
import { decodeVerification, encodeVerification, encodeVerificationPatch } from './codecs/verifications-codec.ts';
import { dialectOf } from './dialect.ts';
import { prepared } from './prepared.ts';
import type { Database, VerificationRow, VerificationsTable, VerificationStatus } from './schema.ts';

/**
 * `status = 'pending'` as a literal, not a bound parameter: SQLite can then match the partial index
 * `verifications_one_pending` when it prepares the statement. With a parameter, better-sqlite3's
 * SQLite (built with SQLITE_ENABLE_STAT4) re-plans the statement on every run: 3× slower lookups.
 */
const PENDING = sql.lit('pending');

// The hot queries, compiled once per dialect (see prepared.ts).
const findQuery = prepared((db, serviceSid: string, sid: string) =>
  db.selectFrom('verifications').selectAll().where('sid', '=', sid).where('service_sid', '=', serviceSid),
);
const findPendingQuery = prepared((db, serviceSid: string, destination: string, requester: string) =>
  db.selectFrom('verifications').selectAll().where('service_sid', '=', serviceSid).where('destination', '=', destination).where('requester', '=', requester).where('status', '=', PENDING),
);
const findPendingForUpdateQuery = prepared((db, serviceSid: string, destination: string, requester: string) =>
  db.selectFrom('verifications').selectAll().where('service_sid', '=', serviceSid).where('destination', '=', destination).where('requester', '=', requester).where('status', '=', PENDING).forUpdate(),
);
const countCheckAttemptQuery = prepared((db, sid: string, now: number, maxAttempts: number) =>
  db
    .updateTable('verifications')
    .set({ check_attempts: sql`check_attempts + 1`, date_updated: now })
    .where('sid', '=', sid)
    .where('status', '=', PENDING)
    .where('check_attempts', '<', maxAttempts)
    .where('expires_at', '>', now)
    .returningAll(),
);
const completePendingQuery = prepared((db, sid: string, status: string, now: number) =>
  db.updateTable('verifications').set({ status, date_updated: now }).where('sid', '=', sid).where('status', '=', PENDING).returningAll(),
);

const decodeOne = (row: VerificationsTable | undefined): VerificationRow | undefined => row && decodeVerification(row);
const decodeFirst = (rows: VerificationsTable[]): VerificationRow | undefined => decodeOne(rows[0]);

/**
 * Verifications. Every state change is one conditional UPDATE (`WHERE status = 'pending'`),
 * so concurrent requests can never approve twice or lose a counted attempt.
 */
export class VerificationsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts a pending verification; false if one is already pending for this destination and requester. */
  async insertPending(row: VerificationRow): Promise<boolean> {
    const r = await this.db
      .insertInto('verifications')
      .values(encodeVerification(row))
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async find(serviceSid: string, sid: string): Promise<VerificationRow | undefined> {
    return decodeFirst(await findQuery(this.db, serviceSid, sid));
  }

  /** The service of verification `sid`, of any service (its events stream is authorised by its token alone). */
  async serviceSidOf(sid: string): Promise<string | undefined> {
    return (await this.db.selectFrom('verifications').select('service_sid').where('sid', '=', sid).executeTakeFirst())?.service_sid;
  }

  /** The verification, row-locked for the rest of the transaction on PostgreSQL (SQLite serializes anyway). */
  async findForUpdate(serviceSid: string, sid: string): Promise<VerificationRow | undefined> {
    const query = this.db.selectFrom('verifications').selectAll().where('service_sid', '=', serviceSid).where('sid', '=', sid);
    return decodeOne(await (dialectOf(this.db) === 'postgres' ? query.forUpdate() : query).executeTakeFirst());
  }

  /**
   * The pending verification of a destination started by `requester` (API_REQUESTER for the
   * application's API, see src/verify/limits.ts); another requester's is never returned. `forUpdate` row-locks it (on PostgreSQL) for a
   * read-modify-write such as a resend; SQLite transactions already hold the database's write lock.
   * Lock order everywhere: verification row, then failure counter, then rate buckets.
   */
  async findPending(serviceSid: string, destination: string, requester: string, options: { forUpdate?: boolean } = {}): Promise<VerificationRow | undefined> {
    return decodeFirst(await (options.forUpdate === true && dialectOf(this.db) === 'postgres' ? findPendingForUpdateQuery : findPendingQuery)(this.db, serviceSid, destination, requester));
  }

  /**
   * The newest verification to `destination` started by `requester`, whatever its status (index
   * verifications_by_destination): after the fifth wrong code nothing is pending, and this tells a
   * check by `To` that its verification ran out of attempts.
   */
  async findNewest(serviceSid: string, destination: string, requester: string): Promise<VerificationRow | undefined> {
    return decodeOne(await this.db.selectFrom('verifications').selectAll().where('service_sid', '=', serviceSid).where('destination', '=', destination).where('requester', '=', requester).orderBy('date_created', 'desc').limit(1).executeTakeFirst());
  }

  /** Counts one check if the verification is still pending, unexpired and under the limit. */
  async countCheckAttempt(sid: string, now: number, maxAttempts: number): Promise<VerificationRow | undefined> {
    return decodeFirst(await countCheckAttemptQuery(this.db, sid, now, maxAttempts));
  }

  /** Moves a verification from `pending` to `status`; undefined if it was no longer pending. */
  async completePending(sid: string, status: VerificationStatus, now: number, extra: Omit<Partial<VerificationRow>, 'status'> = {}): Promise<VerificationRow | undefined> {
    if (Object.keys(extra).length === 0) return decodeFirst(await completePendingQuery(this.db, sid, status, now));
    return decodeOne(
      await this.db
        .updateTable('verifications')
        .set({ ...encodeVerificationPatch(extra), status, date_updated: now })
        .where('sid', '=', sid)
        .where('status', '=', PENDING)
        .returningAll()
        .executeTakeFirst(),
    );
  }

  /** Changes a verification's other fields (a resend); its status only ever changes through src/verify/lifecycle. */
  async update(sid: string, patch: Omit<Partial<VerificationRow>, 'status'>): Promise<void> {
    await this.db.updateTable('verifications').set(encodeVerificationPatch(patch)).where('sid', '=', sid).execute();
  }

  async findExpiredPending(now: number, limit: number): Promise<VerificationRow[]> {
    return (await this.db.selectFrom('verifications').selectAll().where('status', '=', PENDING).where('expires_at', '<=', now).limit(limit).execute()).map(decodeVerification);
  }
}
