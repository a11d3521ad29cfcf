import { HOTP, Secret } from 'otpauth';
import { constantTimeEqual } from '../../crypto/digest.ts';

/** Hash functions RFC 6238 §1.2 allows (HMAC-SHA-1, -256, -512). */
export type OtpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface OtpOptions {
  algorithm: OtpAlgorithm;
  /** 6 to 8 digits (RFC 4226 §5.3 requires at least 6). */
  digits: number;
}

export interface TotpOptions extends OtpOptions {
  /** Time step X in seconds (RFC 6238 §4.1; 30 by default). */
  period: number;
  /** Steps accepted before and after the current one, for clock drift (RFC 6238 §5.2). */
  skew: number;
}

const LIBRARY_ALGORITHM = { sha1: 'SHA1', sha256: 'SHA256', sha512: 'SHA512' } as const;

/** RFC 4226 HOTP value for `counter` (the otpauth library computes HMAC + dynamic truncation). */
export function hotp(secret: Uint8Array, counter: number, options: OtpOptions): string {
  return HOTP.generate({ secret: toLibrarySecret(secret), counter, digits: options.digits, algorithm: LIBRARY_ALGORITHM[options.algorithm] });
}

/** RFC 6238 §4.2: T = floor((unix time − T0) / X), T0 = 0. */
export function timeStep(unixMs: number, period: number): number {
  return Math.floor(unixMs / 1000 / period);
}

/** RFC 6238 TOTP value at `unixMs`. */
export function totp(secret: Uint8Array, unixMs: number, options: TotpOptions): string {
  return hotp(secret, timeStep(unixMs, options.period), options);
}

/** Compares two codes in constant time (codes of different length never match). */
export function otpEquals(submitted: string, expected: string): boolean {
  return constantTimeEqual(Buffer.from(submitted, 'latin1'), Buffer.from(expected, 'latin1'));
}


function toLibrarySecret(secret: Uint8Array): Secret {
  return new Secret({ buffer: secret.buffer.slice(secret.byteOffset, secret.byteOffset + secret.byteLength) as ArrayBuffer });
}
