import type { Config } from '../config/config.ts';
import type { BucketPolicy } from '../store/rate-limit-store.ts';
import { SEND_LIMIT } from '../verify/limits.ts';

/** What reaches a provider or the call engine: a message (SMS, email, WhatsApp) or a call (verification, flash, voiceprint). */
export type SendChannel = 'sms' | 'email' | 'whatsapp' | 'call' | 'flashcall';

/** The feature that asks to send, for logs and metrics; every feature passes the same checks. */
export type SendFeature = 'verification' | 'voiceprint_call';

/** One outbound message or call, as the gate judges it. */
export interface SendRequest {
  accountSid: string;
  serviceSid: string;
  /** The service's geo permissions (ISO 3166-1 alpha-2), or null when every country is allowed. */
  allowedCountries: readonly string[] | null;
  /** An E.164 number with its country (as parsed by libphonenumber), or a lower-cased email address. */
  destination: { kind: 'phone'; address: string; country: string | undefined } | { kind: 'email'; address: string };
  channel: SendChannel;
  feature: SendFeature;
  /**
   * Who asks (the verification's requester, API_REQUESTER in src/verify/limits.ts): the application's
   * API (`''`, the default) spends the destination's API budget; a hosted page's user spends their own
   * and the one all hosted users share for the number, never the API's.
   */
  requester?: string | undefined;
}

/** The budgets the gate spends; built once from the configuration. */
export interface SendGatePolicy {
  /**
   * Per service, destination and requester side, shared by every feature (60203): the hosted API's
   * 5 per 10 minutes for the application's API; the same for each hosted user, and again for all
   * hosted users of the number together.
   */
  perDestination: BucketPolicy;
  /** Per service and leading-digits prefix of a phone number (60410), the SMS-pumping guard. */
  prefix: { digits: number; bucket: BucketPolicy };
  /** Per account, every channel and feature together (64301). */
  perAccount: BucketPolicy;
}

export function sendGatePolicy(rateLimits: Config['rateLimits']): SendGatePolicy {
  const { digits, maxSends, windowSeconds } = rateLimits.prefix;
  return {
    perDestination: SEND_LIMIT,
    prefix: { digits, bucket: { capacity: maxSends, refillPerSecond: maxSends / windowSeconds } },
    perAccount: { capacity: rateLimits.sendAccount.burst, refillPerSecond: rateLimits.sendAccount.perSecond },
  };
}

export const accountSendBucketKey = (accountSid: string): string => `send-account:${accountSid}`;
