import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a webhook's signature was refused, or `valid`. */
export type WhatsAppSignatureCheck = 'valid' | 'missing' | 'malformed' | 'mismatch';

/**
 * Meta's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body keyed with
 * the app secret>` ("Validating payloads" in Meta's Graph API webhooks documentation). It covers
 * the exact bytes, so it is checked before the body is parsed. Meta signs no timestamp: a replayed
 * notification is a repeat the delivery-status sink answers `unchanged`.
 */
export function checkWhatsAppSignature(appSecret: string, header: string | undefined, rawBody: Buffer): WhatsAppSignatureCheck {
  if (header === undefined || header === '') return 'missing';
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return 'malformed';
  const given = Buffer.from((match[1] as string).toLowerCase(), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'mismatch';
}

/** The header value Meta would send for `rawBody` (the fakes and tests sign with it). */
export function whatsAppSignature(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** The subscription handshake's `hub.verify_token`, compared in constant time (a hash of each makes the lengths equal). */
export function isVerifyToken(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHmac('sha256', 'verity-whatsapp-verify-token').update(expected).digest();
  const b = createHmac('sha256', 'verity-whatsapp-verify-token').update(given).digest();
  return timingSafeEqual(a, b);
}
