import { sql, type Kysely } from 'kysely';
import { decodeVerification, encodeVerification, encodeVerificationPatch } from './codecs/verifications-codec.ts';
import { dialectOf } from './dialect.ts';
import { chargeStatement, checkFailureSteps, type LockoutSchedule } from './check-failures-store.ts';
import { prepared, type PreparedQuery } from './prepared.ts';
import type { Database, VerificationRow, VerificationsTable, VerificationStatus } from './schema.ts';
import { insertIfAbsentStatement, insertRowIfAbsent } from './shaped-statements.ts';
import { adHoc, dialect, query, type Steps } from './steps.ts';

/**
 * `status = 'pending'` as a literal, not a bound parameter: SQLite can then match the partial index
 * `verifications_one_pending` when it prepares the statement. With a parameter, better-sqlite3's
 * SQLite (built with SQLITE_ENABLE_STAT4) re-plans the statement on every run: 3× slower lookups.
 */
const PENDING = sql.lit('pending');

/**
 * The status guard of a statement keyed by `sid` (the primary key): `(status = 'pending') IS TRUE`
 * means the same (status is NOT NULL) but implies no partial index's predicate, so PostgreSQL can
 * never pick `verifications_one_pending` for it. With statistics taken while no row was pending
 * it believed that index empty and scanned every pending row for the sid (0.3 → 53 ms per check).
 */
const STILL_PENDING = sql<boolean>`(status = ${PENDING}) IS TRUE`;

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
    .where(STILL_PENDING)
    .where('check_attempts', '<', maxAttempts)
    .where('expires_at', '>', now)
    .returningAll(),
);
/**
 * The check's one statement on its common path: finds the pending verification of a destination
 * and counts the check in it (index verifications_one_pending: the literal 'pending' is wanted
 * here). Verifications with a call flow are left to the general path (their codes are judged
 * differently), so they are never counted by this statement.
 */
const countPendingCheckQuery = prepared((db, serviceSid: string, destination: string, requester: string, now: number, maxAttempts: number) =>
  db
    .updateTable('verifications')
    .set({ check_attempts: sql`check_attempts + 1`, date_updated: now })
    .where('service_sid', '=', serviceSid)
    .where('destination', '=', destination)
    .where('requester', '=', requester)
    .where('status', '=', PENDING)
    .where('voice_flow', 'is', null)
    .where('check_attempts', '<', maxAttempts)
    .where('expires_at', '>', now)
    .returningAll(),
);
const completePendingQuery = prepared((db, sid: string, status: string, now: number) =>
  db.updateTable('verifications').set({ status, date_updated: now }).where('sid', '=', sid).where(STILL_PENDING).returningAll(),
);
const findNewestQuery = prepared((db, serviceSid: string, destination: string, requester: string) =>
  db.selectFrom('verifications').selectAll().where('service_sid', '=', serviceSid).where('destination', '=', destination).where('requester', '=', requester).orderBy('date_created', 'desc').limit(1),
);

type ChargeAndCountRow = { charged: number | null } & { [K in keyof VerificationsTable]: VerificationsTable[K] | null };
const chargeAndCountBySchedule = new WeakMap<LockoutSchedule, PreparedQuery<[key: string, serviceSid: string, destination: string, requester: string, now: number, maxAttempts: number], ChargeAndCountRow>>();

/**
 * PostgreSQL: the lock-out charge and countPendingCheck in one statement (one round trip): the
 * UPDATE runs only if the charge did (the key was not locked). Always one row: `charged` is the
 * charge's count or null, the verification's columns are null if nothing was counted.
 */
function chargeAndCountQuery(schedule: LockoutSchedule) {
  let q = chargeAndCountBySchedule.get(schedule);
  if (!q) {
    q = prepared(
      (_db, key: string, serviceSid: string, destination: string, requester: string, now: number, maxAttempts: number) => sql<ChargeAndCountRow>`
        WITH charge AS (${chargeStatement(schedule, key, now)}),
        counted AS (
          UPDATE verifications SET check_attempts = check_attempts + 1, date_updated = ${now}
          WHERE service_sid = ${serviceSid} AND destination = ${destination} AND requester = ${requester} AND status = ${PENDING}
            AND voice_flow IS NULL AND check_attempts < ${maxAttempts} AND expires_at > ${now} AND EXISTS (SELECT 1 FROM charge)
          RETURNING verifications.*)
        SELECT charge.consecutive AS charged, counted.* FROM (SELECT 1) AS one LEFT JOIN charge ON true LEFT JOIN counted ON true`,
    );
    chargeAndCountBySchedule.set(schedule, q);
  }
  return q;
}

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
    return insertRowIfAbsent(this.db, 'verifications', encodeVerification(row));
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
    return decodeFirst(await findNewestQuery(this.db, serviceSid, destination, requester));
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
        .where(STILL_PENDING)
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

