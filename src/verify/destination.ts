import { invalidParameter } from '../errors/verity-error.ts';
import { parsePhone } from '../messaging/phone-numbers.ts';
import type { Channel } from '../providers/provider.ts';

/** Channels a verification can use: the delivery channels plus Verity's flash call. */
export type VerificationChannel = Channel | 'flashcall';

export type Destination =
  | { kind: 'phone'; address: string; country: string | undefined }
  | { kind: 'email'; address: string };

// RFC 5321 limits: 64-octet local part, 254-octet path; deliberately stricter than RFC 5322 syntax.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Normalises a phone number to E.164 (with libphonenumber-js metadata) or an email to lower case. */
export function parseDestination(raw: string | undefined, param = 'To'): Destination {
  const value = (raw ?? '').trim();
  if (!value) throw invalidParameter(param, 'required');
  if (value.includes('@')) {
    if (!EMAIL.test(value)) throw invalidParameter(param, 'not a valid email address');
    return { kind: 'email', address: value.toLowerCase() };
  }
  if (!/^\+?[0-9 ().-]{4,32}$/.test(value)) throw invalidParameter(param, 'expected an E.164 phone number such as +14155552671');
  const phone = parsePhone(value.startsWith('+') ? value : `+${value}`);
  if (!phone || !phone.isValid()) throw invalidParameter(param, 'not a valid phone number');
  return { kind: 'phone', address: phone.number, country: phone.country };
}

/** Checks that the destination fits the channel: a phone for sms/call/flashcall/whatsapp, an email for email. */
export function destinationForChannel(raw: string | undefined, channel: VerificationChannel): Destination {
  const destination = parseDestination(raw);
  const wantsEmail = channel === 'email';
  if (wantsEmail !== (destination.kind === 'email')) {
    throw invalidParameter('To', wantsEmail ? 'the email channel needs an email address' : `the ${channel} channel needs a phone number`);
  }
  return destination;
}
