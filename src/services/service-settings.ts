import { getCountries, type CountryCode } from 'libphonenumber-js/max';
import { newSid } from '../crypto/random.ts';
import { invalidParameter } from '../errors/verity-error.ts';
import type { VerificationChannel } from '../verify/destination.ts';
import type { ServiceExtras, ServiceRow } from '../store/schema.ts';
import { SUPPORTED_LOCALES, speaksLanguageOf } from '../i18n/locales.ts';
import { friendlyName } from './friendly-name.ts';

/**
 * Every channel a service may enable, all enabled on a new service. A service created before
 * `whatsapp` existed keeps its stored list: WhatsApp is added to it with EnabledChannels, never silently.
 */
export const CHANNELS: readonly VerificationChannel[] = ['sms', 'call', 'email', 'flashcall', 'whatsapp'];

/** Defaults of a new service; they follow the hosted API where it has one (code length 6, 10 minutes). */
export const SERVICE_DEFAULTS = {
  codeLength: 6,
  codeTtlSeconds: 600,
  enabledChannels: CHANNELS,
  dtmfInputRequired: true,
} as const;

const COUNTRIES = new Set<string>(getCountries());
const isCountry = (code: string): code is CountryCode => COUNTRIES.has(code);
const isChannel = (channel: string): channel is VerificationChannel => (CHANNELS as readonly string[]).includes(channel);

/**
 * A service's settings as a create or update request gives them, already checked for shape (the
 * HTTP edge's schema, services-schema.ts: lengths, ranges, booleans; lists split on commas). The
 * keys are the API's, which are also the keys of the stored `extras`.
 */
export interface ServiceSettingsInput {
  FriendlyName?: string;
  DefaultLocale?: string;
  WebOtpDomain?: string;
  SkipSmsToLandlines?: boolean;
  CodeLength?: number;
  CodeExpirySeconds?: number;
  CustomCodeEnabled?: boolean;
  LookupEnabled?: boolean;
  DtmfInputRequired?: boolean;
  Psd2Enabled?: boolean;
  DoNotShareWarningEnabled?: boolean;
  TtsName?: string;
  AllowedCountries?: string[];
  EnabledChannels?: string[];
  'Totp.Issuer'?: string;
  'Totp.TimeStep'?: number;
  'Totp.CodeLength'?: number;
  'Totp.Skew'?: number;
  'Push.IncludeDate'?: boolean;
  'Push.NumberMatching'?: boolean;
  'Push.MaxChallengesSinceSuccess'?: number;
  'Voiceprint.Threshold'?: number;
  'Voiceprint.RetainAudio'?: boolean;
  'Voiceprint.Mode'?: 'pass_phrase' | 'digits';
  'Push.ApnCredentialSid'?: string;
  'Push.FcmCredentialSid'?: string;
  'Whatsapp.MsgServiceSid'?: string;
  'Whatsapp.From'?: string;
  'Passkeys.RelyingParty.Id'?: string;
  'Passkeys.RelyingParty.Name'?: string;
  'Passkeys.RelyingParty.Origins'?: string;
  'Passkeys.AuthenticatorAttachment'?: 'platform' | 'cross-platform' | 'any';
  'Passkeys.DiscoverableCredentials'?: 'required' | 'preferred' | 'discouraged';
  'Passkeys.UserVerification'?: 'required' | 'preferred' | 'discouraged';
  DefaultTemplateSid?: string;
  CustomMessageEnabled?: boolean;
  VerifyEventSubscriptionEnabled?: boolean;
}

/** Settings stored as-is in `extras` for parity with the hosted API (Push, TOTP, WhatsApp, Passkeys, templates). */
const EXTRAS = [
  'Totp.Issuer',
  'Totp.TimeStep',
  'Totp.CodeLength',
  'Totp.Skew',
  'Push.IncludeDate',
  // Verity: number matching against push fatigue (on unless turned off) and the cap on push
  // challenges since the last success (NIST SP 800-63B-4 §3.1.3).
  'Push.NumberMatching',
  'Push.MaxChallengesSinceSuccess',
  // Verity: voice biometrics — the decision threshold and whether audio is kept (off: only voiceprints).
  'Voiceprint.Threshold',
  'Voiceprint.RetainAudio',
  'Voiceprint.Mode',
  'Push.ApnCredentialSid',
  'Push.FcmCredentialSid',
  'Whatsapp.MsgServiceSid',
  'Whatsapp.From',
  'Passkeys.RelyingParty.Id',
  'Passkeys.RelyingParty.Name',
  'Passkeys.RelyingParty.Origins',
  'Passkeys.AuthenticatorAttachment',
  'Passkeys.DiscoverableCredentials',
  'Passkeys.UserVerification',
  'DefaultTemplateSid',
  // Verity: whether the deprecated CustomMessage is accepted (src/channels/message-choice.ts).
  'CustomMessageEnabled',
  'VerifyEventSubscriptionEnabled',
] as const satisfies ReadonlyArray<keyof ServiceSettingsInput>;

