import { randomBytes, randomFillSync } from 'node:crypto';

/** SIDs are cut from a buffer of random bytes filled 256 at a time: one call into the CSPRNG per 256 SIDs, not per SID (as randomUUID does). */
const SID_BYTES = 16;
const pool = Buffer.alloc(SID_BYTES * 256);
let used = pool.length;

/** Twilio-style resource id: a two-letter prefix and 32 hex characters (128 random bits). */
export function newSid(prefix: string): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const start = used;
  used += SID_BYTES;
  return prefix + pool.toString('hex', start, used);
}

/** A high-entropy bearer secret (256 bits), URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
