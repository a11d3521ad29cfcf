import { otpEquals, timeStep, totp, type TotpOptions } from './otp.ts';

export type TotpResult = { valid: true; step: number } | { valid: false; reason: 'wrong_code' | 'replayed' };

/**
 * Verifies a TOTP code at `unixMs` within ±`skew` steps. A step at or before `lastUsedStep` is
 * refused even if the code matches: each time step is accepted at most once per factor
 * (RFC 6238 §5.2, NIST SP 800-63B §5.1.4.2), and nothing older than an accepted code can follow it.
 * Every candidate step is compared (no early exit), so timing does not reveal which one matched.
 */
export function verifyTotp(secret: Uint8Array, code: string, unixMs: number, options: TotpOptions, lastUsedStep: number | null): TotpResult {
  if (code.length !== options.digits || !/^\d+$/.test(code)) return { valid: false, reason: 'wrong_code' };
  const current = timeStep(unixMs, options.period);
  let matched: number | undefined;
  for (let step = current - options.skew; step <= current + options.skew; step++) {
    if (step < 0) continue;
    if (otpEquals(code, totp(secret, step * options.period * 1000, options)) && matched === undefined) matched = step;
  }
  if (matched === undefined) return { valid: false, reason: 'wrong_code' };
  if (lastUsedStep !== null && matched <= lastUsedStep) return { valid: false, reason: 'replayed' };
  return { valid: true, step: matched };
}
