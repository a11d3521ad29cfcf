import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../crypto/digest.ts';

/** Name of the header that carries the signature of a webhook request. */
export const SIGNATURE_HEADER = 'Verity-Signature';

function hmacHex(secret: string, timestampSeconds: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`, 'utf8').digest('hex');
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The timestamp is signed too,
 * so a captured request cannot be replayed after the tolerance window.
 */
export function signWebhook(secret: string, timestampSeconds: number, rawBody: string): string {
  const t = Math.floor(timestampSeconds);
  return `t=${t},v1=${hmacHex(secret, t, rawBody)}`;
}

export interface VerifyWebhookSignatureOptions {
  /** The receiver's current time in Unix seconds. */
  nowSeconds: number;
  /** Largest accepted distance between `t` and now, either way (clock skew). */
  toleranceSeconds?: number;
}

/**
 * Checks a `Verity-Signature` header. Several `v1=` values are accepted (any one matching is
 * enough) so a sender can sign with an old and a new secret during a rotation.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined | null,
  rawBody: string,
  { nowSeconds, toleranceSeconds = 300 }: VerifyWebhookSignatureOptions,
): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return false;
      timestamp = Number(value);
    } else if (key === 'v1' && /^[0-9a-fA-F]{64}$/.test(value)) {
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  // Compare against every candidate without stopping early, so timing reveals nothing.
  let ok = false;
  for (const candidate of signatures) ok = constantTimeEqual(candidate, expected) || ok;
  return ok;
}
