import { hotp, otpEquals, type OtpOptions } from './otp.ts';

export type HotpResult = { valid: true; nextCounter: number } | { valid: false };

/**
 * RFC 4226 §7.2: accepts a code for counters `counter … counter + lookAhead` and moves the counter
 * past the one that matched, so every code is accepted once.
 */
export function verifyHotp(secret: Uint8Array, code: string, counter: number, options: OtpOptions & { lookAhead: number }): HotpResult {
  if (code.length !== options.digits || !/^\d+$/.test(code)) return { valid: false };
  let matched: number | undefined;
  for (let c = counter; c <= counter + options.lookAhead; c++) {
    if (otpEquals(code, hotp(secret, c, options)) && matched === undefined) matched = c;
  }
  return matched === undefined ? { valid: false } : { valid: true, nextCounter: matched + 1 };
}

/**
 * RFC 4226 §7.4 resynchronisation: two consecutive codes found within a wider `window` (a single
 * code that far ahead would be too easy to guess) move the counter past the second one.
 */
export function resyncHotp(secret: Uint8Array, first: string, second: string, counter: number, options: OtpOptions & { window: number }): HotpResult {
  for (let c = counter; c < counter + options.window; c++) {
    if (otpEquals(first, hotp(secret, c, options)) && otpEquals(second, hotp(secret, c + 1, options))) return { valid: true, nextCounter: c + 2 };
  }
  return { valid: false };
}
