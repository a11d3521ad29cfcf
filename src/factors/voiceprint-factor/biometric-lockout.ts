/**
 * NIST SP 800-63B-4 §3.2.3: a biometric allows at most 5 consecutive failed attempts; after that
 * each further attempt waits at least 30 s, the wait growing exponentially (here doubling, capped at
 * an hour). A success clears the count. Counted per voiceprint factor, apart from code failures.
 */
export const BIOMETRIC_FREE_FAILURES = 5;

export function biometricLockoutDelayMs(consecutiveFailures: number): number {
  if (consecutiveFailures < BIOMETRIC_FREE_FAILURES) return 0;
  return Math.min(30_000 * 2 ** (consecutiveFailures - BIOMETRIC_FREE_FAILURES), 3_600_000);
}

export const voiceprintFailureKey = (factorSid: string): string => `voiceprint:${factorSid}`;
