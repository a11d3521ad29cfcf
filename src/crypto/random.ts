import { randomBytes } from 'node:crypto';

/** Twilio-style resource id: a two-letter prefix and 32 hex characters (128 random bits). */
export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** A high-entropy bearer secret (256 bits), URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
