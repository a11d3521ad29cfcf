import { sql, type Kysely, type RawBuilder } from 'kysely';
import { prepared, type PreparedQuery } from './prepared.ts';
import type { Database } from './schema.ts';
import { query, type Steps } from './steps.ts';

const lockedUntilQuery = prepared((db, key: string) => db.selectFrom('check_failures').select('locked_until').where('key', '=', key));
const recordFailureQuery = prepared(
  (_db, key: string, now: number) => sql<{ consecutive: number }>`
      INSERT INTO check_failures (key, consecutive, locked_until, date_updated) VALUES (${key}, 1, 0, ${now})
      ON CONFLICT (key) DO UPDATE SET consecutive = check_failures.consecutive + 1, date_updated = ${now}
      RETURNING consecutive`,
);
const clearQuery = prepared((db, key: string) => db.deleteFrom('check_failures').where('key', '=', key));
const refundQuery = prepared((db, key: string) =>
  db.updateTable('check_failures').set({ consecutive: sql`consecutive - 1`, locked_until: 0 }).where('key', '=', key).where('consecutive', '>', 0),
);

/** How long `n` consecutive failures lock a key, in ms (0: not locked). Must not decrease as `n` grows. */
export type LockoutSchedule = (consecutiveFailures: number) => number;

/** An attempt charged before it is evaluated (the count it brought the key to), or refused: the key is locked. */
export type AttemptCharge = { charged: true; consecutive: number } | { charged: false; lockedUntil: number };

/** Counts past which every schedule in use is constant (LOCKOUT.hardLimit is 100). */
const SCHEDULE_SCAN = 1000;
const stepsBySchedule = new WeakMap<LockoutSchedule, Array<{ from: number; delayMs: number }>>();

/** The counts at which a schedule's delay changes, e.g. 10 → 30 s, 11 → 60 s, …, 100 → 24 h: one CASE in SQL. */
function scheduleSteps(schedule: LockoutSchedule): Array<{ from: number; delayMs: number }> {
  let steps = stepsBySchedule.get(schedule);
  if (steps) return steps;
  steps = [];
  let previous = 0;
  for (let n = 1; n <= SCHEDULE_SCAN; n++) {
    const delayMs = schedule(n);
    if (delayMs < previous) throw new Error('a lock-out schedule must not decrease');
    if (delayMs !== previous) steps.push({ from: n, delayMs });
    previous = delayMs;
  }
  stepsBySchedule.set(schedule, steps);
  return steps;
}

const chargeBySchedule = new WeakMap<LockoutSchedule, PreparedQuery<[key: string, now: number], { consecutive: number }>>();

/** The charge statement of `schedule` (see chargeAttempt), compiled once per schedule. */
function chargeQuery(schedule: LockoutSchedule): PreparedQuery<[key: string, now: number], { consecutive: number }> {
  let q = chargeBySchedule.get(schedule);
  if (!q) {
    q = prepared((_db, key: string, now: number) => chargeStatement(schedule, key, now));
    chargeBySchedule.set(schedule, q);
  }
  return q;
}

/**
 * The charge upsert (see chargeAttempt) for `key` at `now`: the new count, or no row while the key is
 * locked. The schedule's steps are literals, the key and the time parameters; `now` is cast to bigint
 * so PostgreSQL does not infer a 32-bit integer from `now + delay`. Also a part of the check's one
 * statement on PostgreSQL (verifications-store.ts).
 */
export function chargeStatement(schedule: LockoutSchedule, key: string, now: number): RawBuilder<{ consecutive: number }> {
  const steps = scheduleSteps(schedule);
  const first = schedule(1);
  const at = (delayMs: number) => sql`CAST(${now} AS bigint) + ${sql.lit(delayMs)}`;
  const next = sql`check_failures.consecutive + 1`;
  const lock =
    steps.length === 0
      ? sql`check_failures.locked_until`
      : sql`CASE ${sql.join(
          [...steps].reverse().map((s) => sql`WHEN ${next} >= ${sql.lit(s.from)} THEN ${at(s.delayMs)}`),
          sql` `,
        )} ELSE check_failures.locked_until END`;
  return sql<{ consecutive: number }>`
    INSERT INTO check_failures (key, consecutive, locked_until, date_updated) VALUES (${key}, 1, ${first > 0 ? at(first) : sql.lit(0)}, ${now})
    ON CONFLICT (key) DO UPDATE SET consecutive = ${next}, locked_until = ${lock}, date_updated = ${now}
    WHERE check_failures.locked_until <= ${now}
    RETURNING consecutive`;
}

