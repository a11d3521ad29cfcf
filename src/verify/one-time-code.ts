import { randomBytes } from 'node:crypto';
import { constantTimeEqual, keyedDigest } from '../crypto/digest.ts';
import type { Keyring } from '../crypto/keyring.ts';

/**
 * One-time codes. No code is stored: a verification keeps a random 256-bit seed, and its code is
 * HMAC-SHA256(master-derived key, sid ‖ seed) reduced to decimal digits. Reading the database
 * therefore reveals nothing without the master key, yet a resend can repeat the same code (as the
 * hosted API does). The seed comes from the CSPRNG; reducing a 64-bit HMAC output modulo 10^10 has
 * a bias below 10^-9. Custom codes supplied by the application are kept as a keyed digest only.
 * Seeds and digests are prefixed with the id of the master key they depend on, so codes that are
 * pending while the master key rotates stay valid (the old key is kept in VERITY_RETIRED_MASTER_KEYS).
 */
export function newCodeSeed(keyring: Keyring): string {
  return `${keyring.keyId}.${randomBytes(32).toString('base64url')}`;
}

function keyFor(keyring: Keyring, stored: string): { key: Buffer; value: string } {
  const dot = stored.indexOf('.');
  const key = keyring.deriveFor(stored.slice(0, dot), 'otp-code');
  if (dot < 0 || !key) throw new Error('code material made under an unknown master key');
  return { key, value: stored.slice(dot + 1) };
}

export function deriveCode(keyring: Keyring, sid: string, storedSeed: string, length: number): string {
  const { key, value } = keyFor(keyring, storedSeed);
  const digest = keyedDigest(key, 'verity/otp/v1', sid, value);
  const n = digest.readBigUInt64BE(0) % 10n ** BigInt(length);
  return n.toString().padStart(length, '0');
}

export function customCodeDigest(keyring: Keyring, sid: string, code: string): string {
  return `${keyring.keyId}.${keyedDigest(keyring.derive('otp-code'), 'verity/code/v1', sid, code).toString('base64url')}`;
}

/**
 * Compares a submitted code with the verification's code by their keyed digests, in constant time
 * (equal-length digests, so neither the length nor a prefix of the code leaks through timing).
 */
export function codesMatch(keyring: Keyring, sid: string, submitted: string, expected: { seed: string; length: number } | { digest: string }): boolean {
  if ('digest' in expected) {
    const { key, value } = keyFor(keyring, expected.digest);
    return constantTimeEqual(keyedDigest(key, 'verity/code/v1', sid, submitted), Buffer.from(value, 'base64url'));
  }
  // The expected length is public (the service's code length): compare the codes themselves in
  // constant time, one HMAC (the derivation) instead of three.
  const code = deriveCode(keyring, sid, expected.seed, expected.length);
  return submitted.length === code.length && constantTimeEqual(Buffer.from(submitted, 'latin1'), Buffer.from(code, 'latin1'));
}
