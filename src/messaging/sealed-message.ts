import { z } from 'zod';
import type { Keyring } from '../crypto/keyring.ts';
import { seal, unseal } from '../crypto/seal.ts';
import type { OutboundMessage } from '../providers/provider.ts';

/** What a failover sends again: the rendered message without its per-attempt fields. */
export type RenderedOutbound = Omit<OutboundMessage, 'attemptId'>;

const stored = z.object({
  channel: z.enum(['sms', 'call', 'email', 'whatsapp']),
  to: z.string(),
  body: z.string(),
  subject: z.string().optional(),
  html: z.string().optional(),
  locale: z.string(),
  code: z.string().optional(),
  emailSender: z.object({ address: z.string(), name: z.string().optional() }).optional(),
  verificationSid: z.string(),
});

/** The context a delivery attempt's message is sealed under: the sealed value cannot be moved to another row. */
const messageContext = (attemptSid: string): string => `delivery-attempt:${attemptSid}`;

/**
 * Seals the rendered message of an attempt (it holds the code) with the master key, as the call's
 * secret is sealed: a failover after a receipt or a time-out, maybe on another node after a
 * restart, must send exactly the same message, and a custom code cannot be rendered again (only its
 * digest is kept).
 */
export function sealMessage(keyring: Keyring, attemptSid: string, message: RenderedOutbound): string {
  const { channel, to, body, subject, html, locale, code, emailSender, verificationSid } = message;
  return seal(keyring, JSON.stringify({ channel, to, body, subject, html, locale, code, emailSender, verificationSid }), messageContext(attemptSid));
}

export function unsealMessage(keyring: Keyring, attemptSid: string, sealed: string): RenderedOutbound {
  const parsed = stored.parse(JSON.parse(unseal(keyring, sealed, messageContext(attemptSid))));
  const message: RenderedOutbound = { channel: parsed.channel, to: parsed.to, body: parsed.body, locale: parsed.locale, verificationSid: parsed.verificationSid };
  if (parsed.subject !== undefined) message.subject = parsed.subject;
  if (parsed.html !== undefined) message.html = parsed.html;
  if (parsed.code !== undefined) message.code = parsed.code;
  if (parsed.emailSender !== undefined) message.emailSender = parsed.emailSender.name === undefined ? { address: parsed.emailSender.address } : { address: parsed.emailSender.address, name: parsed.emailSender.name };
  return message;
}
