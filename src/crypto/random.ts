import { randomBytes, randomInt } from 'node:crypto';

/** Twilio-style resource id: a two-letter prefix and 32 hex characters (128 random bits). */
export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** A high-entropy bearer secret (256 bits), URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `length` decimal digits drawn uniformly from the CSPRNG (randomInt rejects biased samples). */
export function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}
