import { randomBytes } from 'node:crypto';
import { constantTimeEqual, keyedDigest } from '../crypto/digest.ts';

/**
 * One-time codes. No code is stored: a verification keeps a random 256-bit seed, and its code is
 * HMAC-SHA256(master-derived key, sid ‖ seed) reduced to decimal digits. Reading the database
 * therefore reveals nothing without the master key, yet a resend can repeat the same code (as the
 * hosted API does). The seed comes from the CSPRNG; reducing a 64-bit HMAC output modulo 10^10 has
 * a bias below 10^-9. Custom codes supplied by the application are kept as a keyed digest only.
 */
export function newCodeSeed(): string {
  return randomBytes(32).toString('base64url');
}

export function deriveCode(key: Buffer, sid: string, seed: string, length: number): string {
  const digest = keyedDigest(key, 'verity/otp/v1', sid, seed);
  const n = digest.readBigUInt64BE(0) % 10n ** BigInt(length);
  return n.toString().padStart(length, '0');
}

export function customCodeDigest(key: Buffer, sid: string, code: string): string {
  return keyedDigest(key, 'verity/custom-code/v1', sid, code).toString('base64url');
}

/** Compares a submitted code with the expected one by their keyed digests, in constant time. */
export function codesMatch(key: Buffer, sid: string, submitted: string, expected: { code?: string; digest?: string }): boolean {
  const submittedDigest = keyedDigest(key, 'verity/custom-code/v1', sid, submitted);
  const expectedDigest =
    expected.digest !== undefined
      ? Buffer.from(expected.digest, 'base64url')
      : keyedDigest(key, 'verity/custom-code/v1', sid, expected.code ?? '');
  return constantTimeEqual(submittedDigest, expectedDigest);
}