/**
 * Consecutive failed checks per destination, across verifications. NIST SP 800-63B-4 §3.1.3.2:
 * "Generating a new authentication secret SHALL NOT reset the failed authentication count",
 * so only a successful check clears it.
 */
export class CheckFailuresStore {
  constructor(private readonly db: Kysely<Database>) {}

  async lockedUntil(key: string): Promise<number> {
    const [row] = await lockedUntilQuery(this.db, key);
    return row?.locked_until ?? 0;
  }

  /**
   * Atomically counts one more failure and returns the new consecutive count (the caller sets the
   * lock it earns with lock(), in the same transaction). Only for failures that are observed, not
   * judged on request (a code keyed in on a call); a check that compares a guess must be charged
   * before it is compared, with chargeAttempt.
   */
  async recordFailure(key: string, now: number): Promise<number> {
    const [row] = await recordFailureQuery(this.db, key, now);
    return Number(row?.consecutive ?? 1);
  }

  async lock(key: string, until: number): Promise<void> {
    await this.db.updateTable('check_failures').set({ locked_until: until }).where('key', '=', key).execute();
  }

  async clear(key: string): Promise<void> {
    await clearQuery(this.db, key);
  }

  /** The console's lift of a lock-out: clears the API's counter of one destination; false if it had none. */
  async clearDestination(serviceSid: string, destination: string): Promise<boolean> {
    const result = await this.db.deleteFrom('check_failures').where('key', '=', `${serviceSid}:${destination}`).executeTakeFirst();
    return result.numDeletedRows === 1n;
  }

  /**
   * Charges one attempt as a failure *before* it is evaluated, in one statement that both counts and
   * refuses: while the key is locked nothing is counted and the attempt is refused; otherwise the
   * count goes up and the lock that count earns (`schedule`) is set in the same statement. So a
   * concurrent attempt, on any node, sees the lock the moment the failures before it earned it:
   * never more than the schedule's free failures are evaluated, however many arrive at once. (On
   * PostgreSQL the upsert also row-locks the key until the caller's transaction ends.) A success then
   * clears the key; an attempt that turns out to be no failure is refunded (refundAttempt).
   */
  async chargeAttempt(key: string, now: number, schedule: LockoutSchedule): Promise<AttemptCharge> {
    const [row] = await chargeQuery(schedule)(this.db, key, now);
    if (row) return { charged: true, consecutive: Number(row.consecutive) };
    return { charged: false, lockedUntil: await this.lockedUntil(key) };
  }

  /**
   * Takes back an attempt charged earlier *in the same transaction* (which still holds the key's
   * row): the attempt was no failure, e.g. a user's plain "deny" of a push. The key was unlocked
   * when it was charged, so it is unlocked again. Outside that transaction it would take back
   * somebody else's charge: there, a success clears the key and nothing else is refunded.
   */
  async refundAttempt(key: string): Promise<void> {
    await refundQuery(this.db, key);
  }
}

/** The lock-out counters as steps of a transaction (src/store/steps.ts); the same statements as CheckFailuresStore. */
export const checkFailureSteps = {
  /** CheckFailuresStore.chargeAttempt as steps. */
  *chargeAttempt(key: string, now: number, schedule: LockoutSchedule): Steps<AttemptCharge> {
    const [row] = (yield* query(chargeQuery(schedule), key, now)).rows;
    if (row) return { charged: true, consecutive: Number(row.consecutive) };
    const [lock] = (yield* query(lockedUntilQuery, key)).rows;
    return { charged: false, lockedUntil: lock?.locked_until ?? 0 };
  },
  /** CheckFailuresStore.refundAttempt as a step: only for a charge made earlier in the same transaction. */
  *refundAttempt(key: string): Steps<void> {
    yield* query(refundQuery, key);
  },
  *clear(key: string): Steps<void> {
    yield* query(clearQuery, key);
  },
};