function serviceName(input: ServiceSettingsInput): string | undefined {
  // The name is put into every message: see friendly-name.ts for what it may not contain.
  return friendlyName('FriendlyName', input.FriendlyName);
}

function allowedCountries(input: ServiceSettingsInput): CountryCode[] | null | undefined {
  const list = input.AllowedCountries;
  if (list === undefined) return undefined;
  if (list.length === 0) return null;
  const upper = [...new Set(list.map((c) => c.toUpperCase()))];
  const unknown = upper.filter((c) => !COUNTRIES.has(c));
  if (unknown.length) throw invalidParameter('AllowedCountries', `unknown ISO 3166-1 alpha-2 codes: ${unknown.join(', ')}`);
  return upper.filter(isCountry).sort();
}

function enabledChannels(input: ServiceSettingsInput): VerificationChannel[] | undefined {
  const list = input.EnabledChannels;
  if (list === undefined) return undefined;
  const bad = list.filter((c) => !isChannel(c));
  if (bad.length) throw invalidParameter('EnabledChannels', `expected a comma-separated subset of ${CHANNELS.join(', ')}`);
  return [...new Set(list.filter(isChannel))];
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

function extras(input: ServiceSettingsInput, previous: ServiceExtras): Record<string, unknown> {
  const out: Record<string, unknown> = { ...previous };
  for (const key of EXTRAS) if (input[key] !== undefined) out[key] = input[key];
  return out;
}

function changes(input: ServiceSettingsInput, previousExtras: ServiceExtras): Partial<ServiceRow> {
  const locale = input.DefaultLocale;
  if (locale !== undefined && locale !== '' && !speaksLanguageOf(locale)) {
    throw invalidParameter('DefaultLocale', `supported languages: ${SUPPORTED_LOCALES.join(', ')}`);
  }
  const webOtpDomain = input.WebOtpDomain;
  if (webOtpDomain && !HOSTNAME.test(webOtpDomain)) throw invalidParameter('WebOtpDomain', 'expected a host name such as example.com');
  // SMS to certain landlines are refused at send time (src/verify/skip-landlines.ts).
  const skip = input.SkipSmsToLandlines;
  const row: Partial<ServiceRow> = {
    friendly_name: serviceName(input),
    code_length: input.CodeLength,
    code_ttl_seconds: input.CodeExpirySeconds,
    custom_code_enabled: input.CustomCodeEnabled,
    lookup_enabled: input.LookupEnabled,
    skip_sms_to_landlines: skip,
    dtmf_input_required: input.DtmfInputRequired,
    psd2_enabled: input.Psd2Enabled,
    do_not_share_warning_enabled: input.DoNotShareWarningEnabled,
    tts_name: input.TtsName,
    default_locale: locale === undefined ? undefined : locale || null,
    allowed_countries: allowedCountries(input),
    enabled_channels: enabledChannels(input),
    web_otp_domain: webOtpDomain === undefined ? undefined : webOtpDomain.toLowerCase() || null,
    extras: extras(input, previousExtras),
  };
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as Partial<ServiceRow>;
}

export function newServiceRow(accountSid: string, input: ServiceSettingsInput, now: number): ServiceRow {
  const name = serviceName(input);
  if (name === undefined) throw invalidParameter('FriendlyName', 'required');
  return {
    sid: newSid('VA'),
    account_sid: accountSid,
    friendly_name: name,
    code_length: SERVICE_DEFAULTS.codeLength,
    code_ttl_seconds: SERVICE_DEFAULTS.codeTtlSeconds,
    custom_code_enabled: false,
    lookup_enabled: false,
    skip_sms_to_landlines: false,
    dtmf_input_required: true,
    psd2_enabled: false,
    do_not_share_warning_enabled: false,
    tts_name: null,
    default_locale: null,
    allowed_countries: null,
    enabled_channels: [...SERVICE_DEFAULTS.enabledChannels],
    web_otp_domain: null,
    extras: {},
    date_created: now,
    date_updated: now,
    ...changes(input, {}),
  };
}

export function serviceUpdate(row: ServiceRow, input: ServiceSettingsInput, now: number): Partial<ServiceRow> {
  return { ...changes(input, row.extras), date_updated: now };
}

export function serviceChannels(row: ServiceRow): VerificationChannel[] {
  return row.enabled_channels;
}

export function serviceCountries(row: ServiceRow): CountryCode[] | null {
  return row.allowed_countries;
}
