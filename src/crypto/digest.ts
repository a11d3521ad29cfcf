import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of `parts` joined unambiguously (length-prefixed), as a Buffer. */
export function keyedDigest(key: Buffer, ...parts: string[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) {
    const bytes = Buffer.from(part, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    mac.update(len).update(bytes);
  }
  return mac.digest();
}

/** Constant-time equality; unequal lengths return false without comparing contents. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
