import { getCountries, type CountryCode } from 'libphonenumber-js/max';
import { newSid } from '../crypto/random.ts';
import { invalidParameter } from '../errors/verity-error.ts';
import type { Params } from '../http/params.ts';
import type { VerificationChannel } from '../verify/destination.ts';
import type { ServiceRow } from '../store/schema.ts';
import { SUPPORTED_LOCALES } from '../channels/templates/message-templates.ts';
import { FRIENDLY_NAME_MAX_LENGTH, friendlyName } from './friendly-name.ts';

export const CHANNELS: readonly VerificationChannel[] = ['sms', 'call', 'email', 'flashcall'];

/** Defaults of a new service; they follow the hosted API where it has one (code length 6, 10 minutes). */
export const SERVICE_DEFAULTS = {
  codeLength: 6,
  codeTtlSeconds: 600,
  enabledChannels: CHANNELS,
  dtmfInputRequired: true,
} as const;

const COUNTRIES = new Set<string>(getCountries());

function serviceName(params: Params): string | undefined {
  // The name is put into every message: see friendly-name.ts for what it may not contain.
  return friendlyName('FriendlyName', params.string('FriendlyName', { max: FRIENDLY_NAME_MAX_LENGTH }));
}

function commaList(params: Params, name: string): string[] | undefined {
  if (!params.has(name)) return undefined;
  return params
    .list(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function allowedCountries(params: Params): string | null | undefined {
  const list = commaList(params, 'AllowedCountries');
  if (list === undefined) return undefined;
  if (list.length === 0) return null;
  const upper = [...new Set(list.map((c) => c.toUpperCase()))];
  const unknown = upper.filter((c) => !COUNTRIES.has(c));
  if (unknown.length) throw invalidParameter('AllowedCountries', `unknown ISO 3166-1 alpha-2 codes: ${unknown.join(', ')}`);
  return JSON.stringify(upper.sort());
}

function enabledChannels(params: Params): string | undefined {
  const list = commaList(params, 'EnabledChannels');
  if (list === undefined) return undefined;
  const bad = list.filter((c) => !(CHANNELS as readonly string[]).includes(c));
  if (bad.length) throw invalidParameter('EnabledChannels', `expected a comma-separated subset of ${CHANNELS.join(', ')}`);
  return JSON.stringify([...new Set(list)]);
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** Settings stored as-is for parity with the hosted API (Push, TOTP, WhatsApp, Passkeys, templates). */
function extras(params: Params, previous: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...previous };
  const set = (path: string, value: unknown) => {
    if (value !== undefined) out[path] = value;
  };
  set('Totp.Issuer', params.string('Totp.Issuer', { max: 64 }));
  set('Totp.TimeStep', params.integer('Totp.TimeStep', 20, 60));
  set('Totp.CodeLength', params.integer('Totp.CodeLength', 3, 8));
  set('Totp.Skew', params.integer('Totp.Skew', 0, 2));
  set('Push.IncludeDate', params.boolean('Push.IncludeDate'));
  // Verity: number matching against push fatigue (on unless turned off) and the cap on push
  // challenges since the last success (NIST SP 800-63B-4 §3.1.3).
  set('Push.NumberMatching', params.boolean('Push.NumberMatching'));
  set('Push.MaxChallengesSinceSuccess', params.integer('Push.MaxChallengesSinceSuccess', 1, 100));
  // Verity: voice biometrics — the decision threshold and whether audio is kept (off: only voiceprints).
  set('Voiceprint.Threshold', params.number('Voiceprint.Threshold', -100, 100));
  set('Voiceprint.RetainAudio', params.boolean('Voiceprint.RetainAudio'));
  set('Push.ApnCredentialSid', params.string('Push.ApnCredentialSid', { pattern: /^CR[0-9a-f]{32}$/i, why: 'expected a CR… SID' }));
  set('Push.FcmCredentialSid', params.string('Push.FcmCredentialSid', { pattern: /^CR[0-9a-f]{32}$/i, why: 'expected a CR… SID' }));
  set('Whatsapp.MsgServiceSid', params.string('Whatsapp.MsgServiceSid', { max: 34 }));
  set('Whatsapp.From', params.string('Whatsapp.From', { max: 32 }));
  set('Passkeys.RelyingParty.Id', params.string('Passkeys.RelyingParty.Id', { max: 253 }));
  set('Passkeys.RelyingParty.Name', params.string('Passkeys.RelyingParty.Name', { max: 64 }));
  set('Passkeys.RelyingParty.Origins', params.string('Passkeys.RelyingParty.Origins', { max: 2048 }));
  set('Passkeys.AuthenticatorAttachment', params.oneOf('Passkeys.AuthenticatorAttachment', ['platform', 'cross-platform', 'any']));
  set('Passkeys.DiscoverableCredentials', params.oneOf('Passkeys.DiscoverableCredentials', ['required', 'preferred', 'discouraged']));
  set('Passkeys.UserVerification', params.oneOf('Passkeys.UserVerification', ['required', 'preferred', 'discouraged']));
  set('DefaultTemplateSid', params.string('DefaultTemplateSid', { pattern: /^HJ[0-9a-f]{32}$/i, why: 'expected an HJ… SID' }));
  set('VerifyEventSubscriptionEnabled', params.boolean('VerifyEventSubscriptionEnabled'));
  return out;
}

const flag = (value: boolean | undefined): number | undefined => (value === undefined ? undefined : value ? 1 : 0);

function changes(params: Params, previousExtras: Record<string, unknown>): Partial<ServiceRow> {
  const locale = params.string('DefaultLocale', { max: 35 });
  if (locale !== undefined && locale !== '' && !(SUPPORTED_LOCALES as string[]).includes(locale.toLowerCase().split(/[-_]/)[0] ?? '')) {
    throw invalidParameter('DefaultLocale', `supported languages: ${SUPPORTED_LOCALES.join(', ')}`);
  }
  const webOtpDomain = params.string('WebOtpDomain', { max: 253 });
  if (webOtpDomain && !HOSTNAME.test(webOtpDomain)) throw invalidParameter('WebOtpDomain', 'expected a host name such as example.com');
  const skip = params.boolean('SkipSmsToLandlines');
  if (skip) throw invalidParameter('SkipSmsToLandlines', 'needs a carrier lookup, which Verity does not offer yet');
  const row: Partial<ServiceRow> = {
    friendly_name: serviceName(params),
    code_length: params.integer('CodeLength', 4, 10),
    code_ttl_seconds: params.integer('CodeExpirySeconds', 120, 86_400),
    custom_code_enabled: flag(params.boolean('CustomCodeEnabled')),
    lookup_enabled: flag(params.boolean('LookupEnabled')),
    skip_sms_to_landlines: flag(skip),
    dtmf_input_required: flag(params.boolean('DtmfInputRequired')),
    psd2_enabled: flag(params.boolean('Psd2Enabled')),
    do_not_share_warning_enabled: flag(params.boolean('DoNotShareWarningEnabled')),
    tts_name: params.string('TtsName', { max: 64 }),
    default_locale: locale === undefined ? undefined : locale || null,
    allowed_countries: allowedCountries(params),
    enabled_channels: enabledChannels(params),
    web_otp_domain: webOtpDomain === undefined ? undefined : webOtpDomain.toLowerCase() || null,
    extras: JSON.stringify(extras(params, previousExtras)),
  };
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as Partial<ServiceRow>;
}

export function newServiceRow(accountSid: string, params: Params, now: number): ServiceRow {
  const name = serviceName(params);
  if (name === undefined) throw invalidParameter('FriendlyName', 'required');
  return {
    sid: newSid('VA'),
    account_sid: accountSid,
    friendly_name: name,
    code_length: SERVICE_DEFAULTS.codeLength,
    code_ttl_seconds: SERVICE_DEFAULTS.codeTtlSeconds,
    custom_code_enabled: 0,
    lookup_enabled: 0,
    skip_sms_to_landlines: 0,
    dtmf_input_required: 1,
    psd2_enabled: 0,
    do_not_share_warning_enabled: 0,
    tts_name: null,
    default_locale: null,
    allowed_countries: null,
    enabled_channels: JSON.stringify(SERVICE_DEFAULTS.enabledChannels),
    web_otp_domain: null,
    extras: '{}',
    date_created: now,
    date_updated: now,
    ...changes(params, {}),
  };
}

export function serviceUpdate(row: ServiceRow, params: Params, now: number): Partial<ServiceRow> {
  return { ...changes(params, JSON.parse(row.extras) as Record<string, unknown>), date_updated: now };
}

export function serviceChannels(row: ServiceRow): VerificationChannel[] {
  return JSON.parse(row.enabled_channels) as VerificationChannel[];
}

export function serviceCountries(row: ServiceRow): CountryCode[] | null {
  return row.allowed_countries ? (JSON.parse(row.allowed_countries) as CountryCode[]) : null;
}
