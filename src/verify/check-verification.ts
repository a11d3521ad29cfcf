import type { AppContext } from '../context.ts';
import { DomainError, isDomainError } from '../errors/domain-error.ts';
import { invalidParameter, notFound } from '../errors/verity-error.ts';
import type { ServiceRow, VerificationRow } from '../store/schema.ts';
import type { Steps } from '../store/steps.ts';
import { parseDestination } from './destination.ts';
import { MAX_CHECK_ATTEMPTS, lockoutDelayMs, requesterFailureKey, requesterId, sessionWrongCodesKey, type CheckRequester } from './limits.ts';
import { codesMatch } from './one-time-code.ts';
import { DECIDED_ON_THE_CALL } from '../voice/flows/flows.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type CheckVerificationDeps = Pick<AppContext, 'clock' | 'config' | 'keyring' | 'metrics' | 'verificationLifecycle'>;

/**
 * A flash call's code from what the app read: the last `length` digits of the caller id, or the
 * whole caller id (its prefix must be the configured one). Undefined if it is neither.
 */
function flashCallCode(given: string, prefix: string, length: number): string | undefined {
  const digits = given.replace(/^\+/, '');
  if (digits.length === length && /^[0-9]+$/.test(digits)) return digits;
  const full = prefix.replace(/^\+/, '');
  return digits.length === full.length + length && digits.startsWith(full) ? digits.slice(full.length) : undefined;
}

export interface CheckInput {
  service: ServiceRow;
  code: string | undefined;
  to?: string | undefined;
  verificationSid?: string | undefined;
  amount?: string | undefined;
  payee?: string | undefined;
  /** Whose check this is (default: the application's API); see CheckRequester. */
  requester?: CheckRequester | undefined;
}

const CANONICAL_E164 = /^\+[1-9][0-9]{6,14}$/;
const ALPHANUMERIC_CODE = /^[0-9A-Za-z]{4,10}$/;

/** How a check ended: the verification to answer with, or the error to answer (and the metric's result). */
type CheckOutcome = { row: VerificationRow; error?: undefined; result: 'approved' | 'wrong_code' } | { error: Error; row?: undefined; result: 'max_attempts' | 'not_found' | 'not_allowed' | 'locked' };

const checkNotFound = (service: ServiceRow) => notFound(`/Services/${service.sid}/VerificationCheck`);

/** `details.limit` of the 60202 that ends a hand-off session's code steps (its wrong codes are spent). */
const SESSION_WRONG_CODES_LIMIT = 'hosted_session';

/** True for the refusal of a check because its hand-off session entered too many wrong codes. */
export const isSessionWrongCodesLimit = (error: unknown): boolean => isDomainError(error, 'session_wrong_codes_limit');

/**
 * Checks a code. A wrong code is not an error (the verification stays `pending`); the fifth wrong
 * code ends it as `max_attempts_reached`, and a later check (by sid, or by `To` while that was the
 * newest verification of the number and its code lifetime lasts) answers 60202, as the hosted API
 * does. Each code is accepted once: approval is a conditional update, so of many concurrent
 * correct checks exactly one approves and the rest find nothing.
 *
 * Wrong codes count toward the destination lock-out of the requester only (CheckRequester): a
 * hand-off session's wrong codes never lock the application's own API checks of that number. Each
 * check is charged to that lock-out before its code is compared (CheckFailuresStore.chargeAttempt),
 * so a burst of checks, on any number of nodes, gets no more codes compared than the lock-out allows.
 */
