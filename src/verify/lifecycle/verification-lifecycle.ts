import type { Clock } from '../../crypto/clock.ts';
import type { EventType } from '../../events/event-types.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { VerificationRow } from '../../store/schema.ts';
import type { Steps } from '../../store/steps.ts';
import type { StepTransaction, Stores, TransactionStores } from '../../store/unit-of-work.ts';
import { failureKey, requesterFailureKey, sendBucketKey, type CheckRequester } from '../limits.ts';
import { verificationEventPayload } from './verification-event-payload.ts';
import { recordEventSteps } from './record-event-steps.ts';
import { recordProgressSteps, type ProgressEvent, type VerificationBus } from './verification-progress.ts';

/**
 * Every way a pending verification ends: its new status and what ended it. The union is the
 * transition table (docs/architecture.md); a pair not listed here cannot be written.
 */
export type Ending =
  /** The right code was checked (the API's VerificationCheck or a hosted page). */
  | { to: 'approved'; by: 'check'; requester: CheckRequester }
  /** `Status=approved` on the API: confirmed out of band. */
  | { to: 'approved'; by: 'api' }
  /** `Status=canceled` on the API. */
  | { to: 'canceled'; by: 'api' }
  /** A hosted page switched to another kind of call or code; the send budget is kept. */
  | { to: 'canceled'; by: 'hosted_page' }
  /** The call decided: the right digits keyed in, another key pressed, or three wrong codes keyed in. */
  | { to: 'approved' | 'denied' | 'failed'; by: 'call' }
  /** The fifth wrong code was checked. */
  | { to: 'max_attempts_reached'; by: 'check' }
  /** Its first code never left: the provider refused the message or the call. */
  | { to: 'failed'; by: 'delivery' }
  /** Its code lifetime is over (noticed by a fetch, a check, a resend, a call's next step or the sweeper). */
  | { to: 'expired'; by: 'clock' };

/** Ends the live calls placed for a verification (the verification calls engine implements it). */
export interface LiveCallHangUp {
  hangUpCallsOf(verificationSid: string): Promise<void>;
}

/** What the lifecycle needs, and nothing more (no AppContext, no HTTP). */
export interface VerificationLifecycleDeps {
  stores: Pick<Stores, 'transaction' | 'transactionSteps'>;
  clock: Clock;
  bus: VerificationBus;
  metrics: Pick<Metrics, 'verifications'>;
  liveCalls: LiveCallHangUp;
}

/** What the verification's row gets besides its status. */
const failureCodeOf = (ending: Ending): number | undefined => (ending.to !== 'failed' ? undefined : ending.by === 'delivery' ? 30008 : 60202);

/** Completing a verification lifts its requester's send limit (as the hosted API does); a hosted page's switch does not. */
const resetsSendBudget = (ending: Ending): boolean => ending.to === 'approved' || (ending.to === 'canceled' && ending.by === 'api');

/**
 * The lock-out an approval clears: a check's own requester's, a call's the API's (a call's wrong
 * digits count there too); `Status=approved` proves no code, so it clears none.
 */
function lockoutClearedBy(ending: Ending, row: VerificationRow): string | undefined {
  if (ending.to !== 'approved') return undefined;
  if (ending.by === 'check') return requesterFailureKey(row.service_sid, row.destination, ending.requester);
  return ending.by === 'call' ? failureKey(row.service_sid, row.destination) : undefined;
}

/**
 * A verification approved or canceled some other way than on its call leaves nobody anything to do
 * on that call: it is hung up. A call that decided hangs up by its own last instruction; one whose
 * verification expired or ran out of checks tells the caller so at its next step.
 */
const hangsUpLiveCalls = (ending: Ending, row: VerificationRow): boolean => row.voice_flow !== null && ending.by !== 'call' && (ending.to === 'approved' || ending.to === 'canceled');

/** A status change made in a transaction, and what it owes the world once that commits. */
interface Changed {
  row: VerificationRow;
  hangUp: boolean;
}

/**
 * The status changes of verifications inside one transaction written as steps (src/store/steps.ts:
 * synchronous on SQLite). Each is one conditional statement (INSERT of the only pending row, or
 * `UPDATE … WHERE status = 'pending'`), so concurrent requests can never approve twice; its webhook
 * event, progress event and limit resets are written in the same transaction, so none of them
 * exists for a change that rolled back.
 */
export class VerificationStepsTransaction {
  /** @internal the changes to announce after commit */
  readonly changes: Changed[] = [];

  constructor(
    /** The transaction's store operations, for the caller's reads and other writes in it. */
    readonly tx: StepTransaction,
    protected readonly deps: VerificationLifecycleDeps,
  ) {}

  /** The transaction's store operations (`yield* tx.steps.verifications.find(…)`). */
  get steps(): StepTransaction['steps'] {
    return this.tx.steps;
  }

  /** Inserts a new pending verification; false if one is already pending for its destination and requester. */
  *createSteps(row: VerificationRow): Steps<boolean> {
    if (row.status !== 'pending') throw new Error(`a verification starts pending, not ${row.status}`);
    if (!(yield* this.steps.verifications.insertPending(row))) return false;
    yield* this.record(row);
    this.changes.push({ row, hangUp: false });
    return true;
  }

