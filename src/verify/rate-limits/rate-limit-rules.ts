import { VerityError } from '../../errors/verity-error.ts';

/**
 * The rules of Verify's Service Rate Limits. The hosted API documents the errors (60207–60211)
 * but not its numbers; these are Verity's, chosen so that one verification charges at most
 * MAX_RATE_LIMITS_PER_SERVICE × MAX_BUCKETS_PER_RATE_LIMIT buckets (docs/compatibility.md).
 */
export const RATE_LIMIT_RULES = {
  /** Rate limits per service (60207 beyond). */
  maxRateLimitsPerService: 20,
  /** Buckets per rate limit (60210 beyond), one per Interval (60211). */
  maxBucketsPerRateLimit: 5,
  uniqueNameMaxLength: 100,
  descriptionMaxLength: 255,
  /** A bucket's Max: verifications allowed per Interval for one value. */
  max: { min: 1, max: 100_000 },
  /**
   * A bucket's Interval in seconds, at most a day: counts live in `rate_buckets`, whose rows idle
   * for a day are pruned (src/server.ts), and a token bucket idle for its whole interval is full
   * again anyway, so pruning never forgets a count that still matters.
   */
  interval: { min: 1, max: 86_400 },
  /** Characters of one value in a verification's `RateLimits` (an IP address, a session id…). */
  valueMaxLength: 256,
} as const;

/** Letters, digits, `-`, `_`, `.` (the hosted API's 60209 rule). */
const UNIQUE_NAME = /^[A-Za-z0-9._-]+$/;
const RATE_LIMIT_SID = /^RK[0-9a-f]{32}$/;

export const isRateLimitSid = (value: string): boolean => RATE_LIMIT_SID.test(value);

/** True for a UniqueName a rate limit may have (and so a path may address it by). */
export function isUniqueName(value: string): boolean {
  return value.length > 0 && value.length <= RATE_LIMIT_RULES.uniqueNameMaxLength && UNIQUE_NAME.test(value) && !RATE_LIMIT_SID.test(value);
}

/** The UniqueName, or 60209. A name shaped like an `RK` SID is refused: paths address a rate limit by either. */
export function checkedUniqueName(value: string): string {
  if (!isUniqueName(value)) {
    throw new VerityError(60209, `UniqueName format is invalid: expected 1 to ${RATE_LIMIT_RULES.uniqueNameMaxLength} letters, digits, -, _ or . (not shaped like a rate limit SID)`);
  }
  return value;
}
