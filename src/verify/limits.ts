import type { BucketPolicy } from '../store/rate-limit-store.ts';

/** Hosted-API limits: 5 checks per verification, 5 sends per destination per 10 minutes. */
export const MAX_CHECK_ATTEMPTS = 5;
export const SEND_LIMIT: BucketPolicy = { capacity: 5, refillPerSecond: 5 / 600 };

/**
 * Growing lock-out after consecutive wrong codes for one destination (NIST SP 800-63B-4 §3.2.2:
 * at most 100 consecutive failures; growing delays are the recommended aid). The first ten
 * failures (two verifications' worth) are free; then 30 s, doubling up to 1 h; at 100 the
 * destination is locked for 24 h at a time until a code is accepted or an operator clears it.
 */
export const LOCKOUT = { freeFailures: 10, baseDelayMs: 30_000, maxDelayMs: 3_600_000, hardLimit: 100, hardLockMs: 86_400_000 } as const;

export function lockoutDelayMs(consecutiveFailures: number): number {
  if (consecutiveFailures >= LOCKOUT.hardLimit) return LOCKOUT.hardLockMs;
  if (consecutiveFailures < LOCKOUT.freeFailures) return 0;
  return Math.min(LOCKOUT.maxDelayMs, LOCKOUT.baseDelayMs * 2 ** (consecutiveFailures - LOCKOUT.freeFailures));
}

/**
 * A verification's requester (column `verifications.requester`): `''` for the application's API,
 * `hosted:<subject>` for the hosted pages' user `subject` (`hosted:session-<id>` without one). Verify
 * keeps one pending verification per service, destination *and requester*, and the API's lookups by
 * `To` see only its own: a hosted page never joins, resends or ends a verification the application
 * started, nor the other way round. Keyed per user, not per session, so a user's own sessions (Back,
 * reload, a new sign-in) share one pending verification, as they share one lock-out (requesterFailureKey).
 */
export const API_REQUESTER = '';

/**
 * Per-destination send budget of one requester (60203): the API's key is unchanged; a hosted
 * requester has its own, so hosted sends never spend the application's budget for the number.
 */
export const sendBucketKey = (serviceSid: string, destination: string, requester: string = API_REQUESTER): string =>
  requester === API_REQUESTER ? `send:${serviceSid}:${destination}` : `send:${serviceSid}:${destination}:${requester}`;

/** Per-destination send budget that every hosted requester spends together, so many users cannot bomb one number. */
export const hostedSendBucketKey = (serviceSid: string, destination: string): string => `send-hosted:${serviceSid}:${destination}`;
export const failureKey = (serviceSid: string, destination: string): string => `${serviceSid}:${destination}`;

/**
 * Who asks for a code check. The destination lock-out is counted per destination *and* requester, so
 * that one requester's wrong codes never lock another's checks of the same number:
 * - `api`: the application's own checks (/v2 VerificationCheck): key `<service>:<destination>`;
 * - `hosted`: a check typed on Verity's hosted pages by the application's user `subject`, in hand-off
 *   session `sessionId`: key `<service>:<destination>:hosted:<subject>`, plus that session's own cap
 *   of wrong codes (`maxWrongCodes`), after which its code steps end.
 */
export type CheckRequester = { kind: 'api' } | { kind: 'hosted'; sessionId: string; subject: string; maxWrongCodes: number };

/** The verifications' requester (API_REQUESTER) of a check's requester. */
export const requesterId = (requester: CheckRequester): string =>
  requester.kind === 'api' ? API_REQUESTER : `hosted:${requester.subject || `session-${requester.sessionId}`}`;

export const requesterFailureKey = (serviceSid: string, destination: string, requester: CheckRequester): string =>
  requester.kind === 'api' ? failureKey(serviceSid, destination) : `${failureKey(serviceSid, destination)}:${requesterId(requester)}`;

/** A hand-off session's budget of wrong codes (rate_buckets, see BudgetStore). */
export const sessionWrongCodesKey = (sessionId: string): string => `hosted-wrong:${sessionId}`;
export const prefixBucketKey = (serviceSid: string, e164: string, digits: number): string => `prefix:${serviceSid}:${e164.slice(0, digits + 1)}`;