  /** Ends the pending verification `sid` as `ending` says; undefined if it was no longer pending. */
  *endSteps(sid: string, ending: Ending): Steps<VerificationRow | undefined> {
    const { steps, deps } = this;
    const failureCode = failureCodeOf(ending);
    const row = yield* steps.verifications.completePending(sid, ending.to, deps.clock.now(), failureCode === undefined ? {} : { failure_code: failureCode });
    if (!row) return undefined;
    // VerificationAttempts: an approval converts every attempt of the verification. Twilio's
    // `conversion_status` is the verification's ("a conversion happens when the user is able to provide
    // the correct code"), and a resend carries the same code, so which send delivered it cannot be known.
    if (ending.to === 'approved') yield* steps.verificationAttempts.convert(row.sid, deps.clock.now());
    // Lock order everywhere: verification row, then failure counter, then rate buckets.
    const lockout = lockoutClearedBy(ending, row);
    if (lockout !== undefined) yield* steps.checkFailures.clear(lockout);
    if (resetsSendBudget(ending)) yield* steps.rateLimits.reset(sendBucketKey(row.service_sid, row.destination, row.requester));
    yield* this.record(row);
    // A call's verification also reports its outcome on its progress stream (the login page's).
    if (row.voice_flow !== null) yield* recordProgressSteps(steps, deps.clock, row, row.status as ProgressEvent, null);
    this.changes.push({ row, hangUp: hangsUpLiveCalls(ending, row) });
    return row;
  }

  /** The `verification.<status>` event, in the outbox of this transaction. */
  private *record(row: VerificationRow): Steps<void> {
    yield* recordEventSteps(this.steps, this.deps.clock, {
      accountSid: row.account_sid,
      serviceSid: row.service_sid,
      type: `verification.${row.status}` as EventType,
      resourceSid: row.sid,
      payload: verificationEventPayload(row),
    });
  }
}

/** The same, in an async transaction: each change runs the same steps, one awaited statement at a time. */
export class VerificationTransaction extends VerificationStepsTransaction {
  constructor(
    /** The transaction's stores, for the caller's reads and other writes in it. */
    readonly stores: TransactionStores,
    deps: VerificationLifecycleDeps,
  ) {
    super(stores, deps);
  }

  /** Inserts a new pending verification; false if one is already pending for its destination and requester. */
  create(row: VerificationRow): Promise<boolean> {
    return this.stores.run(this.createSteps(row));
  }

  /** Ends the pending verification `sid` as `ending` says; undefined if it was no longer pending. */
  end(sid: string, ending: Ending): Promise<VerificationRow | undefined> {
    return this.stores.run(this.endSteps(sid, ending));
  }
}

/**
 * The one owner of a verification's status. Every change of it (pending → approved, canceled,
 * denied, failed, max_attempts_reached, expired) goes through `transaction()` and takes all its
 * side effects here: the conditional UPDATE, the outbox event, the progress event, limit and
 * lock-out resets, and after commit the metric, the wake-up of live streams and the webhook
 * dispatcher, and the hang-up of a live call that has nothing left to do.
 */
export class VerificationLifecycle {
  constructor(private readonly deps: VerificationLifecycleDeps) {}

  /**
   * Runs `work` in one transaction. Once it commits, each status change it made is counted,
   * announced, and its live calls hung up where the transition table says so; a rollback
   * leaves no trace.
   */
  async transaction<T>(work: (tx: VerificationTransaction) => Promise<T>): Promise<T> {
    return this.deps.stores.transaction(async (stores) => {
      const tx = new VerificationTransaction(stores, this.deps);
      stores.afterCommit(() => this.afterCommit(tx));
      return work(tx);
    });
  }

  /** One hook for all the changes of a transaction: every announcement first, then the hang-ups. */
  private async afterCommit(tx: VerificationStepsTransaction): Promise<void> {
    for (const change of tx.changes) this.announce(change.row);
    for (const change of tx.changes) if (change.hangUp) await this.deps.liveCalls.hangUpCallsOf(change.row.sid);
  }

  /**
   * Runs `work`'s steps in one transaction (synchronously on SQLite, see Stores.transactionSteps),
   * with the same announcements after commit as `transaction()`.
   */
  async transactionSteps<T>(work: (tx: VerificationStepsTransaction) => Steps<T>): Promise<T> {
    return this.deps.stores.transactionSteps((stores) => {
      const tx = new VerificationStepsTransaction(stores, this.deps);
      stores.afterCommit(() => this.afterCommit(tx));
      return work(tx);
    });
  }

  /** Ends one pending verification in a transaction of its own; undefined if it was no longer pending. */
  async end(sid: string, ending: Ending): Promise<VerificationRow | undefined> {
    return this.transaction((tx) => tx.end(sid, ending));
  }

  private announce(row: VerificationRow): void {
    const { bus, metrics } = this.deps;
    metrics.verifications.inc({ channel: row.channel, status: row.status });
    // Tells this process's listeners (SSE streams, webhook dispatcher); verification.progress events
    // sit in the outbox too, so one wake-up covers both.
    bus.publish(`verification:${row.sid}`, { type: `verification.${row.status}`, resourceSid: row.sid });
    bus.publish('outbox', { type: `verification.${row.status}`, resourceSid: row.sid });
  }
}
