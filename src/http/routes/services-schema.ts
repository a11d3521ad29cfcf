import { z } from 'zod';
import { DEFAULT_THRESHOLD } from '../../factors/voiceprint/index.ts';
import { SUPPORTED_LOCALES } from '../../i18n/locales.ts';
import { FRIENDLY_NAME_MAX_LENGTH } from '../../services/friendly-name.ts';
import { CHANNELS, SERVICE_DEFAULTS } from '../../services/service-settings.ts';
import { API_ERRORS, BODY_ERRORS, PAGE_ERRORS, SERVICE_NOT_FOUND, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl, dateTime, extension, listOf, pathSid, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { PageQuery } from '../pagination.ts';

/** The Services resource: its settings in (PascalCase form), the Service out (snake_case JSON). */

const parity = 'Stored for parity.';
const crSid = { pattern: /^CR[0-9a-f]{32}$/i, why: 'expected a CR… SID' };
/** What a case-insensitive SID pattern accepts, for the document (a regex's flags do not reach JSON Schema). */
const anyCaseSid = (prefix: string) => ({ pattern: `^${prefix}[0-9a-fA-F]{32}$`, minLength: 34, maxLength: 34 });

/**
 * Every setting, in the order they are checked (the first bad one is the error). Domain rules
 * beyond the shape (friendly-name content, known locales and countries, host names) are checked
 * by service-settings.ts.
 */
const settings = {
  FriendlyName: field.string({ max: FRIENDLY_NAME_MAX_LENGTH }).meta({
    minLength: 1,
    description:
      'The name put into every message ("Your <FriendlyName> verification code is …"). Refused with 60200: links and anything shaped like a domain, more than 5 digits however spaced, line breaks, control or invisible characters, and `<>{}`.',
    examples: ['Acme'],
  }),
  DefaultLocale: extension(field.string({ max: 35 }), `Language of messages when a verification gives no \`Locale\` (BCP 47; supported: ${SUPPORTED_LOCALES.join(', ')}). Empty clears it (English).`),
  WebOtpDomain: extension(field.string({ max: 253 }), 'Host name for origin-bound SMS codes: SMS end with `@<domain> #<code>` (WebOTP, iOS/Android autofill). Empty clears it.'),
  SkipSmsToLandlines: field.boolean().meta({ default: false, description: 'SMS to a number the offline numbering plan (libphonenumber) says is a landline are refused with 60205. Only certain landlines: numbers that may be mobile (most of North America) are sent to.' }),
  CodeLength: field.integer(4, 10).meta({ default: SERVICE_DEFAULTS.codeLength, description: `Digits of generated codes (default ${SERVICE_DEFAULTS.codeLength}).` }),
  CodeExpirySeconds: extension(field.integer(120, 86_400).meta({ default: SERVICE_DEFAULTS.codeTtlSeconds }), `How long a code stays valid (default ${SERVICE_DEFAULTS.codeTtlSeconds}); the hosted API fixes 10 minutes.`),
  CustomCodeEnabled: field.boolean().meta({ default: false, description: 'Allows `CustomCode` on new verifications (without it, 60200).' }),
  LookupEnabled: field.boolean().meta({ default: false, description: 'Verifications to a phone number show `lookup.carrier.type` (mobile, landline, voip or null) from the offline numbering plan; no carrier is asked, so the carrier\'s name and network codes are null.' }),
  DtmfInputRequired: field.boolean().meta({ default: SERVICE_DEFAULTS.dtmfInputRequired, description: parity }),
  Psd2Enabled: field.boolean().meta({ default: false, description: 'PSD2 dynamic linking: verifications need `Amount` and `Payee`, and a check approves only with the same values.' }),
  DoNotShareWarningEnabled: field.boolean().meta({ default: false, description: 'Appends a "do not share this code" warning to messages.' }),
  TtsName: field.string({ max: 64 }).meta({ description: 'Name spoken in calls instead of FriendlyName; stored for parity.' }),
  AllowedCountries: extension(field.commaList(), 'Geo permissions: ISO 3166-1 alpha-2 codes, comma-separated or repeated. Other countries are refused with 60605. Empty clears the list.'),
  EnabledChannels: extension(field.commaList(), `Subset of ${CHANNELS.join(', ')} (default all), comma-separated or repeated. Other channels are refused with 60223.`),
  'Totp.Issuer': field.string({ max: 64 }).meta({ description: 'Stored for parity; defaults to FriendlyName.' }),
  'Totp.TimeStep': field.integer(20, 60).meta({ default: 30, description: parity }),
  'Totp.CodeLength': field.integer(3, 8).meta({ default: 6, description: parity }),
  'Totp.Skew': field.integer(0, 2).meta({ default: 1, description: parity }),
  'Push.IncludeDate': field.boolean().meta({ description: 'Stored for parity (a push challenge\'s `details.date` is always set).', deprecated: true }),
  'Push.NumberMatching': extension(field.boolean().meta({ default: true }), 'Number matching for push challenges (on unless turned off): the device must send back the two digits the login page shows.'),
  'Push.MaxChallengesSinceSuccess': extension(field.integer(1, 100).meta({ default: 5 }), 'Push-fatigue cap: push challenges since the last approved one (default 5); the next is refused with 64001.'),
  // Bounded below: at −2 the built-in engine already lets 19–41 % of impostors through (models/README.md),
  // and the score's floor is −10, where every voice would match.
  'Voiceprint.Threshold': extension(field.number(-2, 8), `Decision threshold of voiceprint challenges, from −2 (lenient) to 8 (the strictest score); higher is stricter. Unset: the engine's default, ${DEFAULT_THRESHOLD}.`),
  'Voiceprint.RetainAudio': extension(field.boolean().meta({ default: false }), 'Keep the audio (sealed) of enrolments and challenge recordings (default false).'),
  'Voiceprint.Mode': extension(
    field.oneOf(['pass_phrase', 'digits']).meta({ default: 'pass_phrase' }),
    'What new voiceprint factors say. `pass_phrase` (default): a phrase of the user\'s choice, checked for the voice and the phrase. `digits` (text-prompted): the user enrols by saying 3 strings of 7 digits Verity shows (`config.prompt`), and every challenge carries fresh random digits to say (`details.prompt`, 6 digits, never repeated for a factor), checked digit by digit (one misheard digit is tolerated) and for the voice, so a replayed recording of an earlier attempt fails (`digits_mismatch`). A factor keeps the mode it was created with.',
  ),
  'Push.ApnCredentialSid': field.string(crSid).meta({ ...anyCaseSid('CR'), description: 'Stored for parity: Verity sends APNs notifications with its own key (VERITY_APNS_*, docs/push.md).' }),
  'Push.FcmCredentialSid': field.string(crSid).meta({ ...anyCaseSid('CR'), description: 'Stored for parity: Verity sends FCM notifications with its own service account (VERITY_FCM_*, docs/push.md).' }),
  'Whatsapp.MsgServiceSid': field.string({ max: 34 }).meta({ description: 'Stored for parity (Verity does not deliver WhatsApp).' }),
  'Whatsapp.From': field.string({ max: 32 }).meta({ description: 'Stored for parity (Verity does not deliver WhatsApp).' }),
  'Passkeys.RelyingParty.Id': field.string({ max: 253 }).meta({ description: 'WebAuthn RP ID: the registrable domain of the sign-in page. Required for passkey factors (else 60300).' }),
  'Passkeys.RelyingParty.Name': field.string({ max: 64 }).meta({ description: 'Name the browser shows when creating a passkey; default FriendlyName.' }),
  'Passkeys.RelyingParty.Origins': field.string({ max: 2048 }).meta({ description: 'Comma-separated origins passkey responses may come from; default `https://<RP ID>`.' }),
  'Passkeys.AuthenticatorAttachment': field.oneOf(['platform', 'cross-platform', 'any']).meta({ description: '`authenticatorSelection.authenticatorAttachment` (`any`: not set); default platform.' }),
  'Passkeys.DiscoverableCredentials': field.oneOf(['required', 'preferred', 'discouraged']).meta({ description: '`authenticatorSelection.residentKey`; default preferred.' }),
  'Passkeys.UserVerification': field.oneOf(['required', 'preferred', 'discouraged']).meta({ description: 'WebAuthn `userVerification` of every passkey ceremony; default preferred.' }),
  DefaultTemplateSid: field.string({ pattern: /^HJ[0-9a-f]{32}$/i, why: 'expected an HJ… SID' }).meta({ ...anyCaseSid('HJ'), description: 'The template (GET /v2/Templates) of the SMS and email of verifications that name none; its custom variables come from each verification\'s TemplateCustomSubstitutions (60224 when missing). It must name a template of the account when set (60228); one deleted later, or one that lacks the channel, falls back to the built-in text. Empty clears it.' }),
  CustomMessageEnabled: extension(field.boolean().meta({ default: false }), 'Allow the deprecated `CustomMessage` on this service\'s verifications (without it, 60243). The text is checked as a template\'s (needs `{{code}}`, no links unless VERITY_TEMPLATE_LINKS).'),
  VerifyEventSubscriptionEnabled: field.boolean().meta({ default: false, description: 'Stored for parity; Verity sends events through the service\'s Webhooks.' }),
};

const ServiceCreateParams = field.fields({ ...settings, FriendlyName: field.required({ max: FRIENDLY_NAME_MAX_LENGTH }).meta(settings.FriendlyName.meta() ?? {}) }).meta({ id: 'ServiceCreateParams' });
// An update checks the locale, the WebOTP domain and SkipSmsToLandlines before the name, as it always has.
const { DefaultLocale, WebOtpDomain, SkipSmsToLandlines, ...others } = settings;
const ServiceUpdateParams = field.fields({ DefaultLocale, WebOtpDomain, SkipSmsToLandlines, ...others }).meta({ id: 'ServiceUpdateParams', description: 'Only the parameters given change.' });

const nullableString = z.string().nullable();
const flag = (description: string) => z.boolean().meta({ description });

const Service = z
  .object({
    sid: sid('VA', 'Service SID.'),
    account_sid: sid('AC', 'Account that owns the service.'),
    friendly_name: z.string().meta({ description: 'Name put into messages.' }),
    code_length: z.number().int().min(4).max(10),
    lookup_enabled: flag('Verifications show the offline line type in `lookup`.'),
    psd2_enabled: flag('PSD2 dynamic linking (Amount and Payee).'),
    skip_sms_to_landlines: flag('SMS to certain landlines are refused (60205).'),
    dtmf_input_required: flag(parity),
    tts_name: nullableString,
    do_not_share_warning_enabled: flag('Messages carry a "do not share" warning.'),
    custom_code_enabled: flag('Verifications may carry a CustomCode.'),
    push: z.object({
      include_date: z.boolean(),
      apn_credential_sid: nullableString,
      fcm_credential_sid: nullableString,
      number_matching: extension(z.boolean(), 'Push challenges require the number shown on the login page (Push.NumberMatching).'),
      max_challenges_since_success: extension(z.number().int().min(1).max(100), 'Push-fatigue cap (Push.MaxChallengesSinceSuccess).'),
    }),
    voiceprint: extension(
      z.object({
        threshold: z.number().min(-100).max(100).nullable().meta({ description: `Voiceprint.Threshold; null: the engine's default, ${DEFAULT_THRESHOLD}.` }),
        retain_audio: z.boolean().meta({ description: 'Voiceprint.RetainAudio.' }),
        mode: z.enum(['pass_phrase', 'digits']).meta({ description: 'Voiceprint.Mode: what new voiceprint factors say (a pass phrase, or prompted digits).' }),
      }),
      'Voice biometrics settings.',
    ),
    totp: z.object({ issuer: z.string(), time_step: z.number().int(), code_length: z.number().int(), skew: z.number().int() }),
    whatsapp: z.object({ msg_service_sid: nullableString, from: nullableString }),
    passkeys: z.object({
      relying_party: z.object({ id: nullableString, name: nullableString, origins: z.array(z.string()) }),
      authenticator_attachment: z.string(),
      discoverable_credentials: nullableString,
      user_verification: z.string(),
    }),
    default_template_sid: nullableString,
    verify_event_subscription_enabled: z.boolean(),
    date_created: dateTime('Creation time,'),
    date_updated: dateTime('Last update,'),
    url: absoluteUrl('Absolute URL of this service.'),
    links: z
      .object(Object.fromEntries(['verification_checks', 'verifications', 'rate_limits', 'messaging_configurations', 'entities', 'webhooks', 'access_tokens'].map((k) => [k, absoluteUrl()])))
      .meta({ description: 'Absolute URLs of sub-resources.' }),
    code_expiry_seconds: extension(z.number().int().min(120).max(86_400), 'Code lifetime (CodeExpirySeconds).'),
    default_locale: extension(nullableString, 'Default message language (DefaultLocale).'),
    allowed_countries: extension(z.array(z.string().regex(/^[A-Z]{2}$/)).nullable(), 'Allowed destination countries; null when every country is allowed.'),
    enabled_channels: extension(z.array(z.enum(CHANNELS as readonly [string, ...string[]])), 'Channels verifications may use (EnabledChannels).'),
    web_otp_domain: extension(nullableString, 'Domain of origin-bound SMS codes (WebOtpDomain).'),
    custom_message_enabled: extension(z.boolean(), 'Whether CustomMessage is allowed (CustomMessageEnabled).'),
  })
  .meta({ id: 'Service', description: 'A Verify Service: the settings shared by its verifications.' });

const ServiceList = listOf('services', Service, 'ServiceList', 'A page of services, oldest first.');

/** The path of one service. A malformed SID answers 20404 like an unknown one (loadService). */
export const ServicePath = z.object({ serviceSid: pathSid('VA', 'Service SID (`VA` + 32 hex).') });

const serviceNotFound: ErrorCase[] = [SERVICE_NOT_FOUND];

export const createServiceSchema = operation({
  operationId: 'createService',
  tag: 'Services',
  summary: 'Create a service',
  description: 'Creates a Verify Service. Hosted-API settings Verity does not act on (Push credentials, WhatsApp, Passkeys, templates) are stored and echoed for parity.',
  caller: 'account',
  body: ServiceCreateParams,
  ok: { 201: { description: 'The new service.', schema: Service } },
  errors: [
    {
      code: 60200,
      when: `FriendlyName missing, too long or containing links/phone numbers, CodeLength outside 4–10, CodeExpirySeconds outside 120–86400, unsupported DefaultLocale, unknown AllowedCountries, EnabledChannels outside ${CHANNELS.join('/')}, bad WebOtpDomain, or another parameter out of range.`,
      message: 'Invalid parameter: FriendlyName (required)',
    },
    { code: 60228, when: 'DefaultTemplateSid names no template of the account.', message: 'Template was not found: DefaultTemplateSid names no template of this account' },
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const listServicesSchema = operation({
  operationId: 'listServices',
  tag: 'Services',
  summary: 'List services',
  description: 'Lists the account\'s services, oldest first.',
  caller: 'account',
  querystring: PageQuery,
  ok: { 200: { description: 'A page of services.', schema: ServiceList } },
  errors: [...PAGE_ERRORS, ...API_ERRORS],
});

export const fetchServiceSchema = operation({
  operationId: 'fetchService',
  tag: 'Services',
  summary: 'Fetch a service',
  description: 'Fetches one service of the authenticated account.',
  caller: 'account',
  params: ServicePath,
  ok: { 200: { description: 'The service.', schema: Service } },
  errors: [...serviceNotFound, ...API_ERRORS],
});

export const updateServiceSchema = operation({
  operationId: 'updateService',
  tag: 'Services',
  summary: 'Update a service',
  description: 'Changes the given settings; the others keep their values. Pending verifications keep the code length and expiry they were created with.',
  caller: 'account',
  params: ServicePath,
  body: ServiceUpdateParams,
  ok: { 200: { description: 'The updated service.', schema: Service } },
  errors: [
    { code: 60200, when: 'a parameter is invalid (same rules as create); the message names it.', message: 'Invalid parameter: CodeLength (expected an integer from 4 to 10)' },
    { code: 60228, when: 'DefaultTemplateSid names no template of the account.', message: 'Template was not found: DefaultTemplateSid names no template of this account' },
    ...serviceNotFound,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const deleteServiceSchema = operation({
  operationId: 'deleteService',
  tag: 'Services',
  summary: 'Delete a service',
  description: 'Deletes the service.',
  caller: 'account',
  params: ServicePath,
  ok: { 204: { description: 'Deleted (no body).' } },
  errors: [...serviceNotFound, ...API_ERRORS],
});
