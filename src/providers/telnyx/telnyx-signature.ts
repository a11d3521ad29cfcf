import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** How far a webhook's `telnyx-timestamp` may be from the clock (Telnyx's SDKs use 300 s). */
const TELNYX_TOLERANCE_SECONDS = 300;

// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): the raw 32-byte key follows it.
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The account's webhook public key (32 raw bytes, as the portal shows it in base64) as a KeyObject. */
export function telnyxPublicKey(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new Error('a Telnyx public key is 32 bytes (Ed25519)');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

export type TelnyxSignatureCheck = 'valid' | 'missing' | 'invalid' | 'stale';

/**
 * Checks a Telnyx webhook: `telnyx-signature-ed25519` is the base64 Ed25519 signature of
 * `${telnyx-timestamp}|${raw body}` made with the account's key, and the timestamp (Unix seconds)
 * is within TELNYX_TOLERANCE_SECONDS of `nowMs` (a captured webhook cannot be replayed later).
 * Ed25519 verification (RFC 8032 §5.1.7) is not a secret comparison, so it needs no constant-time compare.
 *
 * @example
 * checkTelnyxSignature(key, headers['telnyx-signature-ed25519'], headers['telnyx-timestamp'], rawBody, clock.now());
 */
export function checkTelnyxSignature(key: KeyObject, signature: string | undefined, timestamp: string | undefined, rawBody: Buffer, nowMs: number): TelnyxSignatureCheck {
  if (!signature || !timestamp) return 'missing';
  if (!/^\d{1,12}$/.test(timestamp)) return 'invalid';
  const bytes = Buffer.from(signature, 'base64');
  if (bytes.length !== 64) return 'invalid';
  const signed = Buffer.concat([Buffer.from(`${timestamp}|`, 'utf8'), rawBody]);
  if (!verify(null, signed, key, bytes)) return 'invalid';
  // Checked after the signature, so a stale answer only goes to a request Telnyx really signed.
  return Math.abs(nowMs / 1000 - Number(timestamp)) > TELNYX_TOLERANCE_SECONDS ? 'stale' : 'valid';
}