/** Verifications as steps of a transaction (src/store/steps.ts): the same statements, run synchronously on SQLite. */
export const verificationSteps = {
  *find(serviceSid: string, sid: string): Steps<VerificationRow | undefined> {
    return decodeFirst((yield* query(findQuery, serviceSid, sid)).rows);
  },
  *findPending(serviceSid: string, destination: string, requester: string): Steps<VerificationRow | undefined> {
    return decodeFirst((yield* query(findPendingQuery, serviceSid, destination, requester)).rows);
  },
  *findNewest(serviceSid: string, destination: string, requester: string): Steps<VerificationRow | undefined> {
    return decodeFirst((yield* query(findNewestQuery, serviceSid, destination, requester)).rows);
  },
  /** Counts one check of `sid` if it is still pending, unexpired and under the limit. */
  *countCheckAttempt(sid: string, now: number, maxAttempts: number): Steps<VerificationRow | undefined> {
    return decodeFirst((yield* query(countCheckAttemptQuery, sid, now, maxAttempts)).rows);
  },
  /**
   * Finds the pending verification of a destination (one without a call flow) and counts one check
   * in it, in one statement; undefined if none is pending, unexpired and under the limit.
   */
  *countPendingCheck(serviceSid: string, destination: string, requester: string, now: number, maxAttempts: number): Steps<VerificationRow | undefined> {
    return decodeFirst((yield* query(countPendingCheckQuery, serviceSid, destination, requester, now, maxAttempts)).rows);
  },
  /**
   * A check's common path: charges the lock-out `key` (CheckFailuresStore.chargeAttempt) and, if it
   * was not locked, counts the check in the pending verification of the destination
   * (countPendingCheck). `charged` false: the key is locked and nothing was counted. SQLite: two
   * statements; PostgreSQL: one. A charge with nothing counted stands: refund it if no code is compared.
   */
  *chargeAndCountPendingCheck(
    key: string,
    schedule: LockoutSchedule,
    check: { serviceSid: string; destination: string; requester: string; now: number; maxAttempts: number },
  ): Steps<{ charged: boolean; counted: VerificationRow | undefined }> {
    const { serviceSid, destination, requester, now, maxAttempts } = check;
    if ((yield* dialect()) === 'postgres') {
      const [row] = (yield* query(chargeAndCountQuery(schedule), key, serviceSid, destination, requester, now, maxAttempts)).rows;
      if (!row || row.charged === null) return { charged: false, counted: undefined };
      if (row.sid === null) return { charged: true, counted: undefined };
      const columns: Partial<ChargeAndCountRow> = { ...row };
      delete columns.charged;
      return { charged: true, counted: decodeVerification(columns as VerificationsTable) };
    }
    const charge = yield* checkFailureSteps.chargeAttempt(key, now, schedule);
    if (!charge.charged) return { charged: false, counted: undefined };
    return { charged: true, counted: yield* verificationSteps.countPendingCheck(serviceSid, destination, requester, now, maxAttempts) };
  },
  /** Moves a verification from `pending` to `status`; undefined if it was no longer pending. */
  *completePending(sid: string, status: VerificationStatus, now: number, extra: Omit<Partial<VerificationRow>, 'status'> = {}): Steps<VerificationRow | undefined> {
    if (Object.keys(extra).length === 0) return decodeFirst((yield* query(completePendingQuery, sid, status, now)).rows);
    const { rows } = yield* adHoc((db) => db.updateTable('verifications').set({ ...encodeVerificationPatch(extra), status, date_updated: now }).where('sid', '=', sid).where(STILL_PENDING).returningAll());
    return decodeFirst(rows);
  },
  /** Inserts a pending verification; false if one is already pending for this destination and requester. */
  *insertPending(row: VerificationRow): Steps<boolean> {
    const { statement, values } = insertIfAbsentStatement('verifications', encodeVerification(row));
    const { affected } = yield* query(statement, ...values);
    return affected === 1;
  },
};
