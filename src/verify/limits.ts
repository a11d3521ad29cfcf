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

export const sendBucketKey = (serviceSid: string, destination: string): string => `send:${serviceSid}:${destination}`;
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

export const requesterFailureKey = (serviceSid: string, destination: string, requester: CheckRequester): string =>
  requester.kind === 'api' ? failureKey(serviceSid, destination) : `${failureKey(serviceSid, destination)}:hosted:${requester.subject || `session-${requester.sessionId}`}`;

/** A hand-off session's budget of wrong codes (rate_buckets, see BudgetStore). */
export const sessionWrongCodesKey = (sessionId: string): string => `hosted-wrong:${sessionId}`;
export const prefixBucketKey = (serviceSid: string, e164: string, digits: number): string => `prefix:${serviceSid}:${e164.slice(0, digits + 1)}`;