export async function checkVerification(ctx: CheckVerificationDeps, input: CheckInput): Promise<VerificationRow> {
  const { service } = input;
  if (!input.code) throw invalidParameter('Code', 'required');
  // A flash call's code may also be given as the whole caller id in E.164 (+ and up to 15 digits).
  if (!ALPHANUMERIC_CODE.test(input.code) && !/^\+[0-9]{5,15}$/.test(input.code)) throw invalidParameter('Code', 'expected 4 to 10 letters or digits');
  if (!input.to && !input.verificationSid) throw invalidParameter('To', 'either To or VerificationSid is required');
  if (input.verificationSid !== undefined && !/^VE[0-9a-f]{32}$/.test(input.verificationSid)) throw invalidParameter('VerificationSid', 'expected VE followed by 32 hex characters');
  // A To already in canonical E.164 (as clients send back the `to` they were given) is looked up
  // as is; libphonenumber (~40 µs) runs only if that finds nothing, and gives the same errors.
  let destination = input.to !== undefined && CANONICAL_E164.test(input.to) ? input.to : undefined;
  let parsed = destination === undefined;
  if (input.to && parsed) destination = parseDestination(input.to).address;
  const reparse = (): boolean => {
    if (parsed || !input.to) return false;
    parsed = true;
    const address = parseDestination(input.to).address;
    const changed = address !== destination;
    destination = address;
    return changed;
  };
  const code = input.code;
  const requester = input.requester ?? { kind: 'api' };
  // A check by `To` sees only the requester's own verifications (the API's: none a hosted page started).
  const ownVerifications = requesterId(requester);

  const session = requester.kind === 'hosted' ? { key: sessionWrongCodesKey(requester.sessionId), capacity: requester.maxWrongCodes } : undefined;
  // A check by `To` of a code that can be compared as is (no call flow decides it, no hand-off session
  // budget to spend first) tries the common path: charge the lock-out and count the check in the
  // pending verification (SQLite: two statements, PostgreSQL: one). Anything else (by sid, a call
  // flow, a session, locked, nothing counted) takes the general path, which reads first and explains
  // what it finds; a charge of the common path that counted nothing is given back before it.
  const common = !input.verificationSid && !session && ALPHANUMERIC_CODE.test(code);

  // The lifecycle ends the verification (approved, max_attempts_reached, expired) and, once this
  // commits, announces it and hangs up a call still live for it. On SQLite the whole transaction
  // runs synchronously (src/store/steps.ts): the code between the `yield*`s is plain domain logic.
  const outcome = await ctx.verificationLifecycle.transactionSteps(function* (tx): Steps<CheckOutcome> {
    const now = ctx.clock.now();
    const { verifications, checkFailures: failures, budgets } = tx.steps;

    /** Gives back what the check reserved (its lock-out charge, the session's wrong code): it compared no code. */
    function* giveBack(key: string): Steps<void> {
      yield* failures.refundAttempt(key);
      if (session) yield* budgets.refund(session.key, session.capacity);
    }

    /** Compares the code of a verification whose check was counted, and ends it as the result says. */
    function* judge(counted: VerificationRow, submitted: string, key: string): Steps<CheckOutcome> {
      const expected = counted.code_digest !== null ? { digest: counted.code_digest } : { seed: counted.code_seed ?? '', length: counted.code_length };
      let correct = codesMatch(ctx.keyring, counted.sid, submitted, expected);
      // PSD2 dynamic linking: the code is bound to the amount and payee it was sent for.
      if (service.psd2_enabled && (input.amount !== counted.amount || input.payee !== counted.payee)) correct = false;

      if (correct) {
        // Approval clears this requester's lock-out (`key`) and lifts the send limit, as the hosted API does.
        const approved = yield* tx.endSteps(counted.sid, { to: 'approved', by: 'check', requester });
        if (!approved) {
          yield* giveBack(key);
          return { error: checkNotFound(service), result: 'not_found' };
        }
        if (session) yield* budgets.refund(session.key, session.capacity);
        return { row: approved, result: 'approved' };
      }

      // A wrong code: the failure charged above stands, with the lock its count earned.
      if (counted.check_attempts >= MAX_CHECK_ATTEMPTS) {
        const ended = yield* tx.endSteps(counted.sid, { to: 'max_attempts_reached', by: 'check' });
        if (ended) return { row: ended, result: 'wrong_code' };
      }
      return { row: counted, result: 'wrong_code' };
    }

    if (common && destination !== undefined) {
      const key = requesterFailureKey(service.sid, destination, requester);
      const { charged, counted } = yield* verifications.chargeAndCountPendingCheck(key, lockoutDelayMs, { serviceSid: service.sid, destination, requester: ownVerifications, now, maxAttempts: MAX_CHECK_ATTEMPTS });
      if (counted) return yield* judge(counted, code, key);
      if (charged) yield* failures.refundAttempt(key);
    }

    // The general path.
    const lookup = () => (input.verificationSid ? verifications.find(service.sid, input.verificationSid) : verifications.findPending(service.sid, destination as string, ownVerifications));
    let found = yield* lookup();
    if (!found || (destination !== undefined && found.destination !== destination)) {
      if (reparse() && !input.verificationSid) found = yield* lookup();
      if (!found && !input.verificationSid) {
        // Nothing pending for To: 60202 if its newest verification just ended on its fifth wrong code.
        const newest = yield* verifications.findNewest(service.sid, destination as string, ownVerifications);
        if (newest?.status === 'max_attempts_reached' && newest.expires_at > now) return { error: new DomainError('verification_attempts_exhausted'), result: 'max_attempts' };
      }
      if (!found || (destination !== undefined && found.destination !== destination)) return { error: checkNotFound(service), result: 'not_found' };
    }
    if (found.status === 'max_attempts_reached') return { error: new DomainError('verification_attempts_exhausted'), result: 'max_attempts' };
    if (found.status !== 'pending') return { error: checkNotFound(service), result: 'not_found' };
    if (found.expires_at <= now) {
      yield* tx.endSteps(found.sid, { to: 'expired', by: 'clock' });
      return { error: checkNotFound(service), result: 'not_found' };
    }

    if (found.voice_flow !== null && DECIDED_ON_THE_CALL.has(found.voice_flow)) {
      return { error: invalidParameter('Code', 'this verification is approved on the phone call, not with a code'), result: 'not_allowed' };
    }
    const submitted = found.voice_flow === 'flash' ? flashCallCode(code, ctx.config.voice.flashCall?.prefix ?? '', found.code_length) : code;
    if (submitted === undefined || (found.voice_flow !== 'flash' && !ALPHANUMERIC_CODE.test(submitted))) {
      return { error: invalidParameter('Code', found.voice_flow === 'flash' ? 'expected the last digits of the caller id, or the whole caller id' : 'expected 4 to 10 letters or digits'), result: 'not_allowed' };
    }
    const key = requesterFailureKey(service.sid, found.destination, requester);
    // The check is charged as a failure before the code is compared: one statement that refuses while
    // the key is locked, and otherwise counts and sets the lock that count earns. Reading the lock and
    // recording the failure afterwards let every check of a burst (on PostgreSQL, on any node) read
    // "unlocked" before the first failure was committed. A check that compares no code gives its
    // charge back (giveBack), in this transaction (which holds the key's row); a right code clears the key.
    const charge = yield* failures.chargeAttempt(key, now, lockoutDelayMs);
    if (!charge.charged) {
      const retryAfterSeconds = Math.max(1, Math.ceil((charge.lockedUntil - now) / 1000));
      return { error: new DomainError('destination_locked', 'Max check attempts reached: too many wrong codes for this destination, try again later', { retryAfterSeconds }), result: 'locked' };
    }
    // A hand-off session reserves one of its wrong codes the same way (one atomic take, so concurrent
    // posts of one session cannot overshoot); a right code gives it back.
    if (session && !(yield* budgets.spend(session.key, session.capacity, now))) {
      yield* failures.refundAttempt(key);
      return { error: new DomainError('session_wrong_codes_limit', 'Max check attempts reached: too many wrong codes in this hand-off session', { details: { limit: SESSION_WRONG_CODES_LIMIT } }), result: 'locked' };
    }

    // The verification's five checks: one conditional UPDATE (check_attempts < 5), so concurrent checks cannot exceed them.
    const counted = yield* verifications.countCheckAttempt(found.sid, now, MAX_CHECK_ATTEMPTS);
    if (!counted) {
      yield* giveBack(key);
      // Lost a race: another check used the last attempt, approved it, or it just expired.
      const current = yield* verifications.find(service.sid, found.sid);
      if (current?.status === 'pending' && current.check_attempts >= MAX_CHECK_ATTEMPTS) {
        yield* tx.endSteps(found.sid, { to: 'max_attempts_reached', by: 'check' });
        return { error: new DomainError('verification_attempts_exhausted'), result: 'max_attempts' };
      }
      if (current?.status === 'max_attempts_reached') return { error: new DomainError('verification_attempts_exhausted'), result: 'max_attempts' };
      return { error: checkNotFound(service), result: 'not_found' };
    }
    return yield* judge(counted, submitted, key);
  });

  ctx.metrics.checks.inc({ result: outcome.result });
  if (outcome.error) throw outcome.error;
  return outcome.row;
}
