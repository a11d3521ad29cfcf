import { randomBytes } from 'node:crypto';
import type { SipMessage } from 'sip';

/** The methods Verity's user agent takes within a call (RFC 3261 §20.5). */
export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO';

/** A tag or Call-ID: 64 / 128 random bits (RFC 3261 §19.3: cryptographically random, at least 32 bits). */
export const newTag = (): string => randomBytes(8).toString('hex');
export const newCallId = (): string => randomBytes(16).toString('hex');

/**
 * A user part for a SIP URI (RFC 3261 §25.1 `user`): unreserved characters as they are, anything
 * else percent-encoded, so a number or caller id can never break out of its URI or header.
 */
export function uriUser(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'))
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9\-_.!~*'()&=+$,;?/]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** The SDP a message carries (Content-Type application/sdp, a body), or undefined. */
export function sdpOf(message: SipMessage): string | undefined {
  const type = message.headers['content-type'];
  const content = message.content ?? '';
  return typeof type === 'string' && /^\s*application\/sdp\s*(;|$)/i.test(type) && content.trim() !== '' ? content : undefined;
}
