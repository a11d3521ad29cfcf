import { SUPPORTED_LOCALES } from '../../i18n/locales.ts';
import { ERROR_CODES } from '../../errors/error-codes.ts';
import { ALL_EVENT_TYPES, EVENT_TYPES } from '../../events/event-types.ts';
import { MAX_PASSKEY_PAYLOAD } from '../../factors/passkeys/passkey-protocol.ts';
import { AMR_BY_FACTOR_TYPE, DEFAULT_CHALLENGE_TTL_MS, MAX_CHALLENGE_ATTEMPTS, MAX_CHALLENGE_TTL_MS } from '../../factors/challenges.ts';
import { DEFAULT_ENROLLMENT_TTL_SECONDS } from '../../factors/push/enrollment-tokens.ts';
import { PUSH_FATIGUE_WINDOW_MS } from '../../factors/push/push-challenges.ts';
import { DEVICE_AUDIENCE, ENROLLMENT_AUDIENCE, JWT_TYPES, MAX_DEVICE_TOKEN_SECONDS, MAX_SIGNATURE_AGE_SECONDS } from '../../factors/push/push-protocol.ts';
import { MAX_FACTOR_VERIFY_ATTEMPTS } from '../../factors/totp/totp-factor.ts';
import { DEFAULT_THRESHOLD, ENGINE_DEFAULTS, MAX_AUDIO_SECONDS } from '../../factors/voiceprint/index.ts';
import type { EnrollProblemCode } from '../../factors/voiceprint/voiceprint-engine.ts';
import { BIOMETRIC_FREE_FAILURES, biometricLockoutDelayMs } from '../../factors/voiceprint-factor/biometric-lockout.ts';
import { ENROLLMENT_RECORDINGS } from '../../factors/voiceprint-factor/voiceprint-factor.ts';
import { CHANNELS, SERVICE_DEFAULTS } from '../../services/service-settings.ts';
import { LOCKOUT, MAX_CHECK_ATTEMPTS } from '../../verify/limits.ts';
import { STALE_CALL_MS } from '../../voice/call-router.ts';
import type { FactorCallFlow } from '../../voice/factor-calls/factor-call-engine.ts';
import { VOICE_FLOWS } from '../../voice/flows/call-flow.ts';
import { KEYPAD_TRIES } from '../../voice/flows/keypad-code-flow.ts';
import type { ProgressEvent } from '../../verify/lifecycle/verification-progress.ts';
import { MAX_AUTH_PAYLOAD } from '../routes/factors-schema.ts';
import { HANDOFF_SESSION_MS, HANDOFF_SESSION_RETENTION_MS } from '../../handoff/handoff-session.ts';
import { DESCRIPTION, RESPONSE_HEADERS, SECURITY_SCHEMES, TAGS } from './document-info.ts';
import { CHALLENGE_PROGRESS_EVENT, webhookEventSchemas, webhooks } from './document-webhooks.ts';
import { SEMANTICS, VOICE_SEMANTICS } from '../routes/verifications-schema.ts';
import { HANDOFF_SEMANTICS } from '../routes/handoff-clients-schema.ts';
import { API_ERRORS, BODY_ERRORS, PAGE_ERRORS, SERVICE_NOT_FOUND, errorResponses, type ErrorCase } from '../schema/error-responses.ts';

/**
 * The OpenAPI 3.1 description of every HTTP route Verity serves, served at /openapi.json and
 * rendered at /docs. Wire details (PascalCase form parameters in, snake_case JSON out, the legacy
 * error body) follow the hosted Twilio Verify v2 API; Verity's own parameters and fields carry
 * `x-verity-extension: true`.
 */

type Json = Record<string, unknown>;

const VERSION = '0.1.0';
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

const schemaRef = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const paramRef = (name: string): Json => ({ $ref: `#/components/parameters/${name}` });

/** Marks a parameter or field as Verity's own (absent from the hosted API). */
function extension(schema: Json): Json {
  return { ...schema, description: `**Verity extension** (not on the hosted API). ${String(schema.description ?? '')}`.trim(), 'x-verity-extension': true };
}

const sidPattern = (prefix: string): string => `^${prefix}[0-9a-f]{32}$`;
const sid = (prefix: string, description: string): Json => ({
  type: 'string',
  pattern: sidPattern(prefix),
  minLength: 34,
  maxLength: 34,
  description,
  example: `${prefix}${'0123456789abcdef'.repeat(2)}`,
});
const nullable = (type: string): string[] => [type, 'null'];
const dateTime = (description: string): Json => ({
  type: 'string',
  format: 'date-time',
  description: `${description} UTC, without milliseconds (\`2015-07-30T20:00:00Z\`).`,
  example: '2026-01-01T12:00:00Z',
});
const url = (description: string): Json => ({ type: 'string', format: 'uri', description });

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

interface OperationSpec {
  operationId: string;
  tag: string;
  summary: string;
  description: string;
  /**
   * HTTP Basic on /v2 routes (`true`), a device's bearer JWT on /device/v1 (`'device'`), Bandwidth's
   * callback credentials on its voice callbacks (`'bandwidth'`), or none.
   */
  auth: boolean | 'device' | 'bandwidth';
  parameters?: Json[];
  /** A component schema name of the form body. */
  form?: string;
  /** A request body other than a PascalCase form (the simulator's, the voice platforms', recordings). */
  requestBody?: Json;
  ok: { status: number; description: string; schema?: Json; contentType?: string; headers?: Json };
  /** Another success status of the operation (a 200 beside a 201). */
  alsoOk?: OperationSpec['ok'][];
  errors: ErrorCase[];
}

/** Array parameters of a form, sent as repeated keys. */
function formEncoding(form: string): Json {
  if (form.startsWith('Webhook')) return { encoding: { EventTypes: { style: 'form', explode: true } } };
  if (form === 'ChallengeCreateParams') return { encoding: { 'Details.Fields': { style: 'form', explode: true } } };
  return {};
}

function security(auth: OperationSpec['auth']): Json[] {
  if (auth === 'device') return [{ bearerAuth: [] }];
  if (auth === 'bandwidth') return [{ bandwidthCallbackAuth: [] }];
  return auth ? [{ accountAuth: [] }] : [];
}

function operation(spec: OperationSpec): Json {
  const op: Json = {
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    description: spec.description,
    security: security(spec.auth),
  };
  if (spec.parameters?.length) op.parameters = spec.parameters;
  if (spec.requestBody) op.requestBody = spec.requestBody;
  if (spec.form) {
    op.requestBody = {
      required: true,
      description:
        spec.auth === 'device'
          ? 'Form-encoded PascalCase parameters (a JSON object with the same keys is accepted too).'
          : 'Form-encoded PascalCase parameters, as the official Twilio clients send them (a JSON object with the same keys is accepted too).',
      content: {
        // Arrays are repeated keys (`EventTypes=a&EventTypes=b`), as the Twilio clients send them.
        [FORM]: { schema: schemaRef(spec.form), ...formEncoding(spec.form) },
      },
    };
  }
  const success = (spec.alsoOk ?? []).reduce<Record<string, Json>>((out, ok) => ({ ...out, [String(ok.status)]: successResponse(ok) }), {
    [String(spec.ok.status)]: successResponse(spec.ok),
  });
  op.responses = { ...success, ...errorResponses(spec.errors) };
  return op;
}

function successResponse(spec: OperationSpec['ok']): Json {
  const ok: Json = { description: spec.description };
  if (spec.headers) ok.headers = spec.headers;
  if (spec.schema) ok.content = { [spec.contentType ?? JSON_TYPE]: { schema: spec.schema } };
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Form parameters (request bodies)
// ---------------------------------------------------------------------------------------------

const supportedLanguages = SUPPORTED_LOCALES.join(', ');

/** The lowest and highest voiceprint `score` (the engine clamps each part of its fused score). */
const VOICEPRINT_SCORE_RANGE = [ENGINE_DEFAULTS.minScore, ENGINE_DEFAULTS.partLimit * (ENGINE_DEFAULTS.weights.llr + ENGINE_DEFAULTS.weights.dtw)] as const;

function serviceParams(): Json {
  return {
    FriendlyName: {
      type: 'string',
      minLength: 1,
      maxLength: 32,
      description:
        'The name put into every message ("Your <FriendlyName> verification code is …"). At most 32 characters; refused with 60200: links and anything shaped like a domain (`bit.ly/x`, `www.`, `https://`), more than 3 digits however spaced (`1 2 3 4`, `12-34`), line breaks, control or invisible characters, and `<>{}`.',
      example: 'Acme',
    },
    CodeLength: { type: 'integer', minimum: 4, maximum: 10, default: SERVICE_DEFAULTS.codeLength, description: 'Digits of generated codes.' },
    LookupEnabled: { type: 'boolean', default: false, description: 'Stored for parity; Verity does no carrier lookup, so `lookup` stays `{}`.' },
    SkipSmsToLandlines: {
      type: 'boolean',
      default: false,
      description: '`true` is refused with 60200: it needs a carrier lookup, which Verity does not offer (the hosted API requires LookupEnabled too).',
    },
    DtmfInputRequired: { type: 'boolean', default: SERVICE_DEFAULTS.dtmfInputRequired, description: 'Stored for parity (voice calls read the code).' },
    TtsName: { type: 'string', maxLength: 64, description: 'Name spoken in voice calls instead of FriendlyName; stored for parity.' },
    Psd2Enabled: {
      type: 'boolean',
      default: false,
      description: 'PSD2 dynamic linking: verifications then require `Amount` and `Payee`, and a check only approves when it repeats the same values.',
    },
    DoNotShareWarningEnabled: { type: 'boolean', default: false, description: 'Appends a "do not share this code" warning to messages.' },
    CustomCodeEnabled: {
      type: 'boolean',
      default: false,
      description: 'Allows `CustomCode` on new verifications. Without it, `CustomCode` is refused with 60200 (the hosted API silently ignores it).',
    },
    'Push.IncludeDate': { type: 'boolean', deprecated: true, description: 'Stored for parity (a push challenge\'s `details.date` is always set).' },
    'Push.ApnCredentialSid': { ...sid('CR', 'Stored for parity: Verity sends no APNs notifications (devices read their challenges from the device API).'), pattern: '^CR[0-9a-fA-F]{32}$' },
    'Push.FcmCredentialSid': { ...sid('CR', 'Stored for parity: Verity sends no FCM notifications (devices read their challenges from the device API).'), pattern: '^CR[0-9a-fA-F]{32}$' },
    'Push.NumberMatching': extension({
      type: 'boolean',
      default: true,
      description:
        'Number matching for push challenges: each one gets a two-digit `number_match` for the login page to show, and the device must send it back to approve (a wrong number denies the challenge). On unless turned off, as NIST SP 800-63B-4 no longer accepts approve-only push.',
    }),
    'Push.MaxChallengesSinceSuccess': extension({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 5,
      description: `Push-fatigue cap: push challenges an entity may get since its last approved challenge (within ${PUSH_FATIGUE_WINDOW_MS / 3_600_000} h); the next one is refused with 64001.`,
    }),
    'Voiceprint.Threshold': extension({
      type: 'number',
      minimum: -100,
      maximum: 100,
      description: `Voice biometrics: the decision threshold of voiceprint challenges. A recording matches when its \`score\` (from ${VOICEPRINT_SCORE_RANGE[0]} to ${VOICEPRINT_SCORE_RANGE[1]}) reaches it; higher is stricter (fewer impostors let in, more genuine users asked to speak again). A decimal such as \`0.5\` (at most 6 digits on each side of the point). Unset: the engine's default, ${DEFAULT_THRESHOLD}.`,
      example: 0.5,
    }),
    'Voiceprint.RetainAudio': extension({
      type: 'boolean',
      default: false,
      description:
        'Voice biometrics: keep the audio (sealed) of enrolments and of every challenge recording. Off by default: enrolment recordings are deleted once the voiceprint is built and challenge recordings are never stored (only a fingerprint of each, to detect replays).',
    }),
    'Totp.Issuer': { type: 'string', maxLength: 64, description: 'Stored for parity; defaults to FriendlyName.' },
    'Totp.TimeStep': { type: 'integer', minimum: 20, maximum: 60, default: 30, description: 'Stored for parity.' },
    'Totp.CodeLength': { type: 'integer', minimum: 3, maximum: 8, default: 6, description: 'Stored for parity.' },
    'Totp.Skew': { type: 'integer', minimum: 0, maximum: 2, default: 1, description: 'Stored for parity.' },
    DefaultTemplateSid: { ...sid('HJ', 'Stored for parity (Verity renders its own templates).'), pattern: '^HJ[0-9a-fA-F]{32}$' },
    'Whatsapp.MsgServiceSid': { type: 'string', maxLength: 34, description: 'Stored for parity (Verity does not deliver WhatsApp).' },
    'Whatsapp.From': { type: 'string', maxLength: 32, description: 'Stored for parity (Verity does not deliver WhatsApp).' },
    VerifyEventSubscriptionEnabled: { type: 'boolean', default: false, description: 'Stored for parity; Verity sends events through the service\'s Webhooks.' },
    'Passkeys.RelyingParty.Id': { type: 'string', maxLength: 253, description: 'WebAuthn RP ID: the registrable domain of the sign-in page (e.g. `example.com`). Required for passkey factors (else 60300).' },
    'Passkeys.RelyingParty.Name': { type: 'string', maxLength: 64, description: 'Name the browser shows when creating a passkey; default the service\'s FriendlyName.' },
    'Passkeys.RelyingParty.Origins': { type: 'string', maxLength: 2048, description: 'Comma-separated origins passkey responses may come from (e.g. `https://login.example.com`); default `https://<RP ID>`.' },
    'Passkeys.AuthenticatorAttachment': { type: 'string', enum: ['platform', 'cross-platform', 'any'], description: 'Registration options\' `authenticatorSelection.authenticatorAttachment` (`any`: not set); default platform.' },
    'Passkeys.DiscoverableCredentials': { type: 'string', enum: ['required', 'preferred', 'discouraged'], description: 'Registration options\' `authenticatorSelection.residentKey`; default preferred. Usernameless sign-in needs discoverable credentials.' },
    'Passkeys.UserVerification': { type: 'string', enum: ['required', 'preferred', 'discouraged'], description: 'WebAuthn `userVerification` of every passkey ceremony; `required` also makes Verity refuse responses without the UV flag. Default preferred.' },
    CodeExpirySeconds: extension({
      type: 'integer',
      minimum: 120,
      maximum: 86_400,
      default: SERVICE_DEFAULTS.codeTtlSeconds,
      description: 'How long a code stays valid. The hosted API fixes 10 minutes unless Support changes it (2 minutes to 24 hours).',
    }),
    DefaultLocale: extension({
      type: 'string',
      maxLength: 35,
      description: `Language of messages when a verification gives no \`Locale\` (BCP 47 tag; supported languages: ${supportedLanguages}). An empty value clears it (English).`,
      example: 'pt-BR',
    }),
    AllowedCountries: extension({
      type: 'string',
      description:
        'Geo permissions: comma-separated ISO 3166-1 alpha-2 codes (or the key repeated). Phone verifications to other countries are refused with 60605. An empty value clears the list (every country allowed, the default).',
      example: 'US,CA,GB',
    }),
    EnabledChannels: extension({
      type: 'string',
      description: `Comma-separated subset of ${CHANNELS.join(', ')} (default all). Verifications on another channel are refused with 60223.`,
      example: 'sms,email',
    }),
    WebOtpDomain: extension({
      type: 'string',
      maxLength: 253,
      description: 'Host name for origin-bound SMS codes: SMS end with the line `@<domain> #<code>` (WebOTP and iOS/Android autofill). An empty value clears it.',
      example: 'example.com',
    }),
  };
}

const verificationStatuses = ['pending', 'approved', 'canceled', 'max_attempts_reached', 'expired', 'failed', 'denied'];
const foreignChannels = ['whatsapp', 'sna', 'auto', 'rcs'];

/** `VoiceFlow` values (press_one with NumberMatch is stored as press_one_number but shown as press_one). */
const voiceFlows = VOICE_FLOWS.filter((flow) => flow !== 'press_one_number');

/**
 * A call verification's progress events, in the order they usually come; a Record so that an event
 * added to verification-progress.ts does not compile until it is documented here.
 */
const PROGRESS_EVENTS: Record<ProgressEvent, string> = {
  queued: 'the call was handed to the voice provider (`data`: `{flow, provider}`)',
  ringing: 'the phone rings',
  answered: 'the callee picked up',
  prompt_played: 'the call said something (`data`: `{prompts}` spoken, `note` `no_input`, `wrong_digits` or `repeat` when a key press or silence caused it)',
  digits_received: 'the caller pressed keys or let the prompt time out (`data`: `{count, timeout}`; never the digits)',
  approved: 'the verification was approved (on the call, or by a code check)',
  denied: 'press_one: the caller pressed another key (or wrong number-match digits)',
  failed: `the verification failed (keypad_code: ${KEYPAD_TRIES} wrong codes, or its first call could not be placed), or the call failed (\`call_sid\` set: the provider could not place it or stopped reporting on it)`,
  expired: 'the verification expired',
  canceled: 'the verification was canceled, or (`call_sid` set) Verity hung up the call while it was ringing',
  max_attempts_reached: 'too many wrong codes were checked',
  completed: 'the call ended after it was answered',
  'no-answer': 'nobody answered before the ring timeout (how a flash call normally ends)',
  busy: 'the line was busy',
  rejected: 'the callee declined the call',
};


function webhookParams(): Json {
  return {
    FriendlyName: { type: 'string', minLength: 1, maxLength: 64, description: 'A name for the webhook.' },
    EventTypes: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', enum: [ALL_EVENT_TYPES, ...EVENT_TYPES] },
      description:
        'Event types to deliver, as repeated keys (`EventTypes=verification.approved&EventTypes=verification.failed`) or comma-separated. `*` subscribes to every type, including ones added later. `factor.*` and `challenge.*` are the hosted API\'s types; `verification.*` and `recovery_code.used` are Verity extensions. `verification.progress` reports each step of a verification\'s calls (VerificationProgressEvent); `verification.denied` a press_one call answered with another key.',
    },
    WebhookUrl: { type: 'string', format: 'uri', maxLength: 2048, description: 'Absolute http(s) URL that receives the signed JSON events; it must not contain credentials (verify `Verity-Signature` instead). Its host must be a public address, or a name that resolves only to public addresses (checked at registration and again at every delivery, on the address connected to; 64501 otherwise). Redirects are not followed.' },
    Status: { type: 'string', enum: ['enabled', 'disabled'], default: 'enabled', description: 'A disabled webhook receives nothing; pending deliveries to it are abandoned.' },
    Version: { type: 'string', enum: ['v2'], default: 'v2', description: 'Payload version; only `v2` is supported (the hosted API also has `v1`).' },
  };
}

// ---------------------------------------------------------------------------------------------
// Response schemas
// ---------------------------------------------------------------------------------------------

function serviceSchema(): Json {
  const flag = (description: string): Json => ({ type: 'boolean', description });
  return {
    type: 'object',
    description: 'A Verify Service: the settings shared by its verifications. Fields in the hosted API\'s order, then Verity\'s extensions.',
    required: ['sid', 'account_sid', 'friendly_name', 'code_length', 'date_created', 'date_updated', 'url', 'links'],
    properties: {
      sid: sid('VA', 'Service SID.'),
      account_sid: sid('AC', 'Account that owns the service.'),
      friendly_name: { type: 'string', description: 'Name put into messages.' },
      code_length: { type: 'integer', minimum: 4, maximum: 10 },
      lookup_enabled: flag('Stored for parity; no lookup is done.'),
      psd2_enabled: flag('PSD2 dynamic linking (Amount and Payee).'),
      skip_sms_to_landlines: flag('Always false (needs a carrier lookup).'),
      dtmf_input_required: flag('Stored for parity.'),
      tts_name: { type: nullable('string') },
      do_not_share_warning_enabled: flag('Messages carry a "do not share" warning.'),
      custom_code_enabled: flag('Verifications may carry a CustomCode.'),
      push: {
        type: 'object',
        properties: {
          include_date: { type: 'boolean' },
          apn_credential_sid: { type: nullable('string') },
          fcm_credential_sid: { type: nullable('string') },
          number_matching: extension({ type: 'boolean', description: 'Push challenges require the number shown on the login page (Push.NumberMatching; default true).' }),
          max_challenges_since_success: extension({ type: 'integer', minimum: 1, maximum: 100, description: 'Push-fatigue cap (Push.MaxChallengesSinceSuccess; default 5).' }),
        },
      },
      voiceprint: extension({
        type: 'object',
        required: ['threshold', 'retain_audio'],
        properties: {
          threshold: { type: nullable('number'), minimum: -100, maximum: 100, description: `Decision threshold of voiceprint challenges (Voiceprint.Threshold); null: the engine's default, ${DEFAULT_THRESHOLD}.` },
          retain_audio: { type: 'boolean', description: 'Audio of enrolments and challenge recordings is kept, sealed (Voiceprint.RetainAudio; default false).' },
        },
        description: 'Voice biometrics settings.',
      }),
      totp: {
        type: 'object',
        properties: { issuer: { type: 'string' }, time_step: { type: 'integer' }, code_length: { type: 'integer' }, skew: { type: 'integer' } },
      },
      whatsapp: { type: 'object', properties: { msg_service_sid: { type: nullable('string') }, from: { type: nullable('string') } } },
      passkeys: {
        type: 'object',
        properties: {
          relying_party: {
            type: 'object',
            properties: { id: { type: nullable('string') }, name: { type: nullable('string') }, origins: { type: 'array', items: { type: 'string' } } },
          },
          authenticator_attachment: { type: 'string' },
          discoverable_credentials: { type: nullable('string') },
          user_verification: { type: 'string' },
        },
      },
      default_template_sid: { type: nullable('string') },
      verify_event_subscription_enabled: { type: 'boolean' },
      date_created: dateTime('Creation time,'),
      date_updated: dateTime('Last update,'),
      url: url('Absolute URL of this service.'),
      links: {
        type: 'object',
        description: 'Absolute URLs of sub-resources (rate_limits and messaging_configurations do not exist on Verity).',
        properties: Object.fromEntries(
          ['verification_checks', 'verifications', 'rate_limits', 'messaging_configurations', 'entities', 'webhooks', 'access_tokens'].map((k) => [k, { type: 'string', format: 'uri' }]),
        ),
      },
      code_expiry_seconds: extension({ type: 'integer', minimum: 120, maximum: 86_400, description: 'Code lifetime (CodeExpirySeconds).' }),
      default_locale: extension({ type: nullable('string'), description: 'Default message language (DefaultLocale).' }),
      allowed_countries: extension({
        type: nullable('array'),
        items: { type: 'string', pattern: '^[A-Z]{2}$' },
        description: 'Allowed destination countries (AllowedCountries); null when every country is allowed.',
      }),
      enabled_channels: extension({ type: 'array', items: { type: 'string', enum: [...CHANNELS] }, description: 'Channels verifications may use (EnabledChannels).' }),
      web_otp_domain: extension({ type: nullable('string'), description: 'Domain of origin-bound SMS codes (WebOtpDomain).' }),
    },
  };
}

function verificationCommon(): Record<string, Json> {
  return {
    sid: sid('VE', 'Verification SID. The same SID is returned while a verification to this destination is pending.'),
    service_sid: sid('VA', 'Service SID.'),
    account_sid: sid('AC', 'Account SID.'),
    to: { type: 'string', description: 'The destination, normalised: E.164 phone number or lower-case email address.', example: '+14155552671' },
    channel: { type: 'string', enum: [...CHANNELS], description: 'Channel of the latest send (`flashcall` is a Verity extension).' },
    status: {
      type: 'string',
      enum: verificationStatuses,
      description:
        '`pending` until a correct code (`approved`), a cancel (`canceled`), the fifth wrong code (`max_attempts_reached`), the end of the code lifetime (`expired`), or a first delivery that failed (`failed`). Calls decided on the phone (Verity\'s VoiceFlow) also end `approved` on the call, `denied` (press_one: another key) or `failed` (keypad_code: ' +
        `${KEYPAD_TRIES} wrong codes).`,
    },
    valid: { type: 'boolean', description: 'Legacy: true only when `status` is `approved`.' },
    amount: { type: nullable('string'), description: 'PSD2 amount, else null.' },
    payee: { type: nullable('string'), description: 'PSD2 payee, else null.' },
    date_created: dateTime('Creation time,'),
    date_updated: dateTime('Last change,'),
  };
}

/** Verity's fields of a Verification that placed a call (verification-voice-fields.ts); absent otherwise. */
function verificationVoiceFields(): Record<string, Json> {
  const only = 'Present only on a verification that placed a call (Channel=call or flashcall, or resent as a call).';
  return {
    voice_flow: extension({
      type: 'string',
      enum: [...voiceFlows, 'flash'],
      description: `${only} What its calls do: the VoiceFlow asked for (default speak_code), or \`flash\` for a flash call.`,
    }),
    number_match: extension({ type: 'boolean', description: `${only} press_one with NumberMatch: the caller keys in the two digits of \`display_code\`.` }),
    display_code: extension({
      type: nullable('string'),
      description: `${only} The code the app shows on screen for the caller to key in: the verification's code (keypad_code) or two digits (press_one with NumberMatch); null for other flows. Show it only to the user being verified.`,
      example: '482913',
    }),
    flash_call: extension({
      type: nullable('object'),
      required: ['caller_id_prefix', 'code_length'],
      properties: {
        caller_id_prefix: { type: 'string', pattern: '^\\+[0-9]+$', description: 'The caller id starts with this E.164 prefix (VERITY_FLASHCALL_CALLER_IDS without its Xs).', example: '+44203120' },
        code_length: { type: 'integer', minimum: 3, maximum: 8, description: 'The code is this many last digits of the caller id.' },
      },
      description: `${only} A flash call: how to read the code from the caller id. Null for other flows.`,
    }),
    links: extension({
      type: 'object',
      required: ['events'],
      properties: {
        events: url(
          'Server-sent events of the verification\'s progress for the waiting login page (`GET /events/v1/Verifications/{Sid}/{Token}`). No credentials: the path\'s token grants reading this verification\'s progress only, so hand it to that user\'s browser only.',
        ),
      },
      description: `${only} Related URLs.`,
    }),
  };
}

function schemas(): Record<string, Json> {
  const common = verificationCommon();
  const listOf = (key: string, item: string, description: string): Json => ({
    type: 'object',
    description,
    required: [key, 'meta'],
    properties: { [key]: { type: 'array', items: schemaRef(item) }, meta: schemaRef('ListMeta') },
  });
  const webhookProperties = {
    url: url('Absolute URL of this webhook.'),
    sid: sid('YW', 'Webhook SID.'),
    account_sid: sid('AC', 'Account SID.'),
    service_sid: sid('VA', 'Service SID.'),
    friendly_name: { type: 'string' },
    event_types: { type: 'array', items: { type: 'string', enum: [ALL_EVENT_TYPES, ...EVENT_TYPES] } },
    webhook_method: { type: 'string', enum: ['POST'], description: 'Always POST (JSON body).' },
    webhook_url: { type: 'string', format: 'uri' },
    status: { type: 'string', enum: ['enabled', 'disabled'] },
    version: { type: 'string', enum: ['v2'] },
    date_created: dateTime('Creation time,'),
    date_updated: dateTime('Last update,'),
  };
  return {
    Error: {
      type: 'object',
      description: 'The hosted API\'s legacy error body (twilio-node turns it into a `RestException`). `more_info` links to Twilio\'s page of the code, or for a code Verity added to its own list, `GET /docs/errors`.',
      required: ['code', 'message', 'more_info', 'status'],
      properties: {
        code: { type: 'integer', enum: Object.keys(ERROR_CODES).map(Number), description: 'Error code (see the API description for the list).' },
        message: { type: 'string', description: 'Safe to show: names what was expected, never echoes a code, token or secret.' },
        more_info: { type: 'string', format: 'uri-reference', example: 'https://www.twilio.com/docs/errors/60200', description: 'Absolute in answers; the examples of this document write Verity codes\' link as a path on the server (`/docs/errors#64205`).' },
        status: { type: 'integer', description: 'The HTTP status, repeated.' },
        details: extension({
          type: 'object',
          description:
            'Machine-readable specifics of some errors, never secret; absent otherwise. 64011 (a recording rejected): `problems`, what to fix, each with a message to show the user. Clients should ignore keys they do not know.',
          properties: {
            problems: {
              type: 'array',
              minItems: 1,
              items: schemaRef('VoiceprintRecordingProblem'),
              description: '64011: why the recording was refused, most important first.',
            },
          },
          example: { problems: [{ code: 'too_quiet', message: 'Speak a little louder, or move closer to the microphone.' }] },
        }),
      },
    },
    ListMeta: {
      type: 'object',
      description: 'Paging metadata. Page URLs are absolute (built from `VERITY_PUBLIC_URL`); follow `next_page_url` verbatim.',
      required: ['page', 'page_size', 'first_page_url', 'previous_page_url', 'url', 'next_page_url', 'key'],
      properties: {
        page: { type: 'integer', minimum: 0 },
        page_size: { type: 'integer', minimum: 1, maximum: 1000 },
        first_page_url: { type: 'string', format: 'uri' },
        previous_page_url: { type: nullable('string'), format: 'uri' },
        url: { type: 'string', format: 'uri' },
        next_page_url: { type: nullable('string'), format: 'uri' },
        key: { type: 'string', description: 'Name of the list property.' },
      },
    },
    Service: serviceSchema(),
    ServiceList: listOf('services', 'Service', 'A page of services, oldest first.'),
    ServiceCreateParams: { type: 'object', required: ['FriendlyName'], properties: serviceParams() },
    ServiceUpdateParams: { type: 'object', description: 'Only the parameters given change.', properties: serviceParams() },
    SendCodeAttempt: {
      type: 'object',
      required: ['time', 'channel', 'attempt_sid'],
      properties: {
        time: dateTime('Time of the send,'),
        channel: { type: 'string', enum: CHANNELS.map((c) => c.toUpperCase()), description: 'Upper case, as in the hosted API\'s examples.' },
        attempt_sid: sid('VL', 'Send attempt SID.'),
      },
    },
    Verification: {
      type: 'object',
      description: 'A verification as returned by create, fetch and update.',
      required: ['sid', 'service_sid', 'account_sid', 'to', 'channel', 'status', 'valid', 'send_code_attempts', 'date_created', 'date_updated', 'url'],
      properties: {
        ...common,
        lookup: { type: 'object', description: 'Always `{}` (Verity does no carrier lookup).' },
        send_code_attempts: { type: 'array', items: schemaRef('SendCodeAttempt'), description: 'Every send of this verification\'s code, oldest first.' },
        sna: { type: 'null', description: 'Always null (Silent Network Auth is not offered).' },
        url: url('Absolute URL of this verification.'),
        ...verificationVoiceFields(),
      },
    },
    VerificationCreateParams: {
      type: 'object',
      required: ['To', 'Channel'],
      properties: {
        To: { type: 'string', maxLength: 320, description: 'E.164 phone number (sms, call, flashcall) or email address (email).', example: '+14155552671' },
        Channel: {
          type: 'string',
          enum: [...CHANNELS, ...foreignChannels],
          description: `Delivery channel. Verity delivers ${CHANNELS.join(', ')}; the hosted API's ${foreignChannels.join(', ')} are refused with 60223 (not 60200). \`flashcall\` is a Verity extension: a call dropped while ringing whose caller id carries the code (needs \`VERITY_FLASHCALL_CALLER_IDS\`, else 60223).`,
        },
        VoiceFlow: extension({
          type: 'string',
          enum: voiceFlows,
          default: 'speak_code',
          description:
            'Channel=call only (else 60200): `speak_code` reads the code out; `keypad_code` has the caller key in the `display_code` the app shows; `press_one` asks the caller to press 1 to approve. keypad_code and press_one are decided on the call (no code check, no CustomCode). A resend keeps the flow the verification already has.',
        }),
        NumberMatch: extension({
          type: 'boolean',
          default: false,
          description: 'Only with VoiceFlow=press_one (else 60200): the caller keys in the two digits of `display_code` shown by the app instead of pressing 1, so a call cannot approve a sign-in the caller is not looking at.',
        }),
        Locale: {
          type: 'string',
          maxLength: 35,
          pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$',
          description: `Message language (BCP 47). Supported: ${supportedLanguages}; others fall back to the service's DefaultLocale, then English.`,
        },
        CustomFriendlyName: { type: 'string', minLength: 1, maxLength: 32, description: 'Replaces the service FriendlyName in this verification\'s messages; checked by the same rules as the service FriendlyName (60200).' },
        CustomCode: {
          type: 'string',
          minLength: 4,
          maxLength: 10,
          pattern: '^[0-9A-Za-z]{4,10}$',
          description:
            'Your own code (4 to 10 letters or digits), stored only as a keyed digest. Requires the service\'s CustomCodeEnabled, else 60200 (the hosted API silently ignores it). Resending a pending custom-code verification must repeat CustomCode. Refused with 60200 with VoiceFlow keypad_code or press_one.',
        },
        Amount: { type: 'string', maxLength: 64, description: 'PSD2 amount; required when the service has Psd2Enabled.' },
        Payee: { type: 'string', maxLength: 128, description: 'PSD2 payee; required when the service has Psd2Enabled.' },
      },
    },
    VerificationUpdateParams: {
      type: 'object',
      required: ['Status'],
      properties: {
        Status: {
          type: 'string',
          enum: ['canceled', 'approved'],
          description: '`canceled` ends a pending verification; `approved` confirms it out of band. Either one lifts the destination\'s send limit.',
        },
      },
    },
    VerificationCheck: {
      type: 'object',
      description: 'The result of a check: the verification without `url`, `lookup`, `send_code_attempts`, `sna` or the voice fields.',
      required: ['sid', 'service_sid', 'account_sid', 'to', 'channel', 'status', 'valid', 'date_created', 'date_updated'],
      properties: {
        ...common,
        sna_attempts_error_codes: { type: 'array', maxItems: 0, items: {}, description: 'Always empty.' },
      },
    },
    VerificationCheckParams: {
      type: 'object',
      required: ['Code'],
      properties: {
        Code: {
          type: 'string',
          minLength: 4,
          maxLength: 16,
          pattern: '^([0-9A-Za-z]{4,10}|\\+[0-9]{5,15})$',
          description:
            'The code the user typed (4 to 10 letters or digits). For a flash call (a Verity extension), the last `flash_call.code_length` digits of the caller id, or the whole caller id in E.164 (`+…`). Refused with 60200 for a verification decided on the call (VoiceFlow keypad_code or press_one).',
        },
        To: { type: 'string', maxLength: 320, description: 'Destination of the pending verification. Either To or VerificationSid is required.' },
        VerificationSid: { ...sid('VE', 'The verification to check (with To, both must match). Either To or VerificationSid is required.'), maxLength: 34 },
        Amount: { type: 'string', maxLength: 64, description: 'PSD2: must equal the Amount sent with the verification, else the code counts as wrong.' },
        Payee: { type: 'string', maxLength: 128, description: 'PSD2: must equal the Payee sent with the verification, else the code counts as wrong.' },
      },
    },
    Webhook: {
      type: 'object',
      description: 'A webhook of a service: where Verity POSTs signed JSON events.',
      required: ['url', 'sid', 'account_sid', 'service_sid', 'friendly_name', 'event_types', 'webhook_method', 'webhook_url', 'status', 'version', 'date_created', 'date_updated'],
      properties: webhookProperties,
    },
    WebhookCreated: {
      description: 'The webhook as created, with its signing secret (shown only in this response).',
      allOf: [
        schemaRef('Webhook'),
        {
          type: 'object',
          required: ['secret'],
          properties: {
            secret: extension({
              type: 'string',
              description:
                'Signing secret of `Verity-Signature` (HMAC-SHA256). Returned only by create, stored sealed: keep it, it cannot be read again.',
            }),
          },
        },
      ],
    },
    WebhookList: listOf('webhooks', 'Webhook', 'A page of webhooks, oldest first (without secrets).'),
    WebhookCreateParams: { type: 'object', required: ['FriendlyName', 'EventTypes', 'WebhookUrl'], properties: webhookParams() },
    WebhookUpdateParams: { type: 'object', description: 'Only the parameters given change.', properties: webhookParams() },
    ...webhookEventSchemas(),
    ...factorSchemas(listOf),
    ...handoffSchemas(listOf),
    SimMessage: {
      type: 'object',
      description: 'A message the simulated carrier "delivered".',
      required: ['channel', 'to', 'from', 'body', 'date_created'],
      properties: {
        channel: { type: 'string', enum: [...CHANNELS] },
        to: { type: 'string' },
        from: { type: 'string' },
        subject: { type: nullable('string'), description: 'Email only.' },
        body: { type: 'string', description: 'Text of the message (it contains the code).' },
        date_created: dateTime('Delivery time,'),
      },
    },
    SimInbox: {
      type: 'object',
      required: ['messages'],
      properties: { messages: { type: 'array', items: schemaRef('SimMessage'), description: 'The 50 newest messages, newest first.' } },
    },
    SimPrompt: {
      type: 'object',
      description: 'Something the simulated phone heard.',
      required: ['text', 'locale', 'audio_url', 'date'],
      properties: {
        text: { type: 'string', description: 'What was said (it may contain the code).' },
        locale: { type: 'string', example: 'en' },
        audio_url: { type: nullable('string'), description: 'Path of the spoken prompt (`/sim/v1/audio/<id>.wav`); null when espeak-ng is not installed.' },
        date: dateTime('When it was said,'),
      },
    },
    SimCall: {
      type: 'object',
      description: 'A call Verity placed to a simulated phone.',
      required: ['sid', 'from', 'to', 'status', 'prompts', 'waiting_for', 'date_created', 'date_updated'],
      properties: {
        sid: sid('CL', 'Verity\'s call SID (the `call_sid` of the verification\'s progress events).'),
        from: { type: 'string', description: 'Caller id (for a flash call it carries the code).' },
        to: { type: 'string', description: 'The simulated phone\'s number.' },
        status: { type: 'string', enum: ['ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'rejected', 'failed', 'canceled'] },
        prompts: { type: 'array', items: schemaRef('SimPrompt'), description: 'Everything said so far, oldest first.' },
        waiting_for: { type: nullable('string'), enum: ['digits', 'recording', null], description: 'What the call waits for from the phone now: keys (`POST …/dtmf`) or speech (`POST …/speak`).' },
        date_created: dateTime('When the call was placed,'),
        date_updated: dateTime('Last change,'),
      },
    },
    SimCallList: {
      type: 'object',
      required: ['calls'],
      properties: { calls: { type: 'array', items: schemaRef('SimCall'), description: 'The phone\'s live calls and its 50 latest ended ones, newest first.' } },
    },
    SimPhoneBusy: {
      type: 'object',
      required: ['number', 'busy'],
      properties: { number: { type: 'string', description: 'The phone\'s number (E.164).' }, busy: { type: 'boolean' } },
    },
    TwilioVoiceCallback: {
      type: 'object',
      description: 'The parameters of Twilio\'s voice webhooks that Verity reads (Twilio sends more, all covered by the signature).',
      properties: {
        CallSid: { type: 'string', description: 'Twilio\'s call SID (`CA…`).' },
        CallStatus: { type: 'string', description: 'status: `ringing`, or the end (`completed`, `busy`, `no-answer`, `failed`, `canceled`); others are ignored.' },
        Digits: { type: 'string', description: 'gather: the keys pressed (empty after a timeout).' },
        RecordingUrl: { type: 'string', format: 'uri', description: 'record: where Twilio stored the recording.' },
        SipResponseCode: { type: 'string', description: 'status: SIP code of the end, logged.' },
      },
    },
    BandwidthVoiceCallback: {
      type: 'object',
      description: 'The fields of Bandwidth\'s callback events that Verity reads (Bandwidth sends more).',
      properties: {
        eventType: { type: 'string', enum: ['answer', 'gather', 'recordComplete', 'disconnect'] },
        callId: { type: 'string' },
        digits: { type: 'string', description: 'gather: the keys pressed (empty after a timeout).' },
        mediaUrl: { type: 'string', format: 'uri', description: 'recordComplete: where Bandwidth stored the recording.' },
        cause: { type: 'string', description: 'disconnect: `hangup` (completed), `busy`, `timeout` (no-answer), `cancel` (canceled), `rejected`; any other cause is a failure.' },
        errorMessage: { type: 'string', description: 'disconnect: Bandwidth\'s explanation of a failure, logged.' },
      },
    },
    Health: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
    Readiness: {
      type: 'object',
      required: ['status'],
      properties: {
        status: { type: 'string', enum: ['ready', 'shutting_down', 'database_unavailable'] },
        database: { type: 'string', enum: ['sqlite', 'postgres'], description: 'Present when ready.' },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------


function paths(): Json {
  const serviceSid = paramRef('ServiceSid');
  const page = [paramRef('PageSize'), paramRef('Page'), paramRef('PageToken')];
  const serviceNotFound = [SERVICE_NOT_FOUND];
  const verificationNotFound = (what: string): ErrorCase => ({
    code: 20404,
    when: what,
    message: 'The requested resource /Services/VA0123456789abcdef0123456789abcdef/Verifications/VE0123456789abcdef0123456789abcdef was not found',
  });
  const webhookNotFound: ErrorCase = { code: 20404, when: 'unknown service, or no webhook with this `Sid` in the service.', message: 'The requested resource /Services/VA…/Webhooks/YW… was not found' };
  const webhookInvalid: ErrorCase = {
    code: 60200,
    when: 'a parameter is missing or invalid (FriendlyName missing or over 64 characters, no or unknown EventTypes, WebhookUrl not an absolute http(s) URL or containing credentials, bad Status or Version); the message names it.',
    message: 'Invalid parameter: WebhookUrl',
  };
  const webhookAddressRefused: ErrorCase = {
    code: 64501,
    when: 'WebhookUrl is, or its host name resolves to, a loopback, private, link-local, carrier-grade NAT, multicast, unspecified or reserved address (any spelling: `127.1`, `2130706433`, `[::ffff:127.0.0.1]`, `localhost`, `169.254.169.254`, …), unless VERITY_WEBHOOK_ALLOW_LOOPBACK or VERITY_WEBHOOK_ALLOWED_NETWORKS allows it.',
    message: 'Invalid parameter: WebhookUrl (its host is or resolves to a loopback address; Verity calls only public addresses)',
  };
  const webhookEventsNote =
    'Deliveries are POSTed as JSON (`WebhookEvent`) with `Verity-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, retried with exponential backoff until a 2xx (see the `verityEvent` webhook).';

  return {
    '/v2/Services': {
      post: operation({
        operationId: 'createService',
        tag: 'Services',
        summary: 'Create a service',
        description: 'Creates a Verify Service. Hosted-API settings Verity does not act on (Push credentials, WhatsApp, Passkeys, templates) are stored and echoed for parity.',
        auth: true,
        form: 'ServiceCreateParams',
        ok: { status: 201, description: 'The new service.', schema: schemaRef('Service') },
        errors: [
          {
            code: 60200,
            when: `FriendlyName missing, too long or containing links/phone numbers, CodeLength outside 4–10, CodeExpirySeconds outside 120–86400, unsupported DefaultLocale, unknown AllowedCountries, EnabledChannels outside ${CHANNELS.join('/')}, bad WebOtpDomain, SkipSmsToLandlines=true, Push.MaxChallengesSinceSuccess outside 1–100, or another parameter out of range.`,
            message: 'Invalid parameter: FriendlyName (required)',
          },
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
      get: operation({
        operationId: 'listServices',
        tag: 'Services',
        summary: 'List services',
        description: 'Lists the account\'s services, oldest first.',
        auth: true,
        parameters: page,
        ok: { status: 200, description: 'A page of services.', schema: schemaRef('ServiceList') },
        errors: [...PAGE_ERRORS, ...API_ERRORS],
      }),
    },
    '/v2/Services/{ServiceSid}': {
      parameters: [serviceSid],
      get: operation({
        operationId: 'fetchService',
        tag: 'Services',
        summary: 'Fetch a service',
        description: 'Fetches one service of the authenticated account.',
        auth: true,
        ok: { status: 200, description: 'The service.', schema: schemaRef('Service') },
        errors: [...serviceNotFound, ...API_ERRORS],
      }),
      post: operation({
        operationId: 'updateService',
        tag: 'Services',
        summary: 'Update a service',
        description: 'Changes the given settings; the others keep their values. Pending verifications keep the code length and expiry they were created with.',
        auth: true,
        form: 'ServiceUpdateParams',
        ok: { status: 200, description: 'The updated service.', schema: schemaRef('Service') },
        errors: [
          { code: 60200, when: 'a parameter is invalid (same rules as create); the message names it.', message: 'Invalid parameter: CodeLength (expected an integer from 4 to 10)' },
          ...serviceNotFound,
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
      delete: operation({
        operationId: 'deleteService',
        tag: 'Services',
        summary: 'Delete a service',
        description: 'Deletes the service.',
        auth: true,
        ok: { status: 204, description: 'Deleted (no body).' },
        errors: [...serviceNotFound, ...API_ERRORS],
      }),
    },
    '/v2/Services/{ServiceSid}/Verifications': {
      parameters: [serviceSid],
      post: operation({
        operationId: 'createVerification',
        tag: 'Verifications',
        summary: 'Start a verification (send a code)',
        description: [
          'Sends a one-time code to `To` over `Channel` and answers 201 once the provider accepted the message (or placed the call).',
          '',
          'While a verification to the same destination is pending, this resends **the same code** under **the same `VE` SID** (the channel may change) and appends to `send_code_attempts`, as the hosted API does. Codes live for the service\'s CodeExpirySeconds (10 minutes by default).',
          '',
          `Limits: 5 sends per destination per 10 minutes without completing a verification (60203; approving or canceling resets it); a burst cap per destination number prefix against SMS pumping (60410; by default 30 sends per 7-digit prefix per 10 minutes per service, set by \`VERITY_FRAUD_PREFIX_*\`); the account's send budget over all its services, channels and features (64301; \`VERITY_SEND_ACCOUNT_*\`); the service's AllowedCountries (60605) and EnabledChannels (60223). Every outbound message and call of any feature (voiceprint calls too) passes the same send gate and spends the same budgets.`,
          '',
          'Hosted-API parameters Verity accepts but ignores: CustomMessage, SendDigits, AppHash, TemplateSid, TemplateCustomSubstitutions, DeviceIp, EnableSnaClientToken, RateLimits, ChannelConfiguration, Tags, RiskCheck.',
          '',
          VOICE_SEMANTICS,
          '',
          'Events: `verification.pending` when created; `verification.failed` when its first delivery fails; for calls, `verification.progress` at each step and the outcome decided on the call (`verification.approved`, `verification.denied`, `verification.failed`).',
        ].join('\n'),
        auth: true,
        form: 'VerificationCreateParams',
        ok: { status: 201, description: 'The verification (new, or the pending one the code was resent for).', schema: schemaRef('Verification') },
        errors: [
          {
            code: 60200,
            when: 'To missing or not a valid E.164 number/email, To not fitting the channel, Channel missing or unknown, bad Locale, CustomCode without CustomCodeEnabled or not 4–10 letters/digits, a custom-code resend without CustomCode, or Amount/Payee missing on a PSD2 service.',
            message: 'Invalid parameter: To (not a valid phone number)',
          },
          {
            code: 60200,
            when: 'voice (Verity extensions): VoiceFlow unknown or given with another channel than call, NumberMatch without VoiceFlow=press_one, CustomCode with VoiceFlow keypad_code or press_one, a verification decided on the call resent with another channel than call, a flash call resent with another channel, or another verification resent as a flash call.',
            message: 'Invalid parameter: Channel (this verification is decided on a phone call; resend it with Channel=call)',
          },
          {
            code: 60223,
            when: `the channel is not in the service's EnabledChannels, has no provider configured (call and flashcall: no voice provider; flashcall: no \`VERITY_FLASHCALL_CALLER_IDS\`), or is one Verity does not deliver (${foreignChannels.join(', ')}).`,
            message: 'Delivery channel disabled: email is not enabled for this service',
          },
          {
            code: 60212,
            when: `call and flashcall: a call to this number is still in progress (ringing or answered); retry once it ends. Checked before the send is counted. A call its provider stops reporting on is ended after ${STALE_CALL_MS / 60_000} minutes.`,
            message: 'Too many concurrent requests for phone number: a call to this number is still in progress',
          },
          { code: 60605, when: 'the phone number\'s country is not in the service\'s AllowedCountries (geo-blocked).', message: 'Verification delivery attempt blocked: the destination country is not allowed for this service' },
          {
            code: 60410,
            when: 'too many recent sends to this destination\'s number prefix (prefix burst cap, SMS-pumping defence).',
            retryAfter: true,
            message: 'Verification delivery attempt blocked: too many recent sends to this number range',
          },
          { code: 60203, when: 'max send attempts: 5 sends to this destination within 10 minutes, or a concurrent create for the same destination (retry after 1 s).', retryAfter: true, message: 'Max send attempts reached' },
          { code: 64301, when: 'the account has sent its budget of messages and calls (all services, channels and features together).', retryAfter: true, message: 'Account send budget exhausted: this account has sent its allowance of messages and calls; retry later' },
          {
            code: 30008,
            when: 'the provider refused or failed to deliver (or to place the call) after the safe retries; a new verification is marked `failed` (a resent one stays pending).',
            message: 'Delivery failed: the sms provider did not accept the message',
          },
          ...serviceNotFound,
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
    },
    '/v2/Services/{ServiceSid}/Verifications/{Sid}': {
      parameters: [serviceSid, paramRef('VerificationSid')],
      get: operation({
        operationId: 'fetchVerification',
        tag: 'Verifications',
        summary: 'Fetch a verification',
        description:
          'Fetches a verification. As on the hosted API, approved and expired verifications answer 20404; pending, canceled, failed, max_attempts_reached and denied ones are returned. A pending verification past its expiry becomes `expired` (20404) on fetch. A call verification also shows `display_code`, `flash_call` and `links.events` (Verity extensions).',
        auth: true,
        ok: { status: 200, description: 'The verification.', schema: schemaRef('Verification') },
        errors: [verificationNotFound('unknown service or verification, or the verification is approved or expired.'), ...API_ERRORS],
      }),
      post: operation({
        operationId: 'updateVerification',
        tag: 'Verifications',
        summary: 'Cancel or approve a verification',
        description:
          'Sets `Status` to `canceled` or `approved` on a **pending** verification and lifts the destination\'s send limit; a call still live for it is hung up. Emits `verification.canceled` or `verification.approved`.',
        auth: true,
        form: 'VerificationUpdateParams',
        ok: { status: 200, description: 'The updated verification.', schema: schemaRef('Verification') },
        errors: [
          { code: 60200, when: 'Status missing or not `canceled`/`approved`.', message: 'Invalid parameter: Status (expected canceled or approved)' },
          verificationNotFound('unknown service or verification, or the verification is no longer pending (approved, canceled, expired, failed, max_attempts_reached, denied).'),
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
    },
    '/v2/Services/{ServiceSid}/VerificationCheck': {
      parameters: [serviceSid],
      post: operation({
        operationId: 'checkVerification',
        tag: 'Verifications',
        summary: 'Check a code',
        description: [
          'Checks the code of the pending verification to `To` (or of `VerificationSid`). Answers 200 (the hosted API documents 200 and 201).',
          '',
          SEMANTICS,
          '',
          'PSD2 services: `Amount` and `Payee` must equal the values the code was sent for, otherwise the code counts as wrong. Events: `verification.approved`, `verification.max_attempts_reached`, `verification.expired`.',
          '',
          'Voice (Verity extensions): a flash call\'s Code is the last `flash_call.code_length` digits of the caller id, or the whole caller id (`+…`, its prefix must be Verity\'s). A verification decided on the call (VoiceFlow keypad_code or press_one) cannot be checked: any Code is refused with 60200 and no attempt is counted.',
        ].join('\n'),
        auth: true,
        form: 'VerificationCheckParams',
        ok: {
          status: 200,
          description: 'Checked: `approved` (right code), `pending` (wrong code, not an error), or `max_attempts_reached` (the fifth wrong code).',
          schema: schemaRef('VerificationCheck'),
        },
        errors: [
          {
            code: 60200,
            when: 'Code missing or not 4–10 letters/digits (nor a `+` caller id), neither To nor VerificationSid given, malformed VerificationSid, or To not a valid number/email.',
            message: 'Invalid parameter: Code (expected 4 to 10 letters or digits)',
          },
          {
            code: 60200,
            when: 'voice: the verification is decided on the call (VoiceFlow keypad_code or press_one), or, for a flash call, Code is neither the last digits of the caller id nor the whole caller id (with Verity\'s prefix); for other verifications a `+` caller id. No attempt is counted.',
            message: 'Invalid parameter: Code (this verification is approved on the phone call, not with a code)',
          },
          {
            code: 20404,
            when: 'nothing pending for `To` (and its newest verification is not a `max_attempts_reached` one whose code lifetime lasts), unknown VerificationSid (or its To differs), or the verification is approved, expired, canceled, failed or denied; also the losers of concurrent correct checks.',
            message: 'The requested resource /Services/VA0123456789abcdef0123456789abcdef/VerificationCheck was not found',
          },
          {
            code: 60202,
            when: `the verification reached max check attempts (${MAX_CHECK_ATTEMPTS} checks), checked by \`VerificationSid\` or by \`To\` (while it is the newest verification to \`To\` and its code lifetime lasts), or the destination is locked out after ${LOCKOUT.freeFailures} consecutive wrong codes (with \`Retry-After\` then).`,
            retryAfter: true,
            message: 'Max check attempts reached',
          },
          SERVICE_NOT_FOUND,
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
    },
    '/v2/Services/{ServiceSid}/Webhooks': {
      parameters: [serviceSid],
      post: operation({
        operationId: 'createWebhook',
        tag: 'Webhooks',
        summary: 'Create a webhook',
        description: `Subscribes a URL to the service's events. The response carries the signing \`secret\` (a Verity extension) once; keep it. ${webhookEventsNote}`,
        auth: true,
        form: 'WebhookCreateParams',
        ok: { status: 201, description: 'The new webhook, with its secret.', schema: schemaRef('WebhookCreated') },
        errors: [webhookInvalid, webhookAddressRefused, SERVICE_NOT_FOUND, ...BODY_ERRORS, ...API_ERRORS],
      }),
      get: operation({
        operationId: 'listWebhooks',
        tag: 'Webhooks',
        summary: 'List webhooks',
        description: 'Lists the service\'s webhooks, oldest first (secrets are never listed).',
        auth: true,
        parameters: page,
        ok: { status: 200, description: 'A page of webhooks.', schema: schemaRef('WebhookList') },
        errors: [...PAGE_ERRORS, SERVICE_NOT_FOUND, ...API_ERRORS],
      }),
    },
    '/v2/Services/{ServiceSid}/Webhooks/{Sid}': {
      parameters: [serviceSid, paramRef('WebhookSid')],
      get: operation({
        operationId: 'fetchWebhook',
        tag: 'Webhooks',
        summary: 'Fetch a webhook',
        description: 'Fetches one webhook (without its secret).',
        auth: true,
        ok: { status: 200, description: 'The webhook.', schema: schemaRef('Webhook') },
        errors: [webhookNotFound, ...API_ERRORS],
      }),
      post: operation({
        operationId: 'updateWebhook',
        tag: 'Webhooks',
        summary: 'Update a webhook',
        description: 'Changes the given parameters; the secret stays the same. Disabling a webhook abandons its pending deliveries.',
        auth: true,
        form: 'WebhookUpdateParams',
        ok: { status: 200, description: 'The updated webhook (without its secret).', schema: schemaRef('Webhook') },
        errors: [webhookInvalid, webhookAddressRefused, webhookNotFound, ...BODY_ERRORS, ...API_ERRORS],
      }),
      delete: operation({
        operationId: 'deleteWebhook',
        tag: 'Webhooks',
        summary: 'Delete a webhook',
        description: 'Deletes the webhook; its pending deliveries are abandoned.',
        auth: true,
        ok: { status: 204, description: 'Deleted (no body).' },
        errors: [webhookNotFound, ...API_ERRORS],
      }),
    },
    ...factorPaths(serviceSid, page),
    ...devicePaths(),
    ...handoffPaths(serviceSid, page),
    '/sim/v1/inbox/{address}': {
      parameters: [paramRef('SimAddress')],
      get: operation({
        operationId: 'listSimulatorInbox',
        tag: 'Simulator',
        summary: 'Read a simulated inbox (development only)',
        description:
          '**Development only**: present only when the simulator provider is enabled (which production refuses); otherwise 20404. No authentication: it exposes only simulated messages. Returns what the simulated carrier "delivered" to the address, codes included.',
        auth: false,
        ok: { status: 200, description: 'The inbox, newest first.', schema: schemaRef('SimInbox') },
        errors: [
          { code: 60200, when: 'the address is neither an E.164 number nor an email address.', message: 'Invalid parameter: address (expected an E.164 number or an email address)' },
          { code: 20404, when: 'the simulator provider is not enabled (the route does not exist).', message: 'The requested resource /sim/v1/inbox/%2B14155552671 was not found' },
        ],
      }),
    },
    '/sim/v1/inbox/{address}/stream': {
      parameters: [paramRef('SimAddress')],
      get: operation({
        operationId: 'streamSimulatorInbox',
        tag: 'Simulator',
        summary: 'Stream a simulated inbox (development only, server-sent events)',
        description:
          '**Development only**: present only when the simulator provider is enabled; otherwise 20404. No authentication. A `text/event-stream` that starts with the comment `: connected`, then sends `event: message` with `data: <SimMessage JSON>` for each new message to the address, and a `: keep-alive` comment every 15 s. Earlier messages are not replayed (read them from the inbox).',
        auth: false,
        ok: {
          status: 200,
          description: 'An endless server-sent event stream.',
          contentType: 'text/event-stream',
          schema: { type: 'string', description: 'Server-sent events; each `data` line is a SimMessage as JSON.', example: 'event: message\ndata: {"channel":"sms","to":"+14155552671","from":"Verity","body":"Your Acme verification code is: 123456","date_created":"2026-01-01T12:00:00Z"}\n\n' },
        },
        errors: [
          { code: 60200, when: 'the address is neither an E.164 number nor an email address.', message: 'Invalid parameter: address (expected an E.164 number or an email address)' },
          { code: 20404, when: 'the simulator provider is not enabled (the route does not exist).' },
        ],
      }),
    },
    ...voicePaths(),
    '/healthz': {
      get: operation({
        operationId: 'healthz',
        tag: 'Operations',
        summary: 'Liveness',
        description: 'Answers while the process runs. Unauthenticated: expose operations routes only to a private network.',
        auth: false,
        ok: { status: 200, description: 'Alive.', schema: schemaRef('Health') },
        errors: [],
      }),
    },
    '/readyz': {
      get: operation({
        operationId: 'readyz',
        tag: 'Operations',
        summary: 'Readiness',
        description: 'Ready when the database answers and the server is not shutting down; load balancers should drain a node answering 503. Unauthenticated.',
        auth: false,
        ok: { status: 200, description: 'Ready.', schema: schemaRef('Readiness') },
        errors: [],
      }),
    },
    '/metrics': {
      get: operation({
        operationId: 'metrics',
        tag: 'Operations',
        summary: 'Prometheus metrics',
        description:
          'Prometheus text exposition: verity_verifications_total, verity_verification_checks_total, verity_deliveries_total, verity_delivery_duration_seconds, verity_http_request_duration_seconds, verity_rate_limited_total, plus process metrics. With `VERITY_METRICS_TOKEN` set, send it as `Authorization: Bearer <token>` (else 401); without it, outside production only a client on this machine that connects directly (loopback peer, no forwarding headers) is answered, and production answers 404.',
        auth: false,
        ok: { status: 200, description: 'Metrics.', contentType: 'text/plain', schema: { type: 'string' } },
        errors: [
          { code: 20003, when: 'VERITY_METRICS_TOKEN is set and the request lacks it as a bearer token.', message: 'Authenticate: /metrics needs Authorization: Bearer <VERITY_METRICS_TOKEN>' },
          { code: 20404, when: 'no VERITY_METRICS_TOKEN, and the client is not on loopback or NODE_ENV=production.', message: 'The requested resource /metrics was not found' },
        ],
      }),
    },
    '/openapi.json': {
      get: operation({
        operationId: 'openApiDocument',
        tag: 'Operations',
        summary: 'This OpenAPI document',
        description: 'The OpenAPI 3.1 document of the API; rendered at /docs. Unauthenticated.',
        auth: false,
        ok: { status: 200, description: 'The document.', schema: { type: 'object' } },
        errors: [],
      }),
    },
    '/docs/errors': {
      get: operation({
        operationId: 'errorCodesPage',
        tag: 'Operations',
        summary: 'The error codes (HTML)',
        description: 'Every error code with its HTTP status, title and when it is answered; each row is anchored by its code (`/docs/errors#64205`). The `more_info` of a code Verity added links here. Unauthenticated.',
        auth: false,
        ok: { status: 200, description: 'An HTML page.', contentType: 'text/html', schema: { type: 'string' } },
        errors: [],
      }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Entities, Factors and Challenges (TOTP)
// ---------------------------------------------------------------------------------------------

const IDENTITY_PATTERN = '^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$';

const TOTP_SEMANTICS = `
**TOTP factors and challenges** (RFC 6238): a wrong code is not an error (200, the factor stays \`unverified\`, the challenge \`pending\`). Each time step is accepted once per factor: a code already used, or one older than it, counts as wrong. A factor accepts ${MAX_FACTOR_VERIFY_ATTEMPTS} verification codes, then 60310; a challenge accepts ${MAX_CHALLENGE_ATTEMPTS} answers, then 60308. Consecutive wrong codes also count per entity across challenges (new challenges do not reset the count, an approval does): after ${LOCKOUT.freeFailures}, answers are refused with 60308 and \`Retry-After\`, ${LOCKOUT.baseDelayMs / 1000} s doubling up to ${LOCKOUT.maxDelayMs / 3_600_000} h. A challenge past its expiration date becomes \`expired\`; answering an expired or approved challenge is refused with 60306.
`.trim();

const PASSKEY_SEMANTICS = `
**Passkeys** (WebAuthn Level 3, with @simplewebauthn/server; Verity's own wire format, the hosted API's is not public): the service needs \`Passkeys.RelyingParty.Id\` (else 60300) and lists its sign-in origins in \`Passkeys.RelyingParty.Origins\`. \`FactorType=passkeys\` answers 201 \`unverified\` with \`binding.registration_options\` (attestation \`none\`, the entity's passkeys excluded), valid 5 minutes (then 64201); post the browser's RegistrationResponse JSON as AuthPayload to \`POST …/Factors/{Sid}\`: it is checked (challenge, origin, RP ID hash, user presence, user verification when required) and the factor becomes \`verified\` (\`factor.verified\`); one that does not verify is 60311 (${MAX_FACTOR_VERIFY_ATTEMPTS} tries, then 60310). The credential (id, COSE public key, transports) is sealed in the factor; its signature counter is kept beside it. A passkey challenge answers 201 with \`passkey_options\` (the authentication options for that credential); post the browser's AuthenticationResponse JSON as AuthPayload to \`POST …/Challenges/{Sid}\`. It approves the challenge (\`amr\` \`${JSON.stringify(AMR_BY_FACTOR_TYPE.passkeys)}\`: a synced passkey is not hardware-bound) when the signature verifies for this challenge's options and the signature counter increased (or the authenticator keeps none: both 0); a counter that did not increase is 64202 (a replay or a cloned authenticator, logged); anything else that does not verify is 60324. Both count as an attempt (${MAX_CHALLENGE_ATTEMPTS} per challenge) and a failure of the entity. The counter moves with one conditional UPDATE: one assertion approves at most once. Usernameless sign-in: \`POST …/Passkeys/AuthenticationOptions\` then \`POST …/Passkeys/Authentications\`.
`.trim();

const PUSH_SEMANTICS = `
**Push factors** (docs/push.md): a P-256 key pair made on the user's device; Verity keeps only the public key (\`Binding.PublicKey\`, sealed) and trusts only statements signed by it (compact JWS, ES256, header \`kid\` = the factor SID and a \`typ\` naming the statement; \`iat\` within ${MAX_SIGNATURE_AGE_SECONDS / 60} minutes). A device enrolls with an enrollment token from \`POST …/AccessTokens\` and the device API (\`/device/v1\`), or the app creates the factor here with the device's public key. Either way the factor is verified by a \`${JWT_TYPES.factorVerification}\` statement \`{factor_sid, status: "verified", iat}\` as AuthPayload; one that does not verify is refused with 60311.

**Push challenges** need \`Details.Message\`. With the service's \`Push.NumberMatching\` (on by default) the challenge carries a two-digit \`number_match\` for the login page to show; the device must send it back to approve, and a wrong number denies the challenge. An entity gets at most \`Push.MaxChallengesSinceSuccess\` (default 5) push challenges since its last approved challenge within ${PUSH_FATIGUE_WINDOW_MS / 3_600_000} h, then 64001. The device answers with a \`${JWT_TYPES.pushResponse}\` statement \`{challenge_sid, factor_sid, status: "approved"|"denied", details_sha256, hidden_details_sha256, number, iat}\`, where the digests are base64url(SHA-256(RFC 8785 canonical JSON)) of the challenge's \`details\` and \`hidden_details\` (dynamic linking); the app may relay the same AuthPayload to \`POST …/Challenges/{Sid}\`. A statement whose signature, key id, type, challenge, factor, digests or time do not match is refused with 60324 and counts as an attempt (${MAX_CHALLENGE_ATTEMPTS} per challenge, then 60308) and as a failure of the entity (lock-out, 60308 with \`Retry-After\`). \`links.events\` streams the challenge's progress to the login page without credentials.
`.trim();

/** Factor types of factors and challenges (`voiceprint` is a Verity extension). */
const FACTOR_TYPES = ['totp', 'push', 'voiceprint'];

/**
 * Why a recording was refused (64011 `details.problems`) or dropped from an enrolment
 * (`enrollment_problem`); a Record so that a new code of the engine does not compile until documented.
 */
const RECORDING_PROBLEMS: Record<EnrollProblemCode, string> = {
  too_short: 'less speech than the pass phrase needs',
  too_quiet: 'the speech is too quiet',
  clipped: 'the recording is distorted: too loud, or too close to the microphone',
  too_noisy: 'too much background sound',
  mostly_silence: 'the recording is mostly silence',
  inconsistent: 'enrolment only: the recording does not sound like the others, another phrase or another voice',
};
const recordingProblemList = (codes: string[]): string => codes.map((code) => `\`${code}\` (${RECORDING_PROBLEMS[code as EnrollProblemCode]})`).join(', ');
/** The problems of a recording's quality checks (64011). */
const QUALITY_PROBLEMS = Object.keys(RECORDING_PROBLEMS).filter((code) => code !== 'inconsistent');

/** How a voiceprint call goes, by its `flow`. */
const VOICEPRINT_CALL_FLOWS: Record<FactorCallFlow, string> = {
  voiceprint_enroll: `the callee says the pass phrase after each beep until ${ENROLLMENT_RECORDINGS} good recordings make the voiceprint (poor ones are asked for again)`,
  voiceprint_verify: 'the callee says the pass phrase once, and once more after a mismatch',
};

const VOICEPRINT_SEMANTICS = `
**Voiceprint factors** (a Verity extension, voice biometrics): the user says a pass phrase of their choice; ${ENROLLMENT_RECORDINGS} accepted recordings of it make the voiceprint, sealed in the factor and never returned. A biometric is never the only factor (NIST SP 800-63B-4 §3.2.3): \`FactorType=voiceprint\` is refused with 60300 unless the entity already has another verified factor or unused recovery codes (and when the server has no voiceprint models). The factor starts \`unverified\` with \`config\` \`{recordings_needed, recordings_accepted, sample_rate}\`; send the recordings to \`POST …/Factors/{Sid}/Recordings\`, or have Verity call the user (\`POST …/Factors/{Sid}/Calls\`). The last one makes it \`verified\` (\`factor.verified\`); \`POST …/Factors/{Sid}\` cannot verify it (60300).

Recordings are WAV bodies (\`Content-Type: audio/wav\`): 16-bit PCM, µ-law or A-law, mono or stereo, sampled at 8000 or 16000 Hz, at most ${MAX_AUDIO_SECONDS} s; other audio is refused with 60200, as is an enrolment recording whose sample rate differs from the earlier ones. Each recording is checked for quality first: a poor one is refused with 64011 and \`details.problems\`, each with a message to show the user: ${recordingProblemList(QUALITY_PROBLEMS)}. When the enrolment recordings do not sound alike, the odd one is dropped (200 with \`enrollment_problem\` ${recordingProblemList(['inconsistent'])}) and must be recorded again.

**Voiceprint challenges** need no \`Details.Message\` and refuse AuthPayload (60300): they are answered with one recording of the pass phrase (\`POST …/Challenges/{Sid}/Recording\`) or on a call Verity places (\`POST …/Challenges/{Sid}/Calls\`). A match approves the challenge (\`amr\` \`${JSON.stringify(AMR_BY_FACTOR_TYPE.voiceprint)}\`); a mismatch leaves it \`pending\` (the response's \`voiceprint\` says why) and counts a biometric failure of the factor: after ${BIOMETRIC_FREE_FAILURES} in a row, recordings are refused with 64012 and \`Retry-After\`, ${biometricLockoutDelayMs(BIOMETRIC_FREE_FAILURES) / 1000} s doubling up to ${biometricLockoutDelayMs(1_000) / 3_600_000} h; a match resets the count. Offer another factor meanwhile. A recording this factor has already heard (a replay) denies the challenge (\`denied_reason\` \`replay_suspected\`). Every recording, poor ones included, uses one of the challenge's ${MAX_CHALLENGE_ATTEMPTS} attempts (then 60308); a poor one (64011) is no biometric failure.

**Voiceprint calls** (\`POST …/Calls\` with \`To\`): Verity phones the user and records the pass phrase; the recordings go through the same checks as uploaded ones. On an enrolment call (flow \`voiceprint_enroll\`) ${VOICEPRINT_CALL_FLOWS.voiceprint_enroll}; on a challenge call (\`voiceprint_verify\`) ${VOICEPRINT_CALL_FLOWS.voiceprint_verify}. Calls need a voice provider (else 60223), and a number takes one call at a time (60212). Like every outbound message and call they pass the send gate: the service's AllowedCountries (60605), the number's send budget shared with verifications (5 per 10 minutes, 60203), the number-prefix cap (60410) and the account's send budget (64301). The response names the call; the outcome shows on the factor or challenge (fetch it, follow the challenge's \`links.events\`, or receive \`factor.verified\`, \`challenge.approved\` and \`challenge.denied\` events).
`.trim();

function factorSchemas(listOf: (key: string, item: string, description: string) => Json): Record<string, Json> {
  const entityUrl = 'Absolute URL of the entity.';
  const jsonObject = (description: string): Json => ({ type: nullable('object'), additionalProperties: { type: 'string' }, description });
  const totpConfigParams = (): Record<string, Json> => ({
    'Config.TimeStep': { type: 'integer', minimum: 20, maximum: 60, description: 'Seconds per code (RFC 6238 X); default the service\'s `Totp.TimeStep`, else 30.' },
    'Config.Skew': { type: 'integer', minimum: 0, maximum: 2, description: 'Time steps accepted before and after the current one; default the service\'s `Totp.Skew`, else 1.' },
    'Config.CodeLength': {
      type: 'integer',
      minimum: 3,
      maximum: 8,
      description: 'Digits per code; default the service\'s `Totp.CodeLength`, else 6. 3–5 are accepted like the hosted API but weak (RFC 4226 §5.3 asks for 6).',
    },
    'Config.Alg': { type: 'string', enum: ['sha1', 'sha256', 'sha512'], description: 'HMAC hash (default sha1, which most authenticator apps expect).' },
  });
  return {
    Entity: {
      type: 'object',
      description: 'A user of the application, named by its Identity.',
      required: ['sid', 'identity', 'account_sid', 'service_sid', 'date_created', 'date_updated', 'url', 'links'],
      properties: {
        sid: sid('YE', 'Entity SID.'),
        identity: { type: 'string', pattern: IDENTITY_PATTERN },
        account_sid: sid('AC', 'Account SID.'),
        service_sid: sid('VA', 'Service SID.'),
        date_created: dateTime('Creation time,'),
        date_updated: dateTime('Last update,'),
        url: url(entityUrl),
        links: { type: 'object', description: 'URLs of the entity\'s factors and challenges.', properties: { factors: url('Factors.'), new_factors: url('Where to create factors.'), challenges: url('Challenges.') } },
      },
    },
    EntityList: listOf('entities', 'Entity', 'A page of entities, oldest first.'),
    PasskeyAuthenticationOptions: extension({
      type: 'object',
      required: ['authentication_options', 'expiration_date'],
      description: 'Options for a usernameless passkey sign-in.',
      properties: {
        authentication_options: { type: 'object', description: 'WebAuthn PublicKeyCredentialRequestOptionsJSON (`challenge`, `rpId`, `userVerification`, `timeout`; no `allowCredentials`).' },
        expiration_date: dateTime('When the options expire (5 minutes),'),
      },
    }),
    PasskeyAuthenticationOptionsParams: { type: 'object', description: 'No parameters.', properties: {} },
    PasskeyAuthenticationParams: {
      type: 'object',
      required: ['AuthPayload'],
      properties: { AuthPayload: { type: 'string', maxLength: MAX_PASSKEY_PAYLOAD, description: 'The JSON of the browser\'s AuthenticationResponse (`credential.toJSON()`).' } },
    },
    PasskeyAuthentication: extension({
      type: 'object',
      required: ['identity', 'factor_sid', 'amr'],
      description: 'Who a usernameless passkey sign-in identified.',
      properties: {
        identity: { type: 'string', description: 'The entity\'s Identity.' },
        factor_sid: sid('YF', 'The passkey factor used.'),
        amr: { type: 'array', items: { type: 'string' }, description: 'RFC 8176 methods: `["swk"]`.' },
      },
    }),
    RecoveryCodes: {
      type: 'object',
      'x-verity-extension': true,
      description: '**Verity extension.** The entity\'s recovery codes: counts only; `codes` appears once, in the response that issues them.',
      required: ['entity_sid', 'identity', 'service_sid', 'account_sid', 'total', 'remaining', 'date_created', 'url'],
      properties: {
        entity_sid: { type: 'string', pattern: sidPattern('YE') },
        identity: { type: 'string' },
        service_sid: { type: 'string', pattern: sidPattern('VA') },
        account_sid: { type: 'string', pattern: sidPattern('AC') },
        total: { type: 'integer', description: 'Codes in the current batch (10).' },
        remaining: { type: 'integer', description: 'Codes not used yet.' },
        date_created: { type: ['string', 'null'], format: 'date-time', description: 'When the current batch was issued (null: none yet).' },
        url: { type: 'string', format: 'uri' },
        codes: { type: 'array', items: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$' }, description: 'Only in the issuing response: 10 codes of 12 Crockford base32 symbols (60 bits each), stored only as argon2id hashes.' },
      },
    },
    RecoveryCodesIssueParams: {
      type: 'object',
      'x-verity-extension': true,
      description: 'No parameters: an empty body.',
      properties: {},
    },
    RecoveryCodeCheckParams: {
      type: 'object',
      'x-verity-extension': true,
      required: ['Code'],
      properties: { Code: { type: 'string', maxLength: 32, description: 'A recovery code; case, dashes and spaces do not matter, and O/I/L read as 0/1/1 (Crockford).' } },
    },
    RecoveryCodeCheck: {
      type: 'object',
      'x-verity-extension': true,
      required: ['entity_sid', 'identity', 'valid', 'remaining'],
      properties: {
        entity_sid: { type: 'string', pattern: sidPattern('YE') },
        identity: { type: 'string' },
        valid: { type: 'boolean', description: 'true once for a right, unused code (it is consumed); false for a wrong or used code (not an error, and counted toward the entity\'s lock-out).' },
        remaining: { type: 'integer' },
        amr: { type: nullable('array'), items: { type: 'string' }, description: 'RFC 8176 methods a valid code stands for (`["otp"]`), as a challenge\'s `amr`; null when the code was not valid.' },
      },
    },
    EntityCreateParams: {
      type: 'object',
      required: ['Identity'],
      properties: { Identity: { type: 'string', minLength: 8, maxLength: 64, pattern: IDENTITY_PATTERN, description: 'The application\'s user id (8–64 dash-separated letters and digits, no PII).' } },
    },
    Factor: {
      type: 'object',
      description:
        'An authenticator factor. `binding` (TOTP: the secret and its otpauth URI; push: the bound public key) is present only in the create response; it is stored sealed and never returned again. A voiceprint factor (Verity extension) never returns its voiceprint.',
      required: ['sid', 'account_sid', 'service_sid', 'entity_sid', 'identity', 'binding', 'date_created', 'date_updated', 'friendly_name', 'status', 'factor_type', 'config', 'url'],
      properties: {
        sid: sid('YF', 'Factor SID.'),
        account_sid: sid('AC', 'Account SID.'),
        service_sid: sid('VA', 'Service SID.'),
        entity_sid: sid('YE', 'Entity SID.'),
        identity: { type: 'string' },
        binding: {
          description: 'Create only; null afterwards. TOTP: `{secret (base32), uri (otpauth://totp/<issuer>:<friendly_name>?…)}`. Push: `{alg: "ES256", public_key}` (the key in canonical base64 DER). Passkeys (Verity\'s format): `{registration_options, expiration_date}`, the WebAuthn PublicKeyCredentialCreationOptionsJSON to pass to `navigator.credentials.create({publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(registration_options)})`, valid for 5 minutes. Voiceprint: always null.',
          oneOf: [
            { type: 'null' },
            { type: 'object', title: 'TOTP binding', required: ['secret', 'uri'], properties: { secret: { type: 'string' }, uri: { type: 'string' } } },
            { type: 'object', title: 'Push binding', required: ['alg', 'public_key'], properties: { alg: { type: 'string', enum: ['ES256'] }, public_key: { type: 'string', description: 'Base64 DER SubjectPublicKeyInfo of the P-256 key.' } } },
            extension({
              type: 'object',
              title: 'Passkey binding',
              required: ['registration_options', 'expiration_date'],
              properties: {
                registration_options: { type: 'object', description: 'WebAuthn PublicKeyCredentialCreationOptionsJSON: `rp {id, name}`, `user {id (base64url of the entity SID), name (the Identity), displayName (FriendlyName)}`, `challenge`, `pubKeyCredParams`, `timeout`, `attestation: "none"`, `excludeCredentials` (the entity\'s passkeys), `authenticatorSelection`.' },
                expiration_date: dateTime('When the registration options expire (5 minutes),'),
              },
            }),
          ],
        },
        options: { type: 'null' },
        date_created: dateTime('Creation time,'),
        date_updated: dateTime('Last update,'),
        friendly_name: { type: 'string' },
        status: { type: 'string', enum: ['unverified', 'verified'] },
        factor_type: { type: 'string', enum: FACTOR_TYPES, description: '`voiceprint` is a Verity extension.' },
        config: {
          description: 'TOTP: `{alg, skew, code_length, time_step}`. Push: `{sdk_version, app_id, notification_platform, notification_token}`. Passkeys (Verity\'s format): `{relying_party_id, transports, credential_device_type}`. Voiceprint (Verity extension): `{recordings_needed, recordings_accepted, sample_rate}`.',
          anyOf: [
            {
              type: 'object',
              title: 'TOTP config',
              required: ['alg', 'skew', 'code_length', 'time_step'],
              properties: { alg: { type: 'string', enum: ['sha1', 'sha256', 'sha512'] }, skew: { type: 'integer' }, code_length: { type: 'integer' }, time_step: { type: 'integer' } },
            },
            {
              type: 'object',
              title: 'Push config',
              required: ['sdk_version', 'app_id', 'notification_platform', 'notification_token'],
              properties: {
                sdk_version: { type: nullable('string') },
                app_id: { type: nullable('string') },
                notification_platform: { type: 'string', enum: ['apn', 'fcm', 'none'] },
                notification_token: { type: nullable('string') },
              },
            },
            extension({
              type: 'object',
              title: 'Passkey config',
              required: ['relying_party_id', 'transports', 'credential_device_type'],
              properties: {
                relying_party_id: { type: 'string', description: 'The RP ID the passkey is scoped to.' },
                transports: { type: 'array', items: { type: 'string' }, description: 'Transports the authenticator reported at registration (`internal`, `usb`, `hybrid`, …); empty until verified.' },
                credential_device_type: { type: nullable('string'), enum: ['singleDevice', 'multiDevice', null], description: '`multiDevice`: a synced passkey (backup eligible); `singleDevice`: bound to one authenticator. Null until verified.' },
              },
            }),
            extension({
              type: 'object',
              title: 'Voiceprint config',
              required: ['recordings_needed', 'recordings_accepted', 'sample_rate'],
              properties: {
                recordings_needed: { type: 'integer', enum: [ENROLLMENT_RECORDINGS], description: 'Recordings that make the voiceprint.' },
                recordings_accepted: { type: 'integer', minimum: 0, maximum: ENROLLMENT_RECORDINGS, description: 'Recordings kept so far (an inconsistent one is dropped again); equal to recordings_needed once verified.' },
                sample_rate: { type: nullable('integer'), enum: [8000, 16000, null], description: 'Sample rate of the enrolment: 16000 when recorded in a browser, 8000 over a phone call; null before the first recording. Later enrolment recordings must match it.' },
              },
              description: 'Enrolment progress of a voiceprint factor.',
            }),
          ],
        },
        metadata: jsonObject('Metadata given at creation.'),
        url: url('Absolute URL of the factor.'),
      },
    },
    FactorList: listOf('factors', 'Factor', 'A page of factors, oldest first (without bindings).'),
    FactorCreateParams: {
      type: 'object',
      required: ['FriendlyName', 'FactorType'],
      properties: {
        FriendlyName: { type: 'string', maxLength: 64, description: 'Shown in the authenticator app as the account name (avoid PII).' },
        FactorType: {
          type: 'string',
          enum: ['totp', 'push', 'passkeys', 'voiceprint'],
          description:
            '`totp`, `push` or `passkeys` (WebAuthn; needs the service\'s `Passkeys.RelyingParty.Id`, else 60300). `voiceprint` (a Verity extension) creates a voice-biometrics factor, refused with 60300 unless the entity already has another verified factor or unused recovery codes.',
        },
        'Binding.Secret': { type: 'string', maxLength: 256, description: 'TOTP: base32 shared secret of at least 128 bits (RFC 4226 §4); 160 random bits when omitted.' },
        ...totpConfigParams(),
        ...pushFactorParams(),
        Metadata: { type: 'string', maxLength: 1024, description: 'JSON object of string values, stored and returned.' },
      },
    },
    FactorUpdateParams: {
      type: 'object',
      description: 'Only the parameters given change.',
      properties: {
        AuthPayload: {
          type: 'string',
          minLength: 3,
          maxLength: MAX_AUTH_PAYLOAD,
          description: `TOTP: a code from the authenticator app (3–8 characters); the right one verifies an unverified factor. Push: the device's \`${JWT_TYPES.factorVerification}\` statement (compact JWS, at most ${MAX_AUTH_PAYLOAD} characters), which verifies the factor; one that does not verify is refused with 60311. Passkeys: the JSON of the browser's RegistrationResponse (\`credential.toJSON()\`, at most ${MAX_PASSKEY_PAYLOAD} characters).`,
        },
        FriendlyName: { type: 'string', maxLength: 64, description: 'New friendly name (TOTP; ignored for push factors).' },
        ...totpConfigParams(),
      },
    },
    Challenge: {
      type: 'object',
      description: 'A second-factor challenge of an entity. `number_match`, `amr`, `denied_reason`, `links.events` and voiceprint challenges are Verity extensions.',
      required: ['sid', 'account_sid', 'service_sid', 'entity_sid', 'identity', 'factor_sid', 'date_created', 'date_updated', 'date_responded', 'expiration_date', 'status', 'responded_reason', 'details', 'hidden_details', 'metadata', 'factor_type', 'url', 'links'],
      properties: {
        sid: sid('YC', 'Challenge SID.'),
        account_sid: sid('AC', 'Account SID.'),
        service_sid: sid('VA', 'Service SID.'),
        entity_sid: sid('YE', 'Entity SID.'),
        identity: { type: 'string' },
        factor_sid: sid('YF', 'Factor SID.'),
        date_created: dateTime('Creation time,'),
        date_updated: dateTime('Last update,'),
        date_responded: { ...dateTime('When it was approved or denied,'), type: nullable('string') },
        expiration_date: dateTime('When it expires,'),
        status: { type: 'string', enum: ['pending', 'expired', 'approved', 'denied'] },
        responded_reason: { type: 'string', enum: ['none', 'not_needed', 'not_requested'] },
        details: schemaRef('ChallengeDetails'),
        hidden_details: jsonObject('HiddenDetails given at creation.'),
        metadata: jsonObject('Metadata given with the answer.'),
        factor_type: { type: 'string', enum: FACTOR_TYPES, description: '`voiceprint` is a Verity extension.' },
        url: url('Absolute URL of the challenge.'),
        number_match: extension({
          type: nullable('string'),
          pattern: '^[0-9]{2}$',
          description: 'Push challenges of a service with `Push.NumberMatching`: the two-digit number the login page shows; the user enters it on the device to approve (the device is never told it). Null otherwise.',
          example: '42',
        }),
        amr: extension({
          type: nullable('array'),
          items: { type: 'string' },
          description: `RFC 8176 authentication methods an approval stands for (${Object.entries(AMR_BY_FACTOR_TYPE)
            .map(([type, amr]) => `${type}: \`${JSON.stringify(amr)}\``)
            .join(', ')}); null unless \`approved\`.`,
        }),
        passkey_options: extension({
          type: 'object',
          description:
            'Passkey challenges, in the creation response only: the WebAuthn PublicKeyCredentialRequestOptionsJSON for `navigator.credentials.get({publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(passkey_options)})`: `challenge` (32 random bytes, kept by Verity as a SHA-256 digest until the challenge expires), `rpId`, `allowCredentials` (the factor\'s credential), `userVerification` (the service\'s `Passkeys.UserVerification`), `timeout`. Absent otherwise.',
        }),
        denied_reason: extension({
          type: nullable('string'),
          enum: ['user', 'number_mismatch', 'replay_suspected', null],
          description:
            'Why a challenge was denied: push `user` (the user refused on the device) or `number_mismatch` (a wrong number to match: a login the user did not start); voiceprint `replay_suspected` (a recording this factor had already heard, played back). Null otherwise.',
        }),
        links: {
          type: 'object',
          properties: {
            notifications: url('Notifications of the challenge (push only).'),
            events: extension({
              ...url('Server-sent events of the challenge\'s progress for the waiting login page (`GET /events/v1/Challenges/{Sid}/{Token}`). No credentials: the path\'s token grants reading this challenge\'s progress only, so hand it to that user\'s browser only.'),
            }),
          },
        },
      },
    },
    ChallengeList: listOf('challenges', 'Challenge', 'A page of challenges.'),
    ChallengeCreateParams: {
      type: 'object',
      required: ['FactorSid'],
      properties: {
        FactorSid: { ...sid('YF', 'A verified factor of this entity.'), maxLength: 34 },
        ExpirationDate: {
          type: 'string',
          format: 'date-time',
          description: `When the challenge expires: at most ${MAX_CHALLENGE_TTL_MS / 60_000} minutes ahead (default ${DEFAULT_CHALLENGE_TTL_MS / 60_000} minutes).`,
        },
        'Details.Message': { type: 'string', maxLength: 256, description: 'Message describing the challenge, shown on the device; required for a push challenge.' },
        'Details.Fields': { type: 'array', maxItems: 20, items: { type: 'string' }, description: 'Repeated JSON objects `{"label","value"}` (label ≤ 36, value ≤ 128 characters).' },
        HiddenDetails: { type: 'string', maxLength: 1024, description: 'JSON object of string values, stored and returned, never shown to the user.' },
        AuthPayload: {
          type: 'string',
          minLength: 3,
          maxLength: 8,
          description: 'TOTP only: the code; the challenge is answered at once (`approved`, or `pending` when wrong). Refused with 60300 for a push factor (the device answers) and a voiceprint factor (a recording answers).',
        },
      },
    },
    ChallengeUpdateParams: {
      type: 'object',
      required: ['AuthPayload'],
      properties: {
        AuthPayload: {
          type: 'string',
          minLength: 3,
          maxLength: MAX_AUTH_PAYLOAD,
          description: `TOTP: the code (3–8 characters). Push: the device's \`${JWT_TYPES.pushResponse}\` statement (compact JWS, at most ${MAX_AUTH_PAYLOAD} characters) relayed by the app. Passkeys: the JSON of the browser's AuthenticationResponse (\`credential.toJSON()\`).`,
        },
        Metadata: { type: 'string', maxLength: 1024, description: 'JSON object stored with the answer.' },
      },
    },
    ...pushSchemas(),
    ...voiceprintSchemas(),
  };
}

/** The voice-biometrics resources (Verity extensions). */
function voiceprintSchemas(): Record<string, Json> {
  return {
    VoiceprintRecordingProblem: extension({
      type: 'object',
      description: 'Why a recording was refused or dropped.',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(RECORDING_PROBLEMS), description: recordingProblemList(Object.keys(RECORDING_PROBLEMS)) },
        message: { type: 'string', description: 'What to do about it, to show the user (English).', example: 'Speak a little louder, or move closer to the microphone.' },
      },
    }),
    VoiceprintEnrollment: extension({
      description: 'The voiceprint factor after a recording, with what happened to it.',
      allOf: [
        schemaRef('Factor'),
        {
          type: 'object',
          required: ['enrollment_problem'],
          properties: {
            enrollment_problem: {
              description: `Null when the recording was kept (201). Otherwise (200) why the enrolment dropped a recording, usually \`inconsistent\`: \`config.recordings_accepted\` went down, and the user records again until ${ENROLLMENT_RECORDINGS} consistent recordings are kept.`,
              oneOf: [{ type: 'null' }, schemaRef('VoiceprintRecordingProblem')],
            },
          },
        },
      ],
    }),
    VoiceprintOutcome: extension({
      type: 'object',
      description: 'What the voiceprint engine made of a challenge recording.',
      required: ['decision', 'score', 'threshold', 'reasons'],
      properties: {
        decision: {
          type: 'string',
          enum: ['match', 'no_match', 'rejected'],
          description: '`match`: the challenge is approved. `no_match`: another voice or another phrase; the challenge stays pending. `rejected`: a replay; the challenge is denied.',
        },
        score: {
          type: 'number',
          minimum: VOICEPRINT_SCORE_RANGE[0],
          maximum: VOICEPRINT_SCORE_RANGE[1],
          description: 'How much the recording sounds like the voiceprint saying its pass phrase (higher is more alike); it matches from `threshold` up.',
          example: 2.375,
        },
        threshold: { type: 'number', description: `The threshold applied: the service's Voiceprint.Threshold, else ${DEFAULT_THRESHOLD}.`, example: DEFAULT_THRESHOLD },
        reasons: {
          type: 'array',
          items: {
            type: 'string',
            enum: ['score_below_threshold', 'voice_mismatch', 'phrase_mismatch', 'replay_suspected', ...QUALITY_PROBLEMS.map((code) => `quality:${code}`)],
          },
          description:
            'Empty for a match. no_match: `score_below_threshold`, with `voice_mismatch` (another voice) and/or `phrase_mismatch` (another phrase). rejected: `replay_suspected`, with any `quality:<code>` problem of the recording (a poor recording that is no replay is refused with 64011 instead).',
        },
      },
    }),
    VoiceprintChallenge: extension({
      description: 'The challenge after a recording, with the engine\'s verdict.',
      allOf: [schemaRef('Challenge'), { type: 'object', required: ['voiceprint'], properties: { voiceprint: schemaRef('VoiceprintOutcome') } }],
    }),
    VoiceprintCallParams: extension({
      type: 'object',
      description: 'Where Verity calls.',
      required: ['To'],
      properties: { To: { type: 'string', maxLength: 32, description: 'The phone number to call, E.164.', example: '+14155552671' } },
    }),
    VoiceprintCall: extension({
      type: 'object',
      description: 'A call Verity placed to enrol a voiceprint or to answer a voiceprint challenge.',
      required: ['call_sid', 'to', 'from', 'status', 'flow', 'factor_sid', 'challenge_sid', 'date_created'],
      properties: {
        call_sid: sid('CL', 'Verity\'s call SID.'),
        to: { type: 'string', description: 'The number called, E.164.', example: '+14155552671' },
        from: { type: 'string', description: 'The caller id.' },
        status: {
          type: 'string',
          enum: ['queued', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'rejected', 'failed', 'canceled'],
          description: 'Usually `queued`: the call was just handed to the voice provider.',
        },
        flow: {
          type: 'string',
          enum: Object.keys(VOICEPRINT_CALL_FLOWS),
          description: `\`voiceprint_enroll\` (enrolment): ${VOICEPRINT_CALL_FLOWS.voiceprint_enroll}. \`voiceprint_verify\` (a challenge): ${VOICEPRINT_CALL_FLOWS.voiceprint_verify}.`,
        },
        factor_sid: sid('YF', 'The voiceprint factor.'),
        challenge_sid: { ...sid('YC', 'The challenge the call answers; null for an enrolment call.'), type: nullable('string') },
        date_created: dateTime('When the call was placed,'),
      },
    }),
  };
}

/** Push factor parameters of a factor create (account API and device enrollment). */
function pushFactorParams(): Record<string, Json> {
  return {
    'Binding.Alg': { type: 'string', enum: ['ES256'], description: 'Push (required): the signature algorithm of the device key; only ES256 (P-256).' },
    'Binding.PublicKey': {
      type: 'string',
      maxLength: 1024,
      pattern: '^[A-Za-z0-9+/]+={0,2}$',
      description: 'Push (required): the device\'s public key, base64 DER SubjectPublicKeyInfo of a P-256 key. Stored sealed; the private key never leaves the device.',
    },
    'Config.NotificationPlatform': {
      type: 'string',
      enum: ['apn', 'fcm', 'none'],
      default: 'none',
      description: 'Push: how the device is notified. Verity sends no APNs/FCM notifications (devices read or stream their challenges from the device API); the value is stored and returned.',
    },
    'Config.NotificationToken': { type: 'string', minLength: 32, maxLength: 255, description: 'Push: the device\'s APNs/FCM token; required when Config.NotificationPlatform is apn or fcm.' },
    'Config.AppId': { type: 'string', maxLength: 128, description: 'Push: the app\'s bundle or package id; stored and returned.' },
    'Config.SdkVersion': { type: 'string', maxLength: 32, description: 'Push: the client SDK version; stored and returned.' },
  };
}

/** The AccessTokens resource, the device API's resources and the challenge progress events. */
function pushSchemas(): Record<string, Json> {
  const deviceNote = '**Verity extension** (the device API; docs/push.md).';
  return {
    ChallengeDetails: {
      type: 'object',
      description: 'What the user is asked to approve; a push device signs a digest of exactly this object.',
      required: ['message', 'date', 'fields'],
      properties: {
        message: { type: nullable('string') },
        date: { type: 'string', format: 'date-time', description: 'The challenge\'s creation time.' },
        fields: { type: 'array', items: { type: 'object', required: ['label', 'value'], properties: { label: { type: 'string' }, value: { type: 'string' } } } },
      },
    },
    AccessToken: {
      type: 'object',
      description: `An enrollment token for one push device. Verity's \`token\` is its own JWT (HS256, \`typ\` ${JWT_TYPES.enrollment}, \`aud\` ${ENROLLMENT_AUDIENCE}), not the hosted API's Push SDK token: the device presents it to \`POST /device/v1/Factors\`.`,
      required: ['sid', 'account_sid', 'service_sid', 'entity_identity', 'factor_type', 'factor_friendly_name', 'token', 'ttl', 'date_created', 'url'],
      properties: {
        sid: sid('YK', 'Access token SID (the JWT\'s `jti`).'),
        account_sid: sid('AC', 'Account SID.'),
        service_sid: sid('VA', 'Service SID.'),
        entity_identity: { type: 'string', pattern: IDENTITY_PATTERN, description: 'The Identity the device enrolls for (the JWT\'s `sub`).' },
        factor_type: { type: 'string', enum: ['push'] },
        factor_friendly_name: { type: 'string', description: 'Friendly name the new factor gets unless the device sends its own.' },
        token: {
          type: 'string',
          description:
            'The enrollment JWT, with claims `sub` (identity), `jti` (this SID), `service_sid`, `service_name`, `factor_friendly_name` and `verity_url` (Verity\'s public origin). Accepted **once**, before it expires. Hand it to the device, e.g. as a QR code.',
        },
        ttl: { type: 'integer', minimum: 60, maximum: 300, description: 'Lifetime in seconds.' },
        date_created: dateTime('Creation time,'),
        url: url('Absolute URL of the token.'),
      },
    },
    AccessTokenCreateParams: {
      type: 'object',
      required: ['Identity', 'FactorType'],
      properties: {
        Identity: { type: 'string', minLength: 8, maxLength: 64, pattern: IDENTITY_PATTERN, description: 'The user the device enrolls for (8–64 dash-separated letters and digits, no PII); the entity is created at enrollment if missing.' },
        FactorType: { type: 'string', enum: ['push'], description: 'Only `push`.' },
        FactorFriendlyName: { type: 'string', minLength: 1, maxLength: 64, description: 'Name of the factor the device creates (default "Push authenticator"; the device may send its own).' },
        Ttl: { type: 'integer', minimum: 60, maximum: 300, default: DEFAULT_ENROLLMENT_TTL_SECONDS, description: 'Seconds the token stays valid.' },
      },
    },
    DeviceFactor: {
      description: `${deviceNote} The device's factor, with the name of its service.`,
      'x-verity-extension': true,
      allOf: [schemaRef('Factor'), { type: 'object', required: ['service_name'], properties: { service_name: { type: 'string', description: 'The service\'s FriendlyName.' } } }],
    },
    DeviceFactorCreateParams: {
      type: 'object',
      'x-verity-extension': true,
      description: `${deviceNote} Enrollment: the device's key and push settings.`,
      required: ['Binding.Alg', 'Binding.PublicKey'],
      properties: {
        ...pushFactorParams(),
        FriendlyName: { type: 'string', minLength: 1, maxLength: 64, description: 'Name of the factor; default the enrollment token\'s `factor_friendly_name`.' },
        Metadata: { type: 'string', maxLength: 1024, description: 'JSON object of string values, stored and returned.' },
      },
    },
    DeviceFactorVerifyParams: {
      type: 'object',
      'x-verity-extension': true,
      required: ['AuthPayload'],
      properties: {
        AuthPayload: {
          type: 'string',
          maxLength: MAX_AUTH_PAYLOAD,
          description: `The \`${JWT_TYPES.factorVerification}\` statement: a compact JWS signed by the device key (header \`{"alg":"ES256","kid":"YF…","typ":"${JWT_TYPES.factorVerification}"}\`, payload \`{"factor_sid","status":"verified","iat"}\`).`,
        },
      },
    },
    DeviceChallenge: {
      type: 'object',
      'x-verity-extension': true,
      description: `${deviceNote} What a device sees of a challenge: everything it needs to show and sign it, never the number to match (the user reads it off the login page).`,
      required: ['sid', 'factor_sid', 'service_sid', 'service_name', 'identity', 'status', 'details', 'hidden_details', 'number_match_required', 'expiration_date', 'date_created', 'url'],
      properties: {
        sid: sid('YC', 'Challenge SID.'),
        factor_sid: sid('YF', 'Factor SID.'),
        service_sid: sid('VA', 'Service SID.'),
        service_name: { type: 'string', description: 'The service\'s FriendlyName.' },
        identity: { type: 'string' },
        status: { type: 'string', enum: ['pending', 'approved', 'denied', 'expired'] },
        details: schemaRef('ChallengeDetails'),
        hidden_details: { type: nullable('object'), additionalProperties: { type: 'string' }, description: 'HiddenDetails given at creation (the response signs their digest too).' },
        number_match_required: { type: 'boolean', description: 'The response must carry the two-digit `number` the login page shows to approve.' },
        expiration_date: dateTime('When it expires,'),
        date_created: dateTime('Creation time,'),
        url: url('Where the device answers it (`POST /device/v1/Factors/{FactorSid}/Challenges/{Sid}`).'),
      },
    },
    DeviceChallengeList: {
      type: 'object',
      'x-verity-extension': true,
      required: ['challenges'],
      properties: { challenges: { type: 'array', maxItems: 50, items: schemaRef('DeviceChallenge'), description: 'At most 50, newest first.' } },
    },
    DeviceChallengeResponseParams: {
      type: 'object',
      'x-verity-extension': true,
      required: ['AuthPayload'],
      properties: {
        AuthPayload: {
          type: 'string',
          maxLength: MAX_AUTH_PAYLOAD,
          description: `The \`${JWT_TYPES.pushResponse}\` statement: a compact JWS signed by the device key (header \`{"alg":"ES256","kid":"YF…","typ":"${JWT_TYPES.pushResponse}"}\`, payload \`{"challenge_sid","factor_sid","status":"approved"|"denied","details_sha256","hidden_details_sha256","number","iat"}\`).`,
        },
        Metadata: { type: 'string', maxLength: 1024, description: 'JSON object stored with the answer.' },
      },
    },
    ChallengeProgressEvent: CHALLENGE_PROGRESS_EVENT,
    Notification: {
      type: 'object',
      description: 'A (re)sent notification of a pending push challenge. Verity\'s channel is the device\'s event stream, which shows the challenge again; nothing is stored.',
      required: ['sid', 'account_sid', 'service_sid', 'entity_sid', 'identity', 'challenge_sid', 'priority', 'ttl', 'date_created'],
      properties: {
        sid: sid('NT', 'Notification SID.'),
        account_sid: sid('AC', 'Account SID.'),
        service_sid: sid('VA', 'Service SID.'),
        entity_sid: sid('YE', 'Entity SID.'),
        identity: { type: 'string' },
        challenge_sid: sid('YC', 'Challenge SID.'),
        priority: { type: 'string', enum: ['high'] },
        ttl: { type: 'integer', minimum: 0, maximum: 300 },
        date_created: dateTime('Creation time,'),
      },
    },
    NotificationCreateParams: {
      type: 'object',
      properties: { Ttl: { type: 'integer', minimum: 0, maximum: 300, default: 300, description: 'Seconds the notification may wait for the device (stored for parity).' } },
    },
  };
}

function factorPaths(serviceSid: Json, page: Json[]): Json {
  const identity = paramRef('Identity');
  const entityNotFound: ErrorCase = { code: 20404, when: 'unknown service, or no entity with this Identity.', message: 'The requested resource /Services/VA…/Entities/user-0123 was not found' };
  const factorNotFound: ErrorCase = { code: 20404, when: 'unknown service or entity, or no factor with this `Sid` on the entity.', message: 'The requested resource /Services/VA…/Entities/user-0123/Factors/YF… was not found' };
  const challengeNotFound: ErrorCase = { code: 20404, when: 'unknown service or entity, or no challenge with this `Sid` on the entity.', message: 'The requested resource /Services/VA…/Entities/user-0123/Challenges/YC… was not found' };
  const invalid = (what: string, message: string): ErrorCase => ({ code: 60200, when: what, message });
  const lockedOut: ErrorCase = { code: 60308, when: `the entity is locked out after ${LOCKOUT.freeFailures} consecutive wrong codes across its challenges.`, retryAfter: true, message: 'Challenge verification attempts limit' };
  const pushRefused: ErrorCase = {
    code: 60324,
    when: 'push: the response\'s signature does not verify with the factor\'s key, or its `kid`, `typ`, `challenge_sid`, `factor_sid`, digests or `iat` (more than 5 minutes away) do not match; it counts as an attempt and as a failure of the entity.',
    message: 'Challenge verification failed: the AuthPayload does not verify (details digest)',
  };
  const op = (spec: Omit<OperationSpec, 'auth'>): Json => operation({ ...spec, auth: true });
  const factorPath = '/v2/Services/{ServiceSid}/Entities/{Identity}';

  // Voice biometrics (Verity extensions).
  const wavBody = (what: string): Json => ({
    required: true,
    description: `${what} The body is the WAV file itself (\`Content-Type: audio/wav\`; audio/x-wav and audio/wave are accepted too), at most 10 MiB: 16-bit PCM, µ-law or A-law, mono or stereo, 8000 or 16000 Hz, at most ${MAX_AUDIO_SECONDS} s.`,
    content: { 'audio/wav': { schema: { type: 'string', format: 'binary' } } },
  });
  const recordingInvalid: ErrorCase = {
    code: 60200,
    when: `the body is empty or no WAV (a form or JSON body, not RIFF/WAVE, cut short), not 16-bit PCM, µ-law or A-law, not mono or stereo, not sampled at 8000 or 16000 Hz, or longer than ${MAX_AUDIO_SECONDS} s.`,
    message: 'Invalid parameter: Recording (Expected audio sampled at 8000 or 16000 Hz; got 44100 Hz. [audio_rate])',
  };
  const recordingRejected: ErrorCase = {
    code: 64011,
    when: `the recording failed a quality check; \`details.problems\` lists each problem (${QUALITY_PROBLEMS.join(', ')}) with a message to show. Record again.`,
    message: 'Recording rejected: Speak a little louder, or move closer to the microphone.',
    details: { problems: [{ code: 'too_quiet', message: 'Speak a little louder, or move closer to the microphone.' }] },
  };
  const recordingBodyErrors: ErrorCase[] = [
    { code: 20001, when: 'a form or JSON body is malformed.', message: 'Malformed request body' },
    { code: 20001, status: 413, when: 'the recording is larger than 10 MiB.', message: 'Request body too large' },
    {
      code: 20001,
      status: 415,
      when: 'the Content-Type is neither audio/wav (audio/x-wav, audio/wave) nor form or JSON (which answer 60200).',
      message: 'Unsupported Content-Type: send application/x-www-form-urlencoded or application/json',
    },
  ];
  const voiceprintsUnavailable = 'the server has no voiceprint models (voiceprints are unavailable)';
  const callTo = invalid('To is missing, longer than 32 characters, or not a phone number.', 'Invalid parameter: To (expected a phone number)');
  const callErrors: ErrorCase[] = [
    { code: 60223, when: 'no voice provider is configured.', message: 'Delivery channel disabled: no voice provider is configured' },
    {
      code: 60212,
      when: `a call to this number is still in progress (ringing or answered); retry once it ends. A call its provider stops reporting on is ended after ${STALE_CALL_MS / 60_000} minutes.`,
      message: 'Too many concurrent requests for phone number: a call to this number is still in progress',
    },
    { code: 60605, when: 'the number\'s country is not in the service\'s AllowedCountries (the send gate).', message: 'Verification delivery attempt blocked: the destination country is not allowed for this service' },
    { code: 60203, when: '5 sends to this number within 10 minutes, verifications and voiceprint calls together (the send gate).', retryAfter: true, message: 'Max send attempts reached' },
    { code: 60410, when: 'too many recent sends to this number\'s prefix (the send gate\'s SMS-pumping cap).', retryAfter: true, message: 'Verification delivery attempt blocked: too many recent sends to this number range' },
    { code: 64301, when: 'the account has sent its budget of messages and calls (the send gate).', retryAfter: true, message: 'Account send budget exhausted: this account has sent its allowance of messages and calls; retry later' },
    { code: 30008, when: 'the voice provider did not place the call.', message: 'Delivery failed: the voice provider did not place the call (twilio)' },
  ];
  return {
    '/v2/Services/{ServiceSid}/AccessTokens': {
      parameters: [serviceSid],
      post: op({
        operationId: 'createAccessToken',
        tag: 'Factors',
        summary: 'Create an enrollment token for a push device',
        description: [
          'Issues a short-lived, single-use token that lets one device enroll one push factor for `Identity` (docs/push.md §1). Hand `token` to the device (e.g. as a QR code); it enrolls with `POST /device/v1/Factors` and `Authorization: Bearer <token>`.',
          '',
          `The token is Verity's own JWT (HS256 under a key derived from the master key, \`typ\` ${JWT_TYPES.enrollment}, \`aud\` ${ENROLLMENT_AUDIENCE}), not the hosted API's Push SDK token. It is accepted once, before \`ttl\` seconds pass.`,
        ].join('\n'),
        form: 'AccessTokenCreateParams',
        ok: { status: 201, description: 'The token.', schema: schemaRef('AccessToken') },
        errors: [
          invalid('Identity missing or not 8–64 dash-separated letters and digits, FactorType missing or not `push`, FactorFriendlyName not 1–64 characters, or Ttl outside 60–300.', 'Invalid parameter: FactorType (expected push)'),
          SERVICE_NOT_FOUND,
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
    },
    '/v2/Services/{ServiceSid}/Entities': {
      parameters: [serviceSid],
      post: op({
        operationId: 'createEntity',
        tag: 'Entities',
        summary: 'Create an entity',
        description: 'Creates an entity (creating a factor also creates its entity when missing).',
        form: 'EntityCreateParams',
        ok: { status: 201, description: 'The new entity.', schema: schemaRef('Entity') },
        errors: [
          invalid('Identity is missing or not 8–64 dash-separated letters and digits.', 'Invalid parameter: Identity'),
          { code: 60306, when: 'an entity with this Identity already exists.', message: 'Invalid Request: an entity with this Identity already exists' },
          SERVICE_NOT_FOUND,
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
      get: op({
        operationId: 'listEntities',
        tag: 'Entities',
        summary: 'List entities',
        description: 'Lists the service\'s entities, oldest first.',
        parameters: page,
        ok: { status: 200, description: 'A page of entities.', schema: schemaRef('EntityList') },
        errors: [...PAGE_ERRORS, SERVICE_NOT_FOUND, ...API_ERRORS],
      }),
    },
    [factorPath]: {
      parameters: [serviceSid, identity],
      get: op({ operationId: 'fetchEntity', tag: 'Entities', summary: 'Fetch an entity', description: 'Fetches one entity.', ok: { status: 200, description: 'The entity.', schema: schemaRef('Entity') }, errors: [entityNotFound, ...API_ERRORS] }),
      delete: op({ operationId: 'deleteEntity', tag: 'Entities', summary: 'Delete an entity', description: 'Deletes the entity with its factors and challenges.', ok: { status: 204, description: 'Deleted (no body).' }, errors: [entityNotFound, ...API_ERRORS] }),
    },
    [`${factorPath}/Factors`]: {
      parameters: [serviceSid, identity],
      post: op({
        operationId: 'createFactor',
        tag: 'Factors',
        summary: 'Create a factor',
        description: [
          'Creates an unverified factor (and the entity if missing). A factor still unverified `VERITY_UNVERIFIED_FACTOR_TTL_HOURS` (24 h by default) after its creation is an abandoned enrolment: it is deleted, with a `factor.deleted` event.',
          '',
          `**TOTP**: the response's \`binding\` holds the secret and otpauth URI, once; verify the factor with a first code. ${TOTP_SEMANTICS}`,
          '',
          '**Push**: `Binding.Alg=ES256` and `Binding.PublicKey` (the device\'s P-256 public key) are required; the response\'s `binding` echoes the key. Devices usually enroll themselves with an enrollment token (`POST …/AccessTokens`, then `POST /device/v1/Factors`) instead. Verify the factor with the device\'s signed statement (`POST …/Factors/{Sid}` with AuthPayload).',
          '',
          PUSH_SEMANTICS,
          '',
          '**Passkeys**: only FriendlyName and Metadata apply; `binding.registration_options` goes to the browser, and its RegistrationResponse verifies the factor (`POST …/Factors/{Sid}` with AuthPayload).',
          '',
          PASSKEY_SEMANTICS,
          '',
          '**Voiceprint** (`FactorType=voiceprint`, a Verity extension): only FriendlyName and Metadata apply; `binding` is null. Enrol it with recordings (`POST …/Factors/{Sid}/Recordings`) or a call (`POST …/Factors/{Sid}/Calls`).',
          '',
          VOICEPRINT_SEMANTICS,
          '',
          'Events: `factor.created`.',
        ].join('\n'),
        form: 'FactorCreateParams',
        ok: { status: 201, description: 'The new factor, with its binding.', schema: schemaRef('Factor') },
        errors: [
          invalid(
            'a parameter is missing or invalid (FriendlyName, FactorType, Identity, Metadata not a JSON object; TOTP: Binding.Secret not base32 of at least 128 bits, Config.* out of range; push: Binding.Alg not ES256, Binding.PublicKey missing or not a base64 DER P-256 key, Config.NotificationPlatform not apn/fcm/none, Config.NotificationToken not 32–255 characters or missing for apn/fcm).',
            'Invalid parameter: Binding.PublicKey (expected base64 DER (SubjectPublicKeyInfo) of a P-256 key)',
          ),
          { code: 60300, when: '`FactorType` is passkeys and the service has no `Passkeys.RelyingParty.Id`.', message: 'Invalid Param: passkeys need the service setting Passkeys.RelyingParty.Id (the domain your sign-in page is served from)' },
          {
            code: 60300,
            when: `\`FactorType\` is voiceprint (a Verity extension) and the entity has neither another verified factor nor unused recovery codes (a biometric is never the only factor), or ${voiceprintsUnavailable}.`,
            message: 'Invalid Param: FactorType (a voiceprint needs another verified factor or recovery codes first: a biometric is never the only factor)',
          },
          SERVICE_NOT_FOUND,
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
      get: op({
        operationId: 'listFactors',
        tag: 'Factors',
        summary: 'List factors',
        description: 'Lists the entity\'s factors, oldest first (never with their binding).',
        parameters: page,
        ok: { status: 200, description: 'A page of factors.', schema: schemaRef('FactorList') },
        errors: [...PAGE_ERRORS, entityNotFound, ...API_ERRORS],
      }),
    },
    [`${factorPath}/Factors/{Sid}`]: {
      parameters: [serviceSid, identity, paramRef('FactorSid')],
      get: op({ operationId: 'fetchFactor', tag: 'Factors', summary: 'Fetch a factor', description: 'Fetches one factor (`binding` is null).', ok: { status: 200, description: 'The factor.', schema: schemaRef('Factor') }, errors: [factorNotFound, ...API_ERRORS] }),
      post: op({
        operationId: 'updateFactor',
        tag: 'Factors',
        summary: 'Update or verify a factor',
        description: [
          `**TOTP**: changes FriendlyName and Config.*; with AuthPayload, verifies an unverified factor (200 \`verified\`, or still \`unverified\` for a wrong code). AuthPayload on a verified factor is ignored. ${TOTP_SEMANTICS}`,
          '',
          `**Push**: AuthPayload (required, at most ${MAX_AUTH_PAYLOAD} characters) is the device's \`${JWT_TYPES.factorVerification}\` statement, a compact JWS \`{factor_sid, status: "verified", iat}\` signed by the bound key: it verifies the factor (on a verified factor a valid one changes nothing); one that does not verify is refused with 60311. Other parameters are ignored.`,
          '',
          `**Passkeys**: AuthPayload (required, at most ${MAX_PASSKEY_PAYLOAD} characters) is the browser's RegistrationResponse JSON for the factor's registration options; it verifies the factor (ignored on a verified factor).`,
          '',
          '**Voiceprint** (a Verity extension): refused with 60300; its recordings verify it (`POST …/Factors/{Sid}/Recordings`).',
          '',
          'Events: `factor.verified`.',
        ].join('\n'),
        form: 'FactorUpdateParams',
        ok: { status: 200, description: 'The factor.', schema: schemaRef('Factor') },
        errors: [
          invalid(`a parameter is invalid (TOTP: AuthPayload not 3–8 characters, Config.* out of range; push: AuthPayload missing or over ${MAX_AUTH_PAYLOAD} characters).`, 'Invalid parameter: AuthPayload (at least 3 characters)'),
          { code: 60311, when: 'push: AuthPayload is not a verification statement signed by the factor\'s bound key (signature, `kid`, `typ`, `factor_sid`, `status` or an `iat` more than 5 minutes away).', message: 'Factor verification failed: AuthPayload is not a statement signed by the bound key' },
          { code: 60300, when: 'the factor is a voiceprint (a Verity extension): its enrolment recordings verify it.', message: 'Invalid Param: a voiceprint factor is verified by its enrolment recordings (POST …/Factors/{Sid}/Recordings)' },
          factorNotFound,
          { code: 60311, when: 'passkeys: AuthPayload is not a valid WebAuthn registration for the factor (challenge, origin, RP ID hash, user presence or verification), or the passkey is already registered in the service.', message: 'Factor verification failed: the AuthPayload is not a valid WebAuthn registration for this factor (challenge, origin, relying party)' },
          { code: 64201, when: 'passkeys: the registration options are more than 5 minutes old; delete the factor and create a new one.', message: 'Passkey registration expired: the registration options are valid for 5 minutes; delete this factor and create a new one' },
          { code: 60310, when: `TOTP: ${MAX_FACTOR_VERIFY_ATTEMPTS} wrong codes were already given for this factor; passkeys: ${MAX_FACTOR_VERIFY_ATTEMPTS} failed registrations. Delete it and create a new one.`, message: 'Factor verification attempts limit' },
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
      delete: op({
        operationId: 'deleteFactor',
        tag: 'Factors',
        summary: 'Delete a factor',
        description: 'Deletes the factor and its challenges (a voiceprint factor also its voiceprint, kept recordings and replay fingerprints).',
        ok: { status: 204, description: 'Deleted (no body).' },
        errors: [factorNotFound, ...API_ERRORS],
      }),
    },
    [`${factorPath}/Factors/{Sid}/Recordings`]: {
      parameters: [serviceSid, identity, paramRef('FactorSid')],
      post: op({
        operationId: 'createVoiceprintRecording',
        tag: 'Factors',
        summary: 'Add an enrolment recording to a voiceprint factor (Verity extension)',
        description: [
          `**Verity extension.** Adds one recording of the pass phrase to an unverified voiceprint factor. 201: the recording was kept (\`config.recordings_accepted\` counts it); the last of ${ENROLLMENT_RECORDINGS} builds the voiceprint and makes the factor \`verified\` (\`factor.verified\`). 200: building the voiceprint showed a recording that does not sound like the others; it was dropped (\`enrollment_problem\`), so record again. The audio stays sealed until the voiceprint is built, then it is deleted unless the service has \`Voiceprint.RetainAudio\`.`,
          '',
          VOICEPRINT_SEMANTICS,
        ].join('\n'),
        requestBody: wavBody('One recording of the pass phrase.'),
        ok: { status: 201, description: 'The recording was kept: the factor (`verified` after the last one), `enrollment_problem` null.', schema: schemaRef('VoiceprintEnrollment') },
        alsoOk: [{ status: 200, description: 'A recording was dropped as inconsistent: the factor, with `enrollment_problem` saying why; record again.', schema: schemaRef('VoiceprintEnrollment') }],
        errors: [
          { ...recordingInvalid, when: `${recordingInvalid.when} Also a sample rate other than that of this enrolment's earlier recordings (\`config.sample_rate\`).` },
          recordingRejected,
          { code: 60300, when: `the factor is not a voiceprint factor, or ${voiceprintsUnavailable}.`, message: 'Invalid Param: not a voiceprint factor' },
          { code: 60306, when: 'the voiceprint is already enrolled (the factor is verified); delete the factor to enrol again.', message: 'Invalid Request: this voiceprint is already enrolled; delete the factor to enroll again' },
          factorNotFound,
          ...recordingBodyErrors,
          ...API_ERRORS,
        ],
      }),
    },
    [`${factorPath}/Factors/{Sid}/Calls`]: {
      parameters: [serviceSid, identity, paramRef('FactorSid')],
      post: op({
        operationId: 'createVoiceprintEnrollmentCall',
        tag: 'Factors',
        summary: 'Enrol a voiceprint on a phone call (Verity extension)',
        description: [
          `**Verity extension.** Calls \`To\` to enrol an unverified voiceprint factor (flow \`voiceprint_enroll\`): ${VOICEPRINT_CALL_FLOWS.voiceprint_enroll}. The factor becomes \`verified\` during the call (\`factor.verified\`), with a voiceprint of 8 kHz telephone audio.`,
          '',
          VOICEPRINT_SEMANTICS,
        ].join('\n'),
        form: 'VoiceprintCallParams',
        ok: { status: 201, description: 'The call, placed.', schema: schemaRef('VoiceprintCall') },
        errors: [
          callTo,
          { code: 60300, when: 'the factor is not a voiceprint factor.', message: 'Invalid Param: not a voiceprint factor' },
          { code: 60306, when: 'the voiceprint is already enrolled (the factor is verified).', message: 'Invalid Request: this voiceprint is already enrolled' },
          ...callErrors,
          factorNotFound,
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
    },
    [`${factorPath}/RecoveryCodes`]: {
      parameters: [serviceSid, identity],
      post: op({
        operationId: 'issueRecoveryCodes',
        tag: 'Entities',
        summary: 'Issue recovery codes (Verity extension)',
        description: '**Verity extension.** Issues 10 new single-use recovery codes for the entity (created if missing), shown once in this response; the previous batch stops working.',
        form: 'RecoveryCodesIssueParams',
        ok: { status: 201, description: 'The new batch, with its codes.', schema: schemaRef('RecoveryCodes') },
        errors: [invalid('Identity is not 8–64 dash-separated letters and digits.', 'Invalid parameter: Identity'), SERVICE_NOT_FOUND, ...API_ERRORS],
      }),
      get: op({
        operationId: 'fetchRecoveryCodes',
        tag: 'Entities',
        summary: 'Count recovery codes (Verity extension)',
        description: '**Verity extension.** How many recovery codes the entity has and how many are unused; never the codes.',
        ok: { status: 200, description: 'The counts.', schema: schemaRef('RecoveryCodes') },
        errors: [entityNotFound, ...API_ERRORS],
      }),
    },
    [`${factorPath}/RecoveryCodes/Check`]: {
      parameters: [serviceSid, identity],
      post: op({
        operationId: 'checkRecoveryCode',
        tag: 'Entities',
        summary: 'Use a recovery code (Verity extension)',
        description:
          '**Verity extension.** Consumes a right, unused code (exactly once, even under concurrent use) and answers `valid: true` with `amr: ["otp"]`; emits `recovery_code.used`. Wrong codes count toward the entity\'s lock-out, shared with its challenges.',
        form: 'RecoveryCodeCheckParams',
        ok: { status: 200, description: 'Whether the code was valid, and how many remain.', schema: schemaRef('RecoveryCodeCheck') },
        errors: [invalid('Code is missing or longer than 32 characters.', 'Invalid parameter: Code (required)'), lockedOut, entityNotFound, ...BODY_ERRORS, ...API_ERRORS],
      }),
    },
    '/v2/Services/{ServiceSid}/Passkeys/AuthenticationOptions': {
      parameters: [serviceSid],
      post: op({
        operationId: 'createPasskeyAuthenticationOptions',
        tag: 'Challenges',
        summary: 'Start a usernameless passkey sign-in (Verity extension)',
        description:
          '**Verity extension.** WebAuthn authentication options without `allowCredentials` (discoverable credentials: the browser offers the passkeys it holds for the RP ID), for `navigator.credentials.get()`. The challenge is single-use and valid 5 minutes. The body may be empty.',
        form: 'PasskeyAuthenticationOptionsParams',
        ok: { status: 201, description: 'The options.', schema: schemaRef('PasskeyAuthenticationOptions') },
        errors: [{ code: 60300, when: 'the service has no `Passkeys.RelyingParty.Id`.', message: 'Invalid Param: passkeys need the service setting Passkeys.RelyingParty.Id (the domain your sign-in page is served from)' }, SERVICE_NOT_FOUND, ...API_ERRORS],
      }),
    },
    '/v2/Services/{ServiceSid}/Passkeys/Authentications': {
      parameters: [serviceSid],
      post: op({
        operationId: 'createPasskeyAuthentication',
        tag: 'Challenges',
        summary: 'Complete a usernameless passkey sign-in (Verity extension)',
        description:
          '**Verity extension.** AuthPayload is the browser\'s AuthenticationResponse JSON for options from `POST …/Passkeys/AuthenticationOptions`. The options are used up first (even by a failing response); the passkey is found by its credential id, the user handle must be its entity\'s, and the assertion is verified as for a challenge (signature, origin, RP ID, counter). Answers who signed in. No event is emitted and no entity failure is counted (no entity is known until the signature verifies).',
        form: 'PasskeyAuthenticationParams',
        ok: { status: 200, description: 'Who signed in.', schema: schemaRef('PasskeyAuthentication') },
        errors: [
          invalid('AuthPayload is missing, not JSON, or not an AuthenticationResponse.', 'Invalid parameter: AuthPayload (required)'),
          { code: 64204, when: 'the response is not for options from AuthenticationOptions of this service, or they were used (even by a failing response) or expired (5 minutes).', message: 'Passkey sign-in options unknown, used or expired: the response is not for options from POST …/Passkeys/AuthenticationOptions, or they were used or expired (5 minutes)' },
          { code: 64205, when: 'the response names no verified passkey of the service, or carries another user handle than the passkey\'s entity.', message: 'Passkey not recognised: no verified passkey of this service has this credential id' },
          { code: 64206, when: 'user verification is required (`Passkeys.UserVerification=required`) and the authenticator did not verify the user (no UV flag).', message: 'Passkey user verification required: the authenticator did not verify the user (UV flag, a biometric or PIN), which this sign-in requires' },
          { code: 64203, when: 'the assertion does not verify (signature, origin or relying party).', message: 'Passkey sign-in failed: the assertion does not verify (signature, origin or relying party)' },
          { code: 64202, when: 'the assertion verifies but its signature counter did not increase (a replay or a cloned authenticator; logged).', message: 'Passkey signature counter did not increase: the assertion was replayed or the authenticator may be cloned; sign in with another factor' },
          { code: 60300, when: 'the service has no `Passkeys.RelyingParty.Id`.', message: 'Invalid Param: passkeys need the service setting Passkeys.RelyingParty.Id (the domain your sign-in page is served from)' },
          SERVICE_NOT_FOUND,
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
    },
    [`${factorPath}/Challenges`]: {
      parameters: [serviceSid, identity],
      post: op({
        operationId: 'createChallenge',
        tag: 'Challenges',
        summary: 'Create a challenge',
        description: [
          'Creates a challenge for a verified factor of the entity.',
          '',
          `**TOTP**: answered at once when AuthPayload is given (201 \`approved\`, or \`pending\` for a wrong code). ${TOTP_SEMANTICS}`,
          '',
          '**Push**: `Details.Message` is required and AuthPayload is refused; the challenge stays `pending` until the device answers it (it lists or streams it from the device API). Show `number_match` (when not null) on the login page and follow `links.events` for the outcome.',
          '',
          PUSH_SEMANTICS,
          '',
          '**Passkeys**: AuthPayload is refused; the response carries `passkey_options` (once) for `navigator.credentials.get()`, and the browser\'s answer goes to `POST …/Challenges/{Sid}`.',
          '',
          '**Voiceprint** (a Verity extension): AuthPayload is refused; the challenge stays `pending` until a recording answers it (`POST …/Challenges/{Sid}/Recording`, or a call: `POST …/Challenges/{Sid}/Calls`).',
          '',
          VOICEPRINT_SEMANTICS,
        ].join('\n'),
        form: 'ChallengeCreateParams',
        ok: { status: 201, description: 'The new challenge.', schema: schemaRef('Challenge') },
        errors: [
          invalid(
            'a parameter is missing or invalid (FactorSid, ExpirationDate not within 60 minutes, Details.Message over 256 or missing for a push factor, Details.Fields, HiddenDetails over 1024 or not a JSON object of strings).',
            'Invalid parameter: ExpirationDate (expected a time in the next 60 minutes)',
          ),
          { code: 60300, when: 'the factor is not verified yet, or AuthPayload is given for a push factor (the device answers), a passkey factor (answered afterwards) or a voiceprint factor (a recording answers).', message: 'Invalid Param: FactorSid (the factor is not verified yet)' },
          { ...factorNotFound, when: 'unknown service or entity, or `FactorSid` is not a factor of this entity.' },
          lockedOut,
          {
            code: 64001,
            when: `push: the entity already got the service's \`Push.MaxChallengesSinceSuccess\` (default 5) push challenges since its last approved challenge within ${PUSH_FATIGUE_WINDOW_MS / 3_600_000} h (push-fatigue cap); it lifts when the user succeeds with any factor or the day passes.`,
            message: 'Push challenge limit: 5 push challenges since the last approved one; sign in with another factor or try again tomorrow',
          },
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
      get: op({
        operationId: 'listChallenges',
        tag: 'Challenges',
        summary: 'List challenges',
        description: 'Lists the entity\'s challenges, filtered by `FactorSid` and `Status`, in creation order (`Order`, default asc). Overdue pending challenges are listed as `expired`.',
        parameters: [
          ...page,
          { name: 'FactorSid', in: 'query', required: false, description: 'Only this factor\'s challenges.', schema: { type: 'string', pattern: sidPattern('YF') } },
          { name: 'Status', in: 'query', required: false, description: 'Only challenges in this status.', schema: { type: 'string', enum: ['pending', 'expired', 'approved', 'denied'] } },
          { name: 'Order', in: 'query', required: false, description: 'Creation order.', schema: { type: 'string', enum: ['asc', 'desc'], default: 'asc' } },
        ],
        ok: { status: 200, description: 'A page of challenges.', schema: schemaRef('ChallengeList') },
        errors: [...PAGE_ERRORS, entityNotFound, ...API_ERRORS],
      }),
    },
    [`${factorPath}/Challenges/{Sid}/Notifications`]: {
      parameters: [serviceSid, identity, paramRef('ChallengeSid')],
      post: op({
        operationId: 'createNotification',
        tag: 'Challenges',
        summary: 'Notify the device of a push challenge again',
        description:
          'Sends a pending push challenge to its device again (the user dismissed it, or the device was offline): the device\'s event stream (`GET /device/v1/Factors/{FactorSid}/Challenges/Stream`) delivers it anew. Verity sends no APNs/FCM notifications.',
        form: 'NotificationCreateParams',
        ok: { status: 201, description: 'The notification.', schema: schemaRef('Notification') },
        errors: [
          invalid('Ttl is outside 0–300.', 'Invalid parameter: Ttl (expected an integer from 0 to 300)'),
          { code: 60306, when: 'the challenge is not a push challenge, or is no longer pending (expired, approved, denied).', message: 'Invalid Request: only push challenges have notifications' },
          challengeNotFound,
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
    },
    [`${factorPath}/Challenges/{Sid}`]: {
      parameters: [serviceSid, identity, paramRef('ChallengeSid')],
      get: op({ operationId: 'fetchChallenge', tag: 'Challenges', summary: 'Fetch a challenge', description: 'Fetches one challenge (an overdue pending one shows `expired`).', ok: { status: 200, description: 'The challenge.', schema: schemaRef('Challenge') }, errors: [challengeNotFound, ...API_ERRORS] }),
      post: op({
        operationId: 'updateChallenge',
        tag: 'Challenges',
        summary: 'Answer a challenge',
        description: [
          `**TOTP**: answers a pending challenge with a code: 200 \`approved\`, or \`pending\` for a wrong or replayed code. ${TOTP_SEMANTICS}`,
          '',
          `**Push**: relays the device's signed response (AuthPayload, at most ${MAX_AUTH_PAYLOAD} characters), as the device would post it to the device API: 200 \`approved\`, or \`denied\` (the user refused, or a wrong number to match: \`denied_reason\`); a response that does not verify is refused with 60324.`,
          '',
          '**Passkeys**: AuthPayload is the browser\'s AuthenticationResponse JSON for the challenge\'s `passkey_options`: 200 `approved` when it verifies and the signature counter increased; 60324 when it does not verify; 64202 when the counter did not increase (a replayed assertion or a cloned authenticator).',
          '',
          '**Voiceprint** (a Verity extension): answered with a recording (`POST …/Challenges/{Sid}/Recording`), not here.',
          '',
          'Events: `challenge.approved`, `challenge.denied`.',
        ].join('\n'),
        form: 'ChallengeUpdateParams',
        ok: { status: 200, description: 'The challenge.', schema: schemaRef('Challenge') },
        errors: [
          invalid(`AuthPayload is missing, over ${MAX_AUTH_PAYLOAD} characters, or (TOTP) not 3–8 characters, or Metadata is not a JSON object.`, 'Invalid parameter: AuthPayload (required)'),
          { code: 60306, when: 'the challenge has expired or was already approved or denied.', message: 'Invalid Request: the challenge has expired' },
          pushRefused,
          {
            code: 60324,
            when: 'passkeys: the assertion\'s signature does not verify with the factor\'s credential, or it was made for another challenge, origin, RP ID or credential; it counts as an attempt and as a failure of the entity.',
            message: 'Challenge verification failed: the AuthPayload is not a valid WebAuthn assertion for this challenge (signature, challenge, origin or relying party)',
          },
          {
            code: 64202,
            when: 'passkeys: the assertion verifies but its signature counter is not above the last one accepted (WebAuthn §6.1.1): a replay or a cloned authenticator; logged, counted as an attempt and a failure of the entity.',
            message: 'Passkey signature counter did not increase: the assertion was replayed or the authenticator may be cloned; sign in with another factor',
          },
          challengeNotFound,
          { code: 60308, when: `${MAX_CHALLENGE_ATTEMPTS} answers were already given for this challenge.`, message: 'Challenge verification attempts limit' },
          lockedOut,
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
    },
    [`${factorPath}/Challenges/{Sid}/Recording`]: {
      parameters: [serviceSid, identity, paramRef('ChallengeSid')],
      post: op({
        operationId: 'createVoiceprintChallengeRecording',
        tag: 'Challenges',
        summary: 'Answer a voiceprint challenge with a recording (Verity extension)',
        description: [
          `**Verity extension.** Answers a pending voiceprint challenge with one recording of the pass phrase. 200 with the challenge and the engine's verdict (\`voiceprint\`): \`match\` approves it (\`amr\` \`${JSON.stringify(AMR_BY_FACTOR_TYPE.voiceprint)}\`, \`challenge.approved\`); \`no_match\` leaves it \`pending\` (record again, up to the attempt limit); \`rejected\` is a replay and denies it (\`denied_reason\` \`replay_suspected\`, \`challenge.denied\`). A mismatch is not an error, but counts toward the factor's biometric lock-out (64012).`,
          '',
          VOICEPRINT_SEMANTICS,
        ].join('\n'),
        requestBody: wavBody('One recording of the pass phrase.'),
        ok: { status: 200, description: 'The challenge (`approved`, still `pending`, or `denied`), with `voiceprint`.', schema: schemaRef('VoiceprintChallenge') },
        errors: [
          recordingInvalid,
          { ...recordingRejected, when: `${recordingRejected.when} It used one of the challenge's attempts but is no biometric failure.` },
          { code: 60300, when: `the challenge is not a voiceprint challenge, or ${voiceprintsUnavailable}.`, message: 'Invalid Param: only voiceprint challenges are answered with a recording' },
          { code: 60306, when: 'the challenge has expired or was already approved or denied.', message: 'Invalid Request: the challenge has expired' },
          challengeNotFound,
          { code: 60308, when: `${MAX_CHALLENGE_ATTEMPTS} recordings were already given for this challenge.`, message: 'Challenge verification attempts limit: too many recordings for this challenge' },
          {
            code: 64012,
            when: `${BIOMETRIC_FREE_FAILURES} consecutive mismatches of this voiceprint: wait (${biometricLockoutDelayMs(BIOMETRIC_FREE_FAILURES) / 1000} s, doubling with each further mismatch up to ${biometricLockoutDelayMs(1_000) / 3_600_000} h) or use another factor. Checked before the recording is read; no attempt is counted.`,
            retryAfter: true,
            message: 'Voiceprint locked: too many voice mismatches in a row; try again later or use another factor',
          },
          ...recordingBodyErrors,
          ...API_ERRORS,
        ],
      }),
    },
    [`${factorPath}/Challenges/{Sid}/Calls`]: {
      parameters: [serviceSid, identity, paramRef('ChallengeSid')],
      post: op({
        operationId: 'createVoiceprintChallengeCall',
        tag: 'Challenges',
        summary: 'Answer a voiceprint challenge on a phone call (Verity extension)',
        description: [
          `**Verity extension.** Calls \`To\` to answer a pending voiceprint challenge (flow \`voiceprint_verify\`): ${VOICEPRINT_CALL_FLOWS.voiceprint_verify}. The recordings answer the challenge as uploaded ones do (attempts, lock-out, replays); follow \`links.events\` or fetch the challenge for the outcome.`,
          '',
          VOICEPRINT_SEMANTICS,
        ].join('\n'),
        form: 'VoiceprintCallParams',
        ok: { status: 201, description: 'The call, placed.', schema: schemaRef('VoiceprintCall') },
        errors: [
          callTo,
          { code: 60300, when: 'the challenge is not a voiceprint challenge.', message: 'Invalid Param: only voiceprint challenges can be answered on a call' },
          { code: 60306, when: 'the challenge is no longer pending (approved, denied, or already marked expired).', message: 'Invalid Request: the challenge is already approved' },
          ...callErrors,
          challengeNotFound,
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The push device API and challenge progress events (Verity extensions)
// ---------------------------------------------------------------------------------------------

const DEVICE_TOKEN = `Every call but enrollment carries \`Authorization: Bearer <device token>\`: a JWT the device signs with its key (header \`{"alg":"ES256","kid":"YF…","typ":"${JWT_TYPES.device}"}\`, payload \`{"sub":"YF…","aud":"${DEVICE_AUDIENCE}","iat","exp"}\`, \`exp - iat\` ≤ ${MAX_DEVICE_TOKEN_SECONDS} s), checked against the bound key of the factor named by \`kid\`, which must be the factor in the path. A deleted factor's tokens stop working at once.`;

function devicePaths(): Json {
  const factorSid = paramRef('DeviceFactorSid');
  const deviceAuth = (when: string): ErrorCase => ({ code: 20003, when, message: 'Authenticate: the device token is invalid or expired' });
  const badDeviceToken = deviceAuth('no, malformed, expired or wrongly signed device token, a token of an unknown or deleted factor, or one for another factor than the path\'s.');
  const rateLimited: ErrorCase = { code: 20429, when: 'the client IP exceeded its request rate (shared with the account API\'s per-IP bucket, `VERITY_RATE_IP_*`) or the factor (device) its own (`VERITY_RATE_DEVICE_FACTOR_*`); or the client IP spent its failed authentications (`VERITY_RATE_AUTH_FAILURES_*`), after which a failed device authentication answers 429 instead of 401.', retryAfter: true, message: 'Too many requests' };
  const streamLimited: ErrorCase = { code: 20429, when: 'the client IP holds `VERITY_EVENTS_MAX_STREAMS_PER_IP` progress streams open on this Verity process already (`Retry-After: 10`), or its request rate, shared with the hosted pages (`VERITY_RATE_HOSTED_IP_*`), is exceeded.', retryAfter: true, message: 'Too many requests' };
  const serverErrors = API_ERRORS.filter((c) => c.code === 20500 || c.code === 20503);
  const notVerified: ErrorCase = { code: 60300, when: 'the factor is not verified yet (an unverified factor\'s token may only read or verify it).', message: 'Invalid Param: the factor is not verified yet' };
  const serviceGone: ErrorCase = { code: 20404, when: 'the factor\'s service no longer exists.', message: 'The requested resource /Services/VA0123456789abcdef0123456789abcdef was not found' };
  const op = (spec: Omit<OperationSpec, 'auth' | 'tag' | 'description'> & { description: string }): Json =>
    operation({ ...spec, tag: 'Push devices', auth: 'device', description: `**Verity extension** (docs/push.md). ${spec.description}` });
  const sse = (description: string, example: string): OperationSpec['ok'] => ({
    status: 200,
    description,
    contentType: 'text/event-stream',
    schema: { type: 'string', description: 'Server-sent events; see the operation description.', example },
  });
  return {
    '/device/v1/Factors': {
      post: op({
        operationId: 'deviceEnroll',
        summary: 'Enroll a push device',
        description:
          'Creates an unverified push factor bound to the device\'s public key, for the Identity and service of the enrollment token (`Authorization: Bearer <enrollment token>` from `POST /v2/Services/{ServiceSid}/AccessTokens`; the entity is created if missing). The token is spent only when the parameters are valid, and enrolls at most one factor. Then verify the factor with `POST /device/v1/Factors/{FactorSid}`. Emits `factor.created`.',
        form: 'DeviceFactorCreateParams',
        ok: { status: 201, description: 'The new factor (status `unverified`, factor_type `push`), with its binding.', schema: schemaRef('Factor') },
        errors: [
          {
            code: 60200,
            when: 'Binding.Alg missing or not ES256, Binding.PublicKey missing or not a base64 DER P-256 key, FriendlyName not 1–64 characters, Config.NotificationPlatform not apn/fcm/none, Config.NotificationToken not 32–255 characters or missing for apn/fcm, or Metadata not a JSON object.',
            message: 'Invalid parameter: Binding.Alg (expected ES256)',
          },
          { code: 20003, when: 'no, malformed, wrongly signed or expired enrollment token, one issued under a retired master key, or one already used.', message: 'Authenticate: the enrollment token was already used' },
          serviceGone,
          ...BODY_ERRORS,
          rateLimited,
          ...serverErrors,
        ],
      }),
    },
    '/device/v1/Factors/{FactorSid}': {
      parameters: [factorSid],
      get: op({
        operationId: 'deviceFetchFactor',
        summary: 'Fetch the device\'s factor',
        description: `The factor (its status, friendly name, identity) and its service's name. ${DEVICE_TOKEN}`,
        ok: { status: 200, description: 'The factor.', schema: schemaRef('DeviceFactor') },
        errors: [badDeviceToken, serviceGone, rateLimited, ...serverErrors],
      }),
      post: op({
        operationId: 'deviceVerifyFactor',
        summary: 'Verify the device\'s factor',
        description: `Proves the device holds the key it bound, which verifies the factor (on a verified factor a valid statement changes nothing). Emits \`factor.verified\`. ${DEVICE_TOKEN}`,
        form: 'DeviceFactorVerifyParams',
        ok: { status: 200, description: 'The factor (status `verified`).', schema: schemaRef('Factor') },
        errors: [
          { code: 60200, when: `AuthPayload is missing or over ${MAX_AUTH_PAYLOAD} characters.`, message: 'Invalid parameter: AuthPayload (required)' },
          badDeviceToken,
          { code: 60311, when: 'AuthPayload is not a verification statement signed by the bound key (signature, `kid`, `typ`, `factor_sid`, `status`, or an `iat` more than 5 minutes away).', message: 'Factor verification failed: AuthPayload is not a statement signed by the bound key' },
          ...BODY_ERRORS,
          rateLimited,
          ...serverErrors,
        ],
      }),
    },
    '/device/v1/Factors/{FactorSid}/Challenges': {
      parameters: [factorSid],
      get: op({
        operationId: 'deviceListChallenges',
        summary: 'List the device\'s challenges',
        description: `The factor's challenges, newest first (at most 50): by default and with \`Status=pending\` the pending, unexpired ones, which this marks delivered (the login page's \`delivered\` event). ${DEVICE_TOKEN}`,
        parameters: [{ name: 'Status', in: 'query', required: false, description: 'Only challenges in this status (default: pending).', schema: { type: 'string', enum: ['pending', 'approved', 'denied', 'expired'] } }],
        ok: { status: 200, description: 'The challenges.', schema: schemaRef('DeviceChallengeList') },
        errors: [
          { code: 60200, when: 'Status is not pending, approved, denied or expired.', message: 'Invalid parameter: Status' },
          notVerified,
          badDeviceToken,
          serviceGone,
          rateLimited,
          ...serverErrors,
        ],
      }),
    },
    '/device/v1/Factors/{FactorSid}/Challenges/Stream': {
      parameters: [factorSid],
      get: op({
        operationId: 'deviceStreamChallenges',
        summary: 'Stream the device\'s pending challenges (server-sent events)',
        description: `A \`text/event-stream\` that starts with the comment \`: connected\`, then sends one \`event: challenge\` (\`data\`: a DeviceChallenge as JSON) per pending challenge: at once for those already pending, live for new ones (and again after \`POST …/Challenges/{Sid}/Notifications\`), each marked delivered. A \`: keep-alive\` comment comes every 15 s. The stream ends when the device token expires or the factor is deleted: reconnect with a fresh token. ${DEVICE_TOKEN}`,
        ok: sse(
          'A server-sent event stream that lasts until the device token expires.',
          'event: challenge\ndata: {"sid":"YC0123456789abcdef0123456789abcdef","factor_sid":"YF0123456789abcdef0123456789abcdef","status":"pending",…}\n\n',
        ),
        errors: [notVerified, badDeviceToken, serviceGone, rateLimited, ...serverErrors],
      }),
    },
    '/device/v1/Factors/{FactorSid}/Challenges/{Sid}': {
      parameters: [factorSid, paramRef('ChallengeSid')],
      post: op({
        operationId: 'deviceRespondChallenge',
        summary: 'Answer a challenge from the device',
        description: `Approves or denies a pending challenge of this factor with a signed response. A wrong \`number\` to match denies it (\`denied_reason\` number_mismatch, a login the user did not start). Emits \`challenge.approved\` or \`challenge.denied\`. ${PUSH_SEMANTICS} ${DEVICE_TOKEN}`,
        form: 'DeviceChallengeResponseParams',
        ok: { status: 200, description: 'The challenge as answered (`approved` or `denied`).', schema: schemaRef('DeviceChallenge') },
        errors: [
          { code: 60200, when: `AuthPayload is missing or over ${MAX_AUTH_PAYLOAD} characters, or Metadata is not a JSON object.`, message: 'Invalid parameter: AuthPayload (required)' },
          notVerified,
          { code: 60306, when: 'the challenge has expired or was already approved or denied.', message: 'Invalid Request: the challenge has expired' },
          badDeviceToken,
          {
            code: 60324,
            when: 'the response\'s signature does not verify with the factor\'s key, or its `kid`, `typ`, `challenge_sid`, `factor_sid`, digests or `iat` do not match, or `number` is missing while number matching is on; it counts as an attempt and as a failure of the entity.',
            message: 'Challenge verification failed: the AuthPayload does not verify (signature, key id, type or time)',
          },
          { code: 20404, when: 'no challenge with this `Sid` belongs to this factor.', message: 'The requested resource /device/v1/Factors/YF…/Challenges/YC… was not found' },
          { code: 60308, when: `${MAX_CHALLENGE_ATTEMPTS} answers were already given for this challenge.`, message: 'Challenge verification attempts limit' },
          { code: 60308, when: `the entity is locked out after ${LOCKOUT.freeFailures} consecutive failures across its challenges.`, retryAfter: true, message: 'Challenge verification attempts limit' },
          ...BODY_ERRORS,
          rateLimited,
          ...serverErrors,
        ],
      }),
    },
    '/events/v1/Challenges/{Sid}/{Token}': {
      parameters: [paramRef('ChallengeSid'), paramRef('ChallengeEventsToken')],
      get: operation({
        operationId: 'streamChallengeEvents',
        tag: 'Push devices',
        summary: 'Stream a challenge\'s progress (server-sent events)',
        description: [
          '**Verity extension** (docs/push.md §5). The URL is a challenge\'s `links.events`: no credentials, its token grants reading this challenge\'s progress and nothing else, so the waiting login page can open it from the browser (`new EventSource(url)`).',
          '',
          'A `text/event-stream` that starts with the comment `: connected`; each event has `id:` its sequence number, `event:` its name and `data:` a ChallengeProgressEvent as JSON:',
          '',
          '| id | event | when |',
          '|---|---|---|',
          '| 1 | `created` | the challenge exists, pending |',
          '| 2 | `delivered` | the device fetched it (skipped if it never did) |',
          '| 3 | `approved`, `denied` or `expired` | the outcome; the stream ends |',
          '',
          'A reconnecting client sends `Last-Event-ID` and gets only later events; drop an event whose sequence is lower than one already seen. The events are computed from the database, so the stream is right on whichever Verity node it reaches.',
        ].join('\n'),
        auth: false,
        parameters: [paramRef('LastEventId')],
        ok: sse(
          'A server-sent event stream that ends after the outcome (sequence 3).',
          'id: 1\nevent: created\ndata: {"sequence":1,"event":"created","challenge_sid":"YC0123456789abcdef0123456789abcdef","status":"pending","date":"2026-01-01T12:00:00Z"}\n\nid: 3\nevent: approved\ndata: {"sequence":3,"event":"approved","challenge_sid":"YC0123456789abcdef0123456789abcdef","status":"approved","date":"2026-01-01T12:00:09Z"}\n\n',
        ),
        errors: [
          { code: 20404, when: 'malformed or unknown challenge SID, or a token that is not this challenge\'s.', message: 'The requested resource /events/v1/Challenges/YC0123456789abcdef0123456789abcdef was not found' },
          streamLimited,
          ...serverErrors,
        ],
      }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Voice: a verification's progress stream, the simulated phones, the voice platforms' webhooks
// ---------------------------------------------------------------------------------------------

function voicePaths(): Json {
  const serverErrors = API_ERRORS.filter((c) => c.code === 20500 || c.code === 20503);
  const sse = (description: string, example: string): OperationSpec['ok'] => ({
    status: 200,
    description,
    contentType: 'text/event-stream',
    schema: { type: 'string', description: 'Server-sent events; see the operation description.', example },
  });
  const progressRows = Object.entries(PROGRESS_EVENTS).map(([event, when]) => `| \`${event}\` | ${when} |`);

  // The simulated phones (development only).
  const phone = paramRef('SimPhoneNumber');
  const simCall = paramRef('SimCallSid');
  const simNote = '**Development only**: present only with the simulator voice provider (`VERITY_VOICE_PROVIDER=simulator`, the development default, which production refuses); otherwise 20404. No authentication: whoever reaches it plays the phone, and prompts (and their audio) contain the codes.';
  const simErrors = {
    badNumber: { code: 60200, when: '`number` is not an E.164 phone number.', message: 'Invalid parameter: number (expected an E.164 phone number such as +14155552671)' } satisfies ErrorCase,
    absent: { code: 20404, when: 'the simulator voice provider is not enabled (the route does not exist).', message: 'The requested resource /sim/v1/phones/%2B14155552671/calls was not found' } satisfies ErrorCase,
    unknownCall: { code: 20404, when: 'no call with this `sid` to this phone (or the simulator voice provider is not enabled).', message: 'The requested resource /sim/v1/phones/%2B14155552671/calls/CL0123456789abcdef0123456789abcdef was not found' } satisfies ErrorCase,
    wrongState: (what: string): ErrorCase => ({ code: 60306, when: what, message: 'Invalid Request: The call is not waiting for digits (in-progress, playing prompts)' }),
  };
  const callAction = (operationId: string, summary: string, description: string, wrongState: string, extra: Partial<OperationSpec> = {}): Json =>
    operation({
      operationId,
      tag: 'Simulator',
      summary: `${summary} (development only)`,
      description: `${simNote} ${description} Answers with the call after the action and Verity's answer to it.`,
      auth: false,
      ok: { status: 200, description: 'The call, after the action.', schema: schemaRef('SimCall') },
      errors: [simErrors.badNumber, ...(extra.errors ?? []), simErrors.wrongState(wrongState), simErrors.unknownCall],
      ...(extra.requestBody ? { requestBody: extra.requestBody } : {}),
    });
  const simForm = (schema: Json): Json => ({
    required: true,
    description: 'Form-encoded or JSON.',
    content: { [FORM]: { schema }, [JSON_TYPE]: { schema } },
  });

  // The voice platforms' webhooks.
  const callSid = paramRef('VoiceCallSid');
  const twilioSignature: Json = {
    name: 'X-Twilio-Signature',
    in: 'header',
    required: true,
    description: 'Twilio\'s signature: base64 HMAC-SHA1, keyed with the account auth token (`VERITY_TWILIO_WEBHOOK_AUTH_TOKEN`, default `VERITY_TWILIO_AUTH_TOKEN`), of the full URL (`VERITY_PUBLIC_URL` + path and query) followed by the sorted form parameters.',
    schema: { type: 'string' },
  };
  const twilioRefused: ErrorCase = { code: 20003, status: 403, when: 'X-Twilio-Signature is missing or does not match (wrong auth token, or a `VERITY_PUBLIC_URL` other than the one the call was placed with).', message: 'The X-Twilio-Signature header is missing or does not match the request' };
  const bandwidthRefused: ErrorCase = { code: 20003, when: 'the callback does not carry the callback credentials as HTTP Basic (checked before the body is read).', message: 'Bandwidth callbacks must carry the configured callback credentials (HTTP Basic)' };
  const twilioBody: Json = { required: true, description: 'Twilio\'s form-encoded webhook parameters.', content: { [FORM]: { schema: schemaRef('TwilioVoiceCallback') } } };
  const bandwidthBody: Json = { required: true, description: 'Bandwidth\'s JSON callback event.', content: { [JSON_TYPE]: { schema: schemaRef('BandwidthVoiceCallback') } } };
  const xml = (what: string, contentType: string, example: string): OperationSpec['ok'] => ({
    status: 200,
    description: `${what} for the call's next step (a hang-up document when the call is unknown, over, or its verification is no longer pending).`,
    contentType,
    schema: { type: 'string', example },
  });
  const twiml = xml('TwiML', 'text/xml', '<?xml version="1.0" encoding="UTF-8"?><Response><Gather …><Say language="en-US">…</Say></Gather></Response>');
  const bxml = xml('BXML', 'application/xml', '<?xml version="1.0" encoding="UTF-8"?><Response><Gather …><SpeakSentence locale="en_US" gender="female">…</SpeakSentence></Gather></Response>');
  const twilioOp = (event: string, summary: string, description: string, ok: OperationSpec['ok']): Json =>
    operation({
      operationId: `twilioVoice${event}`,
      tag: 'Voice provider webhooks',
      summary: `Twilio: ${summary}`,
      description: `Called by Twilio, not by applications; present only with \`VERITY_VOICE_PROVIDER=twilio\`. ${description} Every request must carry a valid X-Twilio-Signature, else 403.`,
      auth: false,
      parameters: [twilioSignature],
      requestBody: twilioBody,
      ok,
      errors: [twilioRefused, ...serverErrors],
    });
  const bandwidthOp = (event: string, summary: string, description: string, ok: OperationSpec['ok']): Json =>
    operation({
      operationId: `bandwidthVoice${event}`,
      tag: 'Voice provider webhooks',
      summary: `Bandwidth: ${summary}`,
      description: `Called by Bandwidth, not by applications; present only with \`VERITY_VOICE_PROVIDER=bandwidth\`. ${description} Bandwidth signs nothing: every callback must carry \`VERITY_BANDWIDTH_CALLBACK_USERNAME\`/\`VERITY_BANDWIDTH_CALLBACK_PASSWORD\` as HTTP Basic (Verity gives them to Bandwidth with each call), else 401.`,
      auth: 'bandwidth',
      requestBody: bandwidthBody,
      ok,
      errors: [bandwidthRefused, ...serverErrors],
    });
  const ended = { status: 204, description: 'Recorded (no body). Refusals by the call engine are logged, never answered with an error.' };

  return {
    '/events/v1/Verifications/{Sid}/{Token}': {
      parameters: [paramRef('VerificationSid'), paramRef('VerificationEventsToken')],
      get: operation({
        operationId: 'streamVerificationEvents',
        tag: 'Verifications',
        summary: 'Stream a call verification\'s progress (server-sent events)',
        description: [
          '**Verity extension.** The URL is a call verification\'s `links.events`: no credentials, its token grants reading this verification\'s progress and nothing else, so the waiting login page can open it from the browser (`new EventSource(url)`).',
          '',
          'A `text/event-stream` that starts with the comment `: connected`; each event has `id:` its per-verification sequence number, `event:` its name and `data:` a VerificationProgressEvent as JSON `{verification_sid, sequence, event, call_sid, data, date}`. Data never holds a code or a pressed digit. Events, in the order they usually come:',
          '',
          '| event | when |',
          '|---|---|',
          ...progressRows,
          '',
          'Events of the verification\'s outcome have `call_sid` null; the others name the call (a resent verification may have several). The stream ends once the verification is no longer pending and none of its calls is live. A reconnecting client sends `Last-Event-ID` and gets only later events. The events are read from the database, so the stream is right on whichever Verity node it reaches. The same events go to webhooks as `verification.progress`.',
        ].join('\n'),
        auth: false,
        parameters: [paramRef('VerificationLastEventId')],
        ok: sse(
          'A server-sent event stream that ends after the verification is decided and its calls ended.',
          'id: 1\nevent: queued\ndata: {"verification_sid":"VE0123456789abcdef0123456789abcdef","sequence":1,"event":"queued","call_sid":"CL0123456789abcdef0123456789abcdef","data":{"flow":"press_one","provider":"twilio"},"date":"2026-01-01T12:00:00Z"}\n\nid: 7\nevent: approved\ndata: {"verification_sid":"VE0123456789abcdef0123456789abcdef","sequence":7,"event":"approved","call_sid":null,"data":{},"date":"2026-01-01T12:00:21Z"}\n\n',
        ),
        errors: [
          { code: 20404, when: 'malformed or unknown verification SID, or a token that is not this verification\'s.', message: 'The requested resource /events/v1/Verifications/VE0123456789abcdef0123456789abcdef was not found' },
          { code: 20429, when: 'the client IP holds `VERITY_EVENTS_MAX_STREAMS_PER_IP` progress streams open on this Verity process already (`Retry-After: 10`), or its request rate, shared with the hosted pages (`VERITY_RATE_HOSTED_IP_*`), is exceeded.', retryAfter: true, message: 'Too many requests' },
          ...serverErrors,
        ],
      }),
    },
    '/sim/v1/phones/{number}/calls': {
      parameters: [phone],
      get: operation({
        operationId: 'listSimulatorPhoneCalls',
        tag: 'Simulator',
        summary: 'List a simulated phone\'s calls (development only)',
        description: `${simNote} The calls Verity placed to the number, newest first, with what was said on each.`,
        auth: false,
        ok: { status: 200, description: 'The phone\'s calls.', schema: schemaRef('SimCallList') },
        errors: [simErrors.badNumber, simErrors.absent],
      }),
    },
    '/sim/v1/phones/{number}/calls/{sid}': {
      parameters: [phone, simCall],
      get: operation({
        operationId: 'fetchSimulatorPhoneCall',
        tag: 'Simulator',
        summary: 'Fetch a simulated call (development only)',
        description: `${simNote} One call of the phone.`,
        auth: false,
        ok: { status: 200, description: 'The call.', schema: schemaRef('SimCall') },
        errors: [simErrors.badNumber, simErrors.unknownCall],
      }),
    },
    '/sim/v1/phones/{number}/calls/{sid}/answer': {
      parameters: [phone, simCall],
      post: callAction('answerSimulatorPhoneCall', 'Answer a ringing call', 'Picks up; answers once Verity\'s first prompts were played (see `prompts` and `waiting_for`).', 'the call is not ringing.'),
    },
    '/sim/v1/phones/{number}/calls/{sid}/reject': {
      parameters: [phone, simCall],
      post: callAction('rejectSimulatorPhoneCall', 'Decline a ringing call', 'Declines the call (`rejected`).', 'the call is not ringing.'),
    },
    '/sim/v1/phones/{number}/calls/{sid}/hangup': {
      parameters: [phone, simCall],
      post: callAction('hangUpSimulatorPhoneCall', 'Hang up', 'The phone hangs up: `completed` (or `rejected` while ringing).', 'the call has already ended.'),
    },
    '/sim/v1/phones/{number}/calls/{sid}/dtmf': {
      parameters: [phone, simCall],
      post: callAction('pressSimulatorPhoneKeys', 'Press keys', 'Keys for the waiting gather (`waiting_for: digits`); answers after Verity\'s answer when the gather is complete. Keys pressed while no gather waits are refused.', 'the call is not waiting for digits.', {
        requestBody: simForm({ type: 'object', required: ['digits'], properties: { digits: { type: 'string', pattern: '^[0-9*#]{1,32}$', description: '1 to 32 of 0-9, * and #.', example: '482913' } } }),
        errors: [{ code: 60200, when: '`digits` is missing or not 1 to 32 of 0-9, * and #.', message: 'Invalid parameter: digits (1 to 32 of 0-9, * and #)' }, ...BODY_ERRORS],
      }),
    },
    '/sim/v1/phones/{number}/calls/{sid}/speak': {
      parameters: [phone, simCall],
      post: callAction('speakToSimulatorPhoneCall', 'Speak', 'What the callee says, for the waiting record step (`waiting_for: recording`).', 'the call is not recording.', {
        requestBody: { required: true, description: 'A 16-bit PCM WAV, at most 5 MiB.', content: { 'audio/wav': { schema: { type: 'string', format: 'binary' } } } },
        errors: [
          { code: 60200, when: 'the body is not a 16-bit PCM WAV.', message: 'Invalid parameter: Expected a 16-bit PCM WAV (unreadable)' },
          { code: 20001, status: 413, when: 'the WAV is larger than 5 MiB.', message: 'Request body too large' },
          { code: 20001, status: 415, when: 'the Content-Type is not audio/wav (audio/x-wav and audio/wave are accepted too).', message: 'Unsupported Content-Type: send the speech as audio/wav' },
        ],
      }),
    },
    '/sim/v1/phones/{number}/busy': {
      parameters: [phone],
      post: operation({
        operationId: 'setSimulatorPhoneBusy',
        tag: 'Simulator',
        summary: 'Make a simulated phone busy (development only)',
        description: `${simNote} While busy, every call placed to the number ends at once as \`busy\`.`,
        auth: false,
        requestBody: simForm({ type: 'object', required: ['busy'], properties: { busy: { type: 'boolean', description: '`true` or `false`.' } } }),
        ok: { status: 200, description: 'The phone\'s state.', schema: schemaRef('SimPhoneBusy') },
        errors: [simErrors.badNumber, { code: 60200, when: '`busy` is missing or not true/false.', message: 'Invalid parameter: busy (required: true or false)' }, ...BODY_ERRORS, simErrors.absent],
      }),
    },
    '/sim/v1/phones/{number}/stream': {
      parameters: [phone],
      get: operation({
        operationId: 'streamSimulatorPhone',
        tag: 'Simulator',
        summary: 'Stream a simulated phone (development only, server-sent events)',
        description: `${simNote} A \`text/event-stream\` that starts with the comment \`: connected\`, then sends \`event: call\` with \`data: <SimCall JSON>\` on every change of any call to the number (placed, ringing, a prompt, ended), and a \`: keep-alive\` comment every 15 s. Earlier calls are not replayed (list them).`,
        auth: false,
        ok: sse('A server-sent event stream that lasts until the client leaves.', 'event: call\ndata: {"sid":"CL0123456789abcdef0123456789abcdef","from":"+15005550006","to":"+14155552671","status":"ringing","prompts":[],"waiting_for":null,…}\n\n'),
        errors: [simErrors.badNumber, simErrors.absent],
      }),
    },
    '/sim/v1/audio/{file}': {
      parameters: [paramRef('SimAudioFile')],
      get: operation({
        operationId: 'fetchSimulatorPromptAudio',
        tag: 'Simulator',
        summary: 'Hear a prompt (development only)',
        description: `${simNote} The spoken prompt of a SimPrompt's \`audio_url\`, rendered with espeak-ng (\`Cache-Control: no-store\`: it may speak a code).`,
        auth: false,
        ok: { status: 200, description: 'The prompt as a WAV.', contentType: 'audio/wav', schema: { type: 'string', format: 'binary' } },
        errors: [{ code: 20404, when: 'no such prompt audio (unknown id, not rendered, or the simulator voice provider is not enabled).', message: 'The requested resource /sim/v1/audio/0123456789abcdef0123456789abcdef.wav was not found' }],
      }),
    },
    '/voice/twilio/calls/{CallSid}/answer': {
      parameters: [callSid],
      post: twilioOp('Answer', 'the call was answered', 'Twilio fetches the call\'s first instructions (`Url` of the call).', twiml),
    },
    '/voice/twilio/calls/{CallSid}/gather': {
      parameters: [callSid],
      post: twilioOp('Gather', 'keys were pressed', 'The `<Gather>` action: `Digits` (empty after a timeout) go to the call flow.', twiml),
    },
    '/voice/twilio/calls/{CallSid}/record': {
      parameters: [callSid],
      post: twilioOp('Record', 'a recording is ready', 'The `<Record>` action: Verity downloads `RecordingUrl` (with the REST credentials) for the call flow; a download that fails counts as an empty recording.', twiml),
    },
    '/voice/twilio/calls/{CallSid}/status': {
      parameters: [callSid],
      post: twilioOp('Status', 'the call status changed', 'The call\'s `StatusCallback`: `CallStatus=ringing` records the `ringing` progress event; an end (completed, busy, no-answer, failed, canceled) ends the call; other statuses are ignored.', ended),
    },
    '/voice/bandwidth/calls/{CallSid}/answer': {
      parameters: [callSid],
      post: bandwidthOp('Answer', 'the call was answered', 'The `answer` event (`answerUrl` of the call): Bandwidth fetches the call\'s first instructions.', bxml),
    },
    '/voice/bandwidth/calls/{CallSid}/gather': {
      parameters: [callSid],
      post: bandwidthOp('Gather', 'keys were pressed', 'The `gather` event: `digits` (empty after a timeout) go to the call flow.', bxml),
    },
    '/voice/bandwidth/calls/{CallSid}/record': {
      parameters: [callSid],
      post: bandwidthOp('Record', 'a recording is ready', 'The `recordComplete` event: Verity downloads `mediaUrl` (with the API credentials) for the call flow; a download that fails counts as an empty recording.', bxml),
    },
    '/voice/bandwidth/calls/{CallSid}/disconnect': {
      parameters: [callSid],
      post: bandwidthOp('Disconnect', 'the call ended', 'The `disconnect` event (`disconnectUrl` of the call): `cause` hangup, busy, timeout, cancel or rejected ends the call as completed, busy, no-answer, canceled or rejected; any other cause as failed.', ended),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Hand-off between trust domains (Verity extension)
// ---------------------------------------------------------------------------------------------


function handoffSchemas(listOf: (key: string, item: string, description: string) => Json): Record<string, Json> {
  return {
    HandoffClient: extension({
      type: 'object',
      description: 'An application that may send its users to Verity with a signed hand-off request.',
      required: ['sid', 'account_sid', 'service_sid', 'friendly_name', 'return_urls', 'algorithm', 'jwks', 'date_created', 'date_updated', 'url'],
      properties: {
        sid: sid('HC', 'Hand-off client SID: the `iss` and `kid` of its requests, the `aud` of its results.'),
        account_sid: sid('AC', 'Account SID.'),
        service_sid: sid('VA', 'Service SID.'),
        friendly_name: { type: 'string' },
        return_urls: { type: 'array', items: { type: 'string', format: 'uri' }, description: 'The allowed `return_to` values (exact match).' },
        algorithm: { type: 'string', enum: ['HS256', 'ES256', 'EdDSA'], description: 'How its requests are signed: with the generated secret (HS256) or a key of its JWKS.' },
        jwks: { type: ['object', 'null'], description: 'The client\'s public JWKS (ES256/EdDSA clients), else null.' },
        date_created: dateTime('When the client was created,'),
        date_updated: dateTime('When the client last changed,'),
        url: url('Absolute URL of this client.'),
      },
    }),
    HandoffClientCreated: extension({
      description: 'The client as created; an HS256 client also gets its secret, shown only in this response.',
      allOf: [
        schemaRef('HandoffClient'),
        {
          type: 'object',
          properties: {
            secret: { type: 'string', description: 'HS256 clients only: the 256-bit signing secret (base64url; the HMAC key is its UTF-8 text). Stored sealed: keep it, it cannot be read again.' },
          },
        },
      ],
    }),
    HandoffClientList: listOf('handoff_clients', 'HandoffClient', 'A page of hand-off clients, oldest first (without secrets).'),
    HandoffClientCreateParams: extension({
      type: 'object',
      required: ['FriendlyName', 'ReturnUrl'],
      properties: {
        FriendlyName: { type: 'string', minLength: 1, maxLength: 64, description: 'A name for the application.' },
        ReturnUrl: {
          type: 'array',
          minItems: 1,
          maxItems: 10,
          items: { type: 'string', format: 'uri' },
          description: 'Allowed return URLs, as repeated keys: https (http only for localhost and 127.0.0.1), no credentials, no fragment. A request\'s `return_to` must equal one exactly.',
        },
        Jwks: { type: 'string', maxLength: 16384, description: 'The application\'s public keys as a JSON JWKS: 1–10 keys, all EC P-256 (ES256) or all Ed25519 (EdDSA), a distinct `kid` each when several; no private keys. Absent: Verity generates an HS256 secret.' },
      },
    }),
    HandoffJwks: extension({
      type: 'object',
      description: 'Verity\'s result-signing keys (RFC 7517 §5): the current one and, for 24 h after a rotation, the previous ones.',
      required: ['keys'],
      properties: { keys: { type: 'array', items: { type: 'object', required: ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use'], properties: { kty: { const: 'EC' }, crv: { const: 'P-256' }, x: { type: 'string' }, y: { type: 'string' }, kid: { type: 'string', description: 'RFC 7638 thumbprint.' }, alg: { const: 'ES256' }, use: { const: 'sig' } } } } },
    }),
  };
}

/** How the hosted pages keep a hand-off (src/http/routes/handoff-flow.ts, src/handoff/handoff-session.ts; docs/handoff.md). */
const HOSTED_SESSION = `The hand-off session lives on the server (table \`handoff_sessions\`; its state sealed with AES-256-GCM under the master key and bound to its row; usable ${HANDOFF_SESSION_MS / 60_000} minutes from the request; the row is deleted ${HANDOFF_SESSION_RETENTION_MS / 60_000} minutes after it expired), bound to the browser by a cookie: \`verity_handoff\` over HTTP, \`__Host-verity_handoff\` over HTTPS (\`Secure\`), 32 random bytes, \`HttpOnly\`, \`SameSite=Lax\` (sent with the top-level GET from the application's site, never with another site's POST), \`Path=/\`, \`Max-Age\` 24 h, refreshed by each new hand-off and shared by hand-offs in other tabs. Verity keeps only its SHA-256 and compares it in constant time: the session id, visible in URLs and logs, opens nothing without it (403 "This sign-in page belongs to another browser", no link). Every form posts the form token \`<session id>.<form nonce>\` (16 random bytes each, base64url) as \`session\`; a step claims the nonce with one conditional UPDATE (of concurrent submissions exactly one acts), acts once, gives the session a new nonce and answers \`303 See Other\` to the session's page \`GET /handoff/page/<id>\` (or to \`return_to\` with the result), so reload, Back and Forward repeat nothing: no second code, text, call or push, no new challenge, no new recovery codes. A stale form (double click, resubmit, an old tab, a page from the back-forward cache), or a finished or expired session, acts not at all: \`303\` to the session's page. A step refused inside the session answers an error page with the reason, "Back to the sign-in page" and "Return to <app>"; its form stays valid.`;

/** The request limits of every hosted route (src/http/hosted-rate-limits.ts): a 429 page (or JSON for a page's script) with Retry-After. */
function hostedLimits(type: string, also?: string): Json {
  const json = type === JSON_TYPE;
  return {
    description: `${json ? '`{message, retry: true}` for the page\'s script' : 'An HTML page in the page\'s language that says when to try again'}: too many requests from this client IP or for this hand-off session (token buckets in the database, shared by every Verity process: \`VERITY_RATE_HOSTED_IP_*\`, \`VERITY_RATE_HOSTED_SESSION_*\`; the forms that text or call spend stricter ones too, \`VERITY_RATE_HOSTED_SEND_*\`), with \`Retry-After\` in seconds.${also ? ` ${also}` : ''}`,
    headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
    content: { [type]: { schema: json ? { type: 'object', properties: { message: { type: 'string' }, retry: { type: 'boolean' } } } : { type: 'string' } } },
  };
}

/**
 * A hosted page's refusals are HTML pages (not the API's JSON errors): one response per status, and
 * the request limits' 429 (`limitType`: JSON for an endpoint a page's script reads; a 429 entry of
 * `refusals` is added to its description).
 */
function hostedPage(op: Json, refusals: Record<number, string>, limitType = 'text/html'): Json {
  const responses = op.responses as Json;
  for (const [status, description] of Object.entries(refusals)) {
    if (status !== '429') responses[status] = { description: `An HTML error page: ${description}`, content: { 'text/html': { schema: { type: 'string' } } } };
  }
  responses['429'] = hostedLimits(limitType, refusals[429]);
  return op;
}

/** How every hosted form is refused before its step runs (handoff-flow.ts), followed by the step's own refusals. */
function formRefusals(own: Record<number, string> = {}): Record<number, string> {
  const common: Record<number, string> = {
    400: 'The form token (`session`) is missing or malformed.',
    403: 'The session belongs to another browser (the request lacks its binding cookie, or carries another): "This sign-in page belongs to another browser", no link and nothing of the application.',
    404: 'No such session: unknown, or deleted an hour after it expired ("no longer available": go back to the application and start again, no link).',
  };
  const out: Record<number, string> = {};
  for (const status of new Set([...Object.keys(common), ...Object.keys(own)].map(Number))) out[status] = [common[status], own[status]].filter(Boolean).join(' ');
  return out;
}

/**
 * What a hosted form answers (POST → 303 → GET): 303 See Other to the session's page, which then
 * shows `next`; with `result`, the step may end the hand-off with a 303 to `return_to` instead.
 */
function stepAnswer(next: string, result?: string): OperationSpec['ok'] {
  const toPage = `\`Location\` is the session's page \`/handoff/page/<id>\`, which now shows ${next}`;
  const stale = 'A stale form or a finished or expired session acts not at all and lands on that page too (the "done" or the expired page).';
  return {
    status: 303,
    description: result ? `${result}: \`Location\` is \`return_to\` with \`result\` and \`state\` added to its query. Otherwise ${toPage}. ${stale}` : `${toPage}. ${stale}`,
    headers: { Location: { description: 'The session\'s page, or `return_to` with the result.', schema: { type: 'string' } } },
  };
}

/** The form token field of every hosted form. */
const FORM_TOKEN: Json = { type: 'string', pattern: '^[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{22}$', description: 'The form token of the page: `<session id>.<form nonce>`. It acts once; the page after the step carries a new one.' };

/** The enrollment hub's forms (hosted-factors/enrollment-hub.ts): each posts the form token, acts once and answers 303 to the session's page. */
function handoffEnrollPaths(tag: string): Json {
  const refusals = formRefusals({ 400: 'The request does not offer the method this form adds.', 403: 'The session carries no enrollment grant (the user has not proven who they are on these pages), or its user changed.', 409: 'This enrollment was already finished.' });
  const form = (operationId: string, summary: string, description: string, fields: string[] = [], result?: string): Json => ({
    post: hostedPage(
      operation({
        operationId,
        tag,
        summary,
        description: `**Verity extension.** ${description}`,
        auth: false,
        requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session', ...fields], properties: Object.fromEntries(['session', ...fields].map((f) => [f, f === 'session' ? FORM_TOKEN : { type: 'string' }])) } } } },
        ok: stepAnswer('the next page of the hub, or the same page with the reason', result),
        errors: [],
      }),
      refusals,
    ),
  });
  const done = form('finishHandoffEnrollment', 'Finish an enrollment hand-off (hosted page form)', 'The hub\'s "Done": `303` to `return_to?result=<result JWT>&state=<state>`. `amr` is the proof behind the grant (the step-up factor, or the phone code); for a user who had nothing to prove, what they proved on the hub (a method added and confirmed in this session, or the code to a new number). The result carries `phone_number` (E.164) when a number was confirmed on the hub. With nothing proven, the hub again with the reason.', [], 'Finished');
  /** Rename and remove: the user's own verified factor, after a step-up; a refusal is the hub with the reason, whose page answers its status. */
  const manage = 'Checked on the server at every step: the session holds the enrollment grant, and either the grant\'s `amr` is not empty (a factor proven on these pages in this session) or the factor was added in this session (a grant without proof may only undo its own additions; the hub shows no Rename/Remove for the rest); `factor` is looked up within the session\'s user only. Refused: the hub with the reason, and the session\'s page answers 403 (no step-up) or 404 (not a verified factor of this user: another user\'s, unknown, unverified, malformed), nothing changed.';
  const lastMethod = 'Never the last method: refused (the hub with "This is your only sign-in method…", status 409) when the user would keep no verified factor, no unused recovery code and no phone the application vouches for (the request\'s `phone` with `sms` or `call`), unless the request carries `allow_remove_last: true`.';
  return {
    '/handoff/enroll': form('handoffEnrollmentHub', 'The enrollment hub (hosted page form)', 'A `purpose: enroll` hand-off\'s hub: "Account: <name>" (the request\'s `name`, never `sub`), the user\'s methods (each verified factor with its name, type and date added and, after a step-up, Rename and Remove; the recovery codes, how many of the set are unused; the phone the application vouches for, masked, when the request offers `sms` or `call`; "None yet" only when there is none of these) and a form per method the request offers (authenticator app, push device, passkey, voiceprint, phone number, recovery codes). Needs the session\'s enrollment grant.'),
    '/handoff/enroll/totp': form('startHandoffTotpEnrollment', 'Add an authenticator app (hosted page form)', 'Creates an unverified TOTP factor and shows its QR code (inline SVG), its `otpauth://` link (label `Issuer:<name>`: the request\'s `name`, else the factor\'s name, never `sub`; colons become spaces) and its secret in groups of 4 for typing in. The same page again (reload, Back) reuses the factor not yet verified.'),
    '/handoff/enroll/totp/verify': form('verifyHandoffTotpEnrollment', 'Confirm a new authenticator app (hosted page form)', 'The first code of the new app: right → the factor is verified and the hub says so; wrong → the QR page again (5 tries, then the factor is removed).', ['code']),
    '/handoff/enroll/push': form('startHandoffPushEnrollment', 'Add a push device (hosted page form)', 'Issues a single-use push enrollment token (at most 5 minutes, within the session; its `account_name`, which the device shows, is the request\'s `name`, else the device\'s name, never `sub`) shown as text and as a QR code, to paste into the virtual phone or `verity-authenticator enroll`.'),
    '/handoff/enroll/push/check': form('checkHandoffPushEnrollment', 'Check a new push device (hosted page form)', 'Looks on the server for a push factor of the user created since the token and verified by the device\'s signature: found → the hub; not yet → the page again with the reason; token expired → the hub with the reason.'),
    '/handoff/enroll/push/status': {
      post: hostedPage(
        operation({
          operationId: 'handoffPushEnrollmentStatus',
          tag,
          summary: 'Where a push device set-up stands (the set-up page\'s script)',
          description: '**Verity extension.** `session` only (the page\'s form token, not claimed: this read changes nothing, and the page\'s forms keep working); answers `{"state": …}`: `waiting` (no device used the token yet), `unconfirmed` (enrolled, not yet verified by the device), `added`, or `expired` (the token). The page\'s script asks every 2 s and posts `/handoff/enroll/push/check` on `added` or `expired`; refusals are the hosted pages\' HTML error pages, except the request limits\' 429 (JSON).',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session'], properties: { session: FORM_TOKEN } } } } },
          ok: { status: 200, description: 'The state.', schema: { type: 'object', required: ['state'], properties: { state: { type: 'string', enum: ['waiting', 'unconfirmed', 'added', 'expired'] } } } },
          errors: [],
        }),
        formRefusals({ 403: 'The session expired or carries no enrollment grant.', 409: 'This enrollment was already finished.' }),
        JSON_TYPE,
      ),
    },
    '/handoff/enroll/recovery-codes': form('issueHandoffRecoveryCodes', 'Get recovery codes (hosted page form)', 'Issues a new set of ten recovery codes; the previous set stops working (the hub warns of it first). The codes page is this step\'s page: reload, Back and Forward show the same codes until "I saved them — back to my sign-in methods" leads back to the hub; the button posted again from a stale page makes no new set.'),
    '/handoff/enroll/phone': form('startHandoffPhoneEnrollment', 'Add a phone number (hosted page form)', 'Validates `phone_number` (libphonenumber-js, international format) and sends a code to it by `channel` (`sms` or `call`, offered by the request) with the service\'s send limits.', ['phone_number', 'channel']),
    '/handoff/enroll/phone/check': form('checkHandoffPhoneEnrollment', 'Confirm a new phone number (hosted page form)', 'The code sent to the new number: approved → the hub; the number is returned to the application in the result as `phone_number` (Verity keeps no phone factor).', ['code']),
    '/handoff/enroll/rename': form('renameHandoffMethod', 'Rename a sign-in method (hosted page form)', `Renames the user's verified factor \`factor\` (sid) to \`friendly_name\`: spaces collapsed, NFC, then the friendly-name rule (at most 32 characters, no control or invisible characters, no markup \`< > { }\`, no links or domain names, at most 3 digits), else the hub with the reason and status 400, the name unchanged. Renamed: the hub says so (no event is sent: the hosted API has none). ${manage}`, ['factor', 'friendly_name']),
    '/handoff/enroll/remove': form('confirmHandoffMethodRemoval', 'Ask to remove a sign-in method (hosted page form)', `The hub's "Remove" on factor \`factor\` (sid): removes nothing, shows "Remove this sign-in method?" with the button that posts \`/handoff/enroll/remove/confirm\`. ${manage} ${lastMethod}`, ['factor']),
    '/handoff/enroll/remove/confirm': form('removeHandoffMethod', 'Remove a sign-in method (hosted page form)', `Deletes factor \`factor\` (sid) as \`DELETE …/Factors/{Sid}\` does (its challenges, credentials and recordings with it), with \`factor.deleted\` in the same transaction, and shows the hub. ${manage} ${lastMethod} The check and the deletion run in one transaction with the user's entity row-locked, so two removals at once cannot both pass it.`, ['factor']),
    '/handoff/enroll/done': done,
  };
}

/** "Use your voice" and voice set-up on the hosted pages (hosted-factors/voiceprint/voiceprint-flow.ts): two forms, and the WAV uploads of their script. */
function handoffVoiceprintPaths(tag: string): Json {
  const sessionForm = (fields: string[]): Json => ({ required: true, content: { [FORM]: { schema: { type: 'object', required: ['session', ...fields], properties: Object.fromEntries(['session', ...fields].map((f) => [f, f === 'session' ? FORM_TOKEN : { type: 'string' }])) } } } });
  const answer: Json = {
    type: 'object',
    description: 'What the page shows next: `location` (go there: the result URL), or `message` to show with `retry` (whether another take may be recorded here) and `session` (the form token for the next take and the page\'s forms: the same, as a take gives its nonce back); on set-up also `accepted`/`needed` (takes kept so far), and `done` with `next` (the enrollment hub, to post the session to) once the voiceprint is made.',
    properties: { location: { type: 'string', format: 'uri' }, message: { type: 'string' }, retry: { type: 'boolean' }, session: { type: 'string' }, accepted: { type: 'integer' }, needed: { type: 'integer' }, done: { type: 'boolean' }, next: { type: 'string' } },
  };
  const headerToken = 'The page\'s form token (`<session id>.<form nonce>`). A take claims the nonce and gives the same one back, so the page\'s other forms keep working; of concurrent takes one acts, a stale token gets 409.';
  const upload = (operationId: string, summary: string, description: string): Json => {
    const op = operation({
      operationId,
      tag,
      summary,
      description: `**Verity extension.** ${description} The body is the WAV itself (\`Content-Type: audio/wav\`, 16-bit PCM at 16 kHz as the page records it; at most 2 MiB), the page's form token is in the \`X-Handoff-Session\` header.`,
      auth: false,
      parameters: [{ name: 'X-Handoff-Session', in: 'header', required: true, schema: { type: 'string' }, description: headerToken }],
      requestBody: { required: true, content: { 'audio/wav': { schema: { type: 'string', format: 'binary' } } } },
      ok: { status: 200, description: 'The answer for the page\'s script.', schema: answer, contentType: JSON_TYPE },
      errors: [],
    });
    const refusal = (description: string): Json => ({ description, content: { [JSON_TYPE]: { schema: { type: 'object', properties: { message: { type: 'string' }, retry: { type: 'boolean' } } } } } });
    Object.assign(op.responses as Json, {
      400: refusal('`{message, retry: false}`: the form token is missing or malformed, or no voice check or set-up was started on this page; `{message, retry: true}` for an empty body.'),
      403: refusal('`{message, retry: false}`: the session belongs to another browser, or it expired (or, on set-up, holds no enrollment grant).'),
      404: refusal('`{message, retry: false}`: no such session (unknown, or deleted an hour after it expired).'),
      409: refusal('`{message, retry: false}`: a result was already issued for this session, or the page is out of date (its form token was used by another form or take meanwhile).'),
      413: refusal('`{message, retry: true}`: the recording is over 2 MiB.'),
      415: refusal('`{message, retry: true}`: the body is not audio/wav.'),
      429: hostedLimits(JSON_TYPE),
    });
    return { post: op };
  };
  return {
    '/handoff/voiceprint': {
      post: hostedPage(
        operation({
          operationId: 'startHandoffVoiceprint',
          tag,
          summary: 'Start a voice sign-in for a hand-off (hosted page form)',
          description: '**Verity extension.** The "Use your voice" form of the chooser: `session` and `factor` (a verified voiceprint factor of the user; the request must allow `voiceprint`). Opens a voiceprint challenge for the session (kept while pending, so its five attempts hold) and shows the recording page: the pass phrase (when the voice was set up on these pages), Record/Stop, a level meter and timer, and a script of this server (CSP `script-src \'self\'`, `connect-src \'self\'`) that records the microphone, resamples it to 16 kHz, and uploads a WAV to `/handoff/voiceprint/recording`. A voiceprint paused after too many mismatches (64012) shows the chooser with the time to wait. Without script the page says so and offers "Try another way".',
          auth: false,
          requestBody: sessionForm(['factor']),
          ok: stepAnswer('the recording page, or the chooser with the reason'),
          errors: [],
        }),
        formRefusals({ 400: 'The request does not allow `voiceprint`, or the factor is not a verified voiceprint factor of the user.', 409: 'A result was already issued for this session.' }),
      ),
    },
    '/handoff/voiceprint/recording': upload(
      'answerHandoffVoiceprint',
      'Answer a hand-off with a recording of the voice (the recording page\'s upload)',
      'One recording answers the session\'s voiceprint challenge through the voiceprint factor: a match spends the session and answers `location` = `return_to?result=<result JWT>&state=<state>` (`amr` `["vbm"]`). Otherwise a specific `message`: a poor recording (64011: too short, too quiet, clipped, too noisy, mostly silence) says what to fix; a mismatch says so with the attempts left; five mismatches in a row pause the voiceprint (64012) with the time to wait; a recording heard before (replay) denies the challenge; too many recordings (60308) or an expired challenge end it (`retry: false`: "Try another way").',
    ),
    '/handoff/enroll/voiceprint': {
      post: hostedPage(
        operation({
          operationId: 'startHandoffVoiceprintEnrollment',
          tag,
          summary: 'Set up voice sign-in on the enrollment pages (hosted page form)',
          description: '**Verity extension.** From the enrollment hub: `session`, which must hold the enrollment grant, with a request that allows `voiceprint`. Creates an unverified voiceprint factor (its pass phrase in `metadata.pass_phrase`), or resumes the one of this session, and shows the recording page for its three takes ("Take 1 of 3"), uploaded to `/handoff/enroll/voiceprint/recording`. A voiceprint is never the only factor: a user without another verified factor or recovery codes (60300) gets a page that says so, with the way back to the hub.',
          auth: false,
          requestBody: sessionForm([]),
          ok: stepAnswer('the recording page; or, with the way back to the hub, why not: the user has no other factor yet (60300) or voiceprints are unavailable on this server (that page answers 409), or the user has too many factors (429)'),
          errors: [],
        }),
        formRefusals({ 400: 'The request does not offer `voiceprint`.', 403: 'The session holds no enrollment grant.', 409: 'The enrollment was already finished.' }),
      ),
    },
    '/handoff/enroll/voiceprint/recording': upload(
      'addHandoffVoiceprintTake',
      'Add a take to a voice set-up (the recording page\'s upload)',
      'One take of the pass phrase for the session\'s voiceprint factor: kept (`accepted` of `needed`), refused with what to fix (64011), or dropped when it does not sound like the others; the last one makes the voiceprint (`done: true`, `next`: the enrollment hub).',
    ),
  };
}

function handoffPaths(serviceSid: Json, page: Json[]): Json {
  const clientNotFound: ErrorCase = { code: 20404, when: 'unknown service, or no hand-off client with this `Sid` in the service.', message: 'The requested resource /Services/VA…/HandoffClients/HC… was not found' };
  const tag = 'Hand-off';
  const refusedRequest = 'No page shows the developer\'s reason (it goes to Verity\'s log, and signed to the application): when the signature verified and `return_to` and `state` check out, the page links back to `return_to?error=invalid_request&state=<state>&error_result=<JWT>` (`error=expired` for 64104); otherwise it says to go back to the application and sign in again, with no link.';
  return {
    '/v2/Services/{ServiceSid}/HandoffClients': {
      parameters: [serviceSid],
      post: operation({
        operationId: 'createHandoffClient',
        tag,
        summary: 'Create a hand-off client',
        description: `**Verity extension.** Registers an application that may send its users to Verity for a second factor. Without \`Jwks\` the client signs HS256 and the response carries its \`secret\` once. ${HANDOFF_SEMANTICS}`,
        auth: true,
        form: 'HandoffClientCreateParams',
        ok: { status: 201, description: 'The new client (with its secret when HS256).', schema: schemaRef('HandoffClientCreated') },
        errors: [
          { code: 60200, when: 'FriendlyName missing or over 64 characters; no ReturnUrl, more than 10, or one that is not https (http only for loopback), has credentials or a fragment; Jwks not a JWKS of 1–10 public EC P-256 or Ed25519 keys of one type.', message: 'Invalid parameter: ReturnUrl (https required (http only for localhost and 127.0.0.1))' },
          SERVICE_NOT_FOUND,
          ...BODY_ERRORS,
          ...API_ERRORS,
        ],
      }),
      get: operation({
        operationId: 'listHandoffClients',
        tag,
        summary: 'List hand-off clients',
        description: '**Verity extension.** Lists the service\'s hand-off clients, oldest first (secrets are never listed).',
        auth: true,
        parameters: page,
        ok: { status: 200, description: 'A page of hand-off clients.', schema: schemaRef('HandoffClientList') },
        errors: [...PAGE_ERRORS, SERVICE_NOT_FOUND, ...API_ERRORS],
      }),
    },
    '/v2/Services/{ServiceSid}/HandoffClients/{Sid}': {
      parameters: [serviceSid, paramRef('HandoffClientSid')],
      get: operation({
        operationId: 'fetchHandoffClient',
        tag,
        summary: 'Fetch a hand-off client',
        description: '**Verity extension.** Fetches one hand-off client (without its secret).',
        auth: true,
        ok: { status: 200, description: 'The client.', schema: schemaRef('HandoffClient') },
        errors: [clientNotFound, ...API_ERRORS],
      }),
      delete: operation({
        operationId: 'deleteHandoffClient',
        tag,
        summary: 'Delete a hand-off client',
        description: '**Verity extension.** Deletes the client: its requests are refused from now on (64102).',
        auth: true,
        ok: { status: 204, description: 'Deleted (no body).' },
        errors: [clientNotFound, ...API_ERRORS],
      }),
    },
    '/handoff': {
      get: hostedPage(
        operation({
          operationId: 'startHandoff',
          tag,
          summary: 'Start a hand-off (hosted page)',
          description: `**Verity extension.** Where an application sends its user. Verifies the signed request and accepts it once (its \`jti\` is spent), stores the hand-off session bound to this browser (\`Set-Cookie\`) and answers \`303\` to the session's page \`GET /handoff/page/<id>\`, so the request URL never becomes a history entry; opening the same request link again in the same browser leads to its session (\`303\`), in any other browser it is "already used" (64107). The pages are HTML (strict CSP: scripts only from Verity, none inline; every page works without them except passkeys and voice recording). The session's page shows the user's verified factors that the request's \`factors\` allow (\`totp\`, \`push\`, \`recovery_code\`, \`passkeys\` when the service's relying party includes Verity's origin, \`voiceprint\`, and \`sms\`/\`call\`/\`flashcall\` when the request carries \`phone\`), each with its form; with \`purpose: enroll\`, the enrollment hub (docs/handoff.md). The pages speak the first of the request's \`ui_locales\` (space-separated BCP 47 tags) that Verity has — English, German, French, Spanish — else the browser's Accept-Language, else English. ${HOSTED_SESSION} Unauthenticated: the request's signature is the credential, then the browser's cookie. ${HANDOFF_SEMANTICS}`,
          auth: false,
          parameters: [{ name: 'request', in: 'query', required: true, description: 'The signed request (compact JWS, at most 8192 characters).', schema: { type: 'string', maxLength: 8192 } }],
          ok: {
            status: 303,
            description: 'Accepted: `Location` is the session\'s page `/handoff/page/<id>` (the chooser, the phone code or the enrollment hub).',
            headers: {
              Location: { description: 'The session\'s page.', schema: { type: 'string' } },
              'Set-Cookie': { description: 'The browser binding: `verity_handoff=<32 random bytes, base64url>; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax` (`__Host-verity_handoff` and `Secure` over HTTPS); an existing one is kept and refreshed.', schema: { type: 'string' } },
            },
          },
          errors: [],
        }),
        {
          400: `The request is missing, malformed (64101, a bad \`name\` or \`allow_remove_last\` included), lives too long (64105) or its \`return_to\` is not one of the client's return URLs (64108). ${refusedRequest}`,
          403: `The request is not from a known client (64102), its signature does not verify (64103), it expired (64104), its \`aud\` is not this Verity (64106), it was already used in another browser (64107) or its \`iat\` lies in the future (64109). ${refusedRequest}`,
        },
      ),
    },
    '/handoff/page/{Id}': {
      get: hostedPage(
        operation({
          operationId: 'showHandoffPage',
          tag,
          summary: 'The page of a hand-off session (hosted page)',
          description: `**Verity extension.** Where \`GET /handoff\` and every form answer \`303\` to: the step the session is at, exactly as its last step rendered it (each form with the current form token). It acts on nothing (it only frees a session held over 60 s by a form request that died): reload, Back and Forward send no second code, text, call or push, open no challenge and issue no recovery codes. After the result, "You are done here" with "Continue to <app>" (\`/handoff/page/<id>/return\`, \`already_completed\`), never "already used"; after the session's ${HANDOFF_SESSION_MS / 60_000} minutes, the expired page (403) with the way back (\`expired\`). Needs the browser's binding cookie. ${HOSTED_SESSION}`,
          auth: false,
          parameters: [{ name: 'Id', in: 'path', required: true, description: 'The session id (16 random bytes, base64url). Not a credential: without the browser\'s cookie it opens nothing.', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' } }],
          ok: { status: 200, description: 'The step\'s page, or the "done" page (text/html).', schema: { type: 'string' }, contentType: 'text/html' },
          errors: [],
        }),
        {
          400: 'The page a refused step left with this status: the hub after a refused rename (the name), or the passkey sign-in page (`purpose: identify`) after a refused passkey (unknown credential, options used or expired, signature, user verification, counter).',
          403: 'The session belongs to another browser ("This sign-in page belongs to another browser", no link); or it expired: the expired page with the way back to the application; or the hub after a rename or removal refused for want of a step-up.',
          404: 'No such session: unknown, or deleted an hour after it expired ("no longer available": go back to the application, no link); or the hub after a rename or removal of a factor that is not the user\'s.',
          409: 'The hub after a refused removal of the user\'s only sign-in method; the voice set-up page of a user with no other factor (60300), or on a server without voiceprints.',
          429: 'Or the voice set-up page of a user with too many factors (no `Retry-After`).',
        },
      ),
    },
    '/handoff/page/{Id}/return': {
      get: hostedPage(
        operation({
          operationId: 'returnFromHandoff',
          tag,
          summary: 'Back to the application without a result (hosted page link)',
          description: '**Verity extension.** The way back from a session\'s pages (the chooser\'s cancel link, "Return to <app>" on an error page, "Continue to <app>" on the done page): `303` to `return_to?error=<code>&state=<state>&error_result=<JWT>` with an error result signed now (see the hand-off semantics): `already_completed` once the result was issued, `expired` once the session expired, else `access_denied` (the user left). It changes nothing: the session\'s pages stay as they were. Needs the browser\'s binding cookie.',
          auth: false,
          parameters: [{ name: 'Id', in: 'path', required: true, description: 'The session id.', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' } }],
          ok: { status: 303, description: '`Location` is `return_to` with `error`, `state` and `error_result` added to its query.', headers: { Location: { description: 'The application\'s `return_to` with the error.', schema: { type: 'string' } } } },
          errors: [],
        }),
        {
          403: 'The session belongs to another browser: no link.',
          404: 'No such session (unknown, or deleted an hour after it expired): go back to the application, no link.',
        },
      ),
    },
    '/handoff/totp': {
      post: hostedPage(
        operation({
          operationId: 'submitHandoffTotp',
          tag,
          summary: 'Answer a hand-off with a TOTP code (hosted page form)',
          description: '**Verity extension.** The form of the chooser page: `session` (the form token), `factor` (the TOTP factor sid) and `code`. The code answers the challenge opened for that factor when the session\'s chooser was made (showing the page again opens none), so the challenge\'s five attempts, the single use of a time step and the entity\'s lock-out all apply. Right: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["otp"]`) and the session is spent. Wrong: the page again with the reason and the attempts left.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session', 'factor', 'code'], properties: { session: FORM_TOKEN, factor: { type: 'string' }, code: { type: 'string' } } } } } },
          ok: stepAnswer('the page again with the reason and the attempts left (a wrong code), or that the attempts are spent or the user is locked out', 'Approved'),
          errors: [],
        }),
        formRefusals({ 400: 'The session started no challenge for this factor.', 403: 'The factor\'s challenge expired or was used up.', 409: 'A result was already issued for this session.' }),
      ),
    },
    '/handoff/recovery-code': {
      post: hostedPage(
        operation({
          operationId: 'submitHandoffRecoveryCode',
          tag,
          summary: 'Answer a hand-off with a recovery code (hosted page form)',
          description: '**Verity extension.** The form of the chooser page: `session` and `code`, one of the user\'s single-use recovery codes (counted in the entity\'s lock-out). Right: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["otp"]`) and the session is spent. Wrong: the page again with the reason.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session', 'code'], properties: { session: FORM_TOKEN, code: { type: 'string' } } } } } },
          ok: stepAnswer('the page again with the reason (a wrong or used code, or locked out)', 'Accepted'),
          errors: [],
        }),
        formRefusals({ 400: 'The request does not allow recovery codes.', 409: 'A result was already issued for this session.' }),
      ),
    },
    '/handoff/push': {
      post: hostedPage(
        operation({
          operationId: 'startHandoffPush',
          tag,
          summary: 'Send a push approval for a hand-off (hosted page form)',
          description: '**Verity extension.** The "Approve on your phone" form of the chooser: `session` and `factor` (a verified push factor of the user; the request must allow `push`). Creates a push challenge ("Sign in to <application>", the application\'s name as its one field) and shows the waiting page: the `number_match` to choose on the phone, and a small script of this server (CSP `script-src \'self\'`, `connect-src \'self\'`) that follows the challenge\'s progress stream and, on an outcome, posts `/handoff/push/continue`, which is also the page\'s button without script.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session', 'factor'], properties: { session: FORM_TOKEN, factor: { type: 'string' } } } } } },
          ok: stepAnswer('the waiting page, or the chooser again when the push limit was reached'),
          errors: [],
        }),
        formRefusals({ 400: 'The request does not allow push, or the factor is not a verified push factor of the user.', 409: 'A result was already issued for this session.' }),
      ),
    },
    '/handoff/push/continue': {
      post: hostedPage(
        operation({
          operationId: 'continueHandoffPush',
          tag,
          summary: 'Continue a hand-off after a push approval (hosted page form)',
          description: '**Verity extension.** The waiting page\'s form: `session`. Reads the push challenge\'s status on the server (never the browser\'s word). Approved: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["swk"]`) and the session is spent. Denied or expired: the chooser again with the reason. Still pending: the waiting page again.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session'], properties: { session: FORM_TOKEN } } } } },
          ok: stepAnswer('the chooser with the reason (denied or expired), or the waiting page again (not decided yet)', 'Approved'),
          errors: [],
        }),
        formRefusals({ 400: 'The session started no push.', 409: 'A result was already issued for this session.' }),
      ),
    },
    '/handoff/phone': {
      post: hostedPage(
        operation({
          operationId: 'startHandoffPhoneCode',
          tag,
          summary: 'Send a code to the user\'s phone for a hand-off (hosted page form)',
          description: '**Verity extension.** The "Text me a code" / "Call me with a code" form of the chooser: `session` and `channel` (`sms` or `call`, allowed by the request, which must carry `phone`). Starts a verification of the request\'s service to that number (its send limits and the session\'s budget apply) and shows the code form, which names the number with all but its last 2 digits hidden. For a call the form also follows the call live (the `/handoff/assets/handoff-call.js` script reads the verification\'s progress stream; CSP `script-src \'self\'`, `connect-src \'self\'`) and offers to call again or text instead.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session', 'channel'], properties: { session: FORM_TOKEN, channel: { type: 'string' } } } } } },
          ok: stepAnswer('the code form, or the chooser again with the reason when no code could be sent'),
          errors: [],
        }),
        formRefusals({ 400: 'The request allows no code to a phone by that channel.', 409: 'A result was already issued for this session.', 429: 'Or the session\'s budget is spent (`VERITY_HANDOFF_SESSION_MAX_SENDS` codes and calls, to `VERITY_HANDOFF_SESSION_MAX_NUMBERS` numbers; none once its wrong codes are spent): an error page without `Retry-After`, nothing sent.' }),
      ),
    },
    '/handoff/phone/check': {
      post: hostedPage(
        operation({
          operationId: 'checkHandoffPhoneCode',
          tag,
          summary: 'Answer a hand-off with the code sent to the phone (hosted page form)',
          description: '**Verity extension.** The code form: `session` and `code`, checked as a verification check (five attempts). Right: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["sms"]` or `["tel"]`, RFC 8176) and the session is spent. Wrong: the code form again; too many wrong codes or an expired code: the chooser again with the reason.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session', 'code'], properties: { session: FORM_TOKEN, code: { type: 'string' } } } } } },
          ok: stepAnswer('the code form again with the reason (a wrong code), or the chooser with the reason (too many wrong codes, or the code expired)', 'Approved'),
          errors: [],
        }),
        formRefusals({ 400: 'The session sent no code.', 409: 'A result was already issued for this session.', 429: 'Or the session\'s wrong codes are spent (`VERITY_HANDOFF_SESSION_MAX_WRONG_CODES`): an error page without `Retry-After`; the user starts again from the application.' }),
      ),
    },
    '/handoff/call': {
      post: hostedPage(
        operation({
          operationId: 'startHandoffCallApproval',
          tag,
          summary: 'Approve a hand-off with a call (hosted page form)',
          description: '**Verity extension.** The "Approve with a call" form of the chooser: `session` (the request must allow `call` and carry `phone`). Starts a call verification to that number with `VoiceFlow=press_one` and `NumberMatch` (the application\'s name is spoken) and shows the waiting page: the two digits to key in on the call, and a small script of this server (CSP `script-src \'self\'`, `connect-src \'self\'`) that shows the call\'s progress from the verification\'s event stream and, on an outcome, posts `/handoff/call/continue`, which is also the page\'s button without script. Posting it again calls again.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session'], properties: { session: FORM_TOKEN } } } } },
          ok: stepAnswer('the waiting page, or the chooser again with the reason when no call could be placed'),
          errors: [],
        }),
        formRefusals({ 400: 'The request does not allow calls to a phone.', 409: 'A result was already issued for this session.', 429: 'Or the session\'s budget is spent (`VERITY_HANDOFF_SESSION_MAX_SENDS` codes and calls, to `VERITY_HANDOFF_SESSION_MAX_NUMBERS` numbers; none once its wrong codes are spent): an error page without `Retry-After`, nothing sent.' }),
      ),
    },
    '/handoff/call/continue': {
      post: hostedPage(
        operation({
          operationId: 'continueHandoffCallApproval',
          tag,
          summary: 'Continue a hand-off after a call approval (hosted page form)',
          description: '**Verity extension.** The call waiting page\'s form: `session`. Reads the verification\'s status on the server (never the browser\'s word). Approved: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["tel"]`) and the session is spent. Denied, expired, or a call that ended without the digits: the chooser again with the reason. Call still in progress: the waiting page again.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session'], properties: { session: FORM_TOKEN } } } } },
          ok: stepAnswer('the chooser with the reason (denied or expired), or the waiting page again (not decided yet)', 'Approved'),
          errors: [],
        }),
        formRefusals({ 400: 'The session started no call approval.', 409: 'A result was already issued for this session.' }),
      ),
    },
    '/handoff/flashcall': {
      post: hostedPage(
        operation({
          operationId: 'startHandoffFlashCall',
          tag,
          summary: 'Give the user a missed call for a hand-off (hosted page form)',
          description: '**Verity extension.** The "Missed call" form of the chooser: `session` (the request must allow `flashcall` and carry `phone`; offered only when flash calls are configured). Starts a `Channel=flashcall` verification to that number and shows the form for the caller id\'s last digits, which names the caller ids\' prefix and how many digits to enter, and follows the call\'s progress with the same script. Posting it again calls again.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session'], properties: { session: FORM_TOKEN } } } } },
          ok: stepAnswer('the form for the last digits, or the chooser again with the reason when no call could be placed'),
          errors: [],
        }),
        formRefusals({ 400: 'The request does not allow flash calls to a phone.', 409: 'A result was already issued for this session.', 429: 'Or the session\'s budget is spent (`VERITY_HANDOFF_SESSION_MAX_SENDS` codes and calls, to `VERITY_HANDOFF_SESSION_MAX_NUMBERS` numbers; none once its wrong codes are spent): an error page without `Retry-After`, nothing sent.' }),
      ),
    },
    '/handoff/flashcall/check': {
      post: hostedPage(
        operation({
          operationId: 'checkHandoffFlashCall',
          tag,
          summary: 'Answer a hand-off with the missed call\'s last digits (hosted page form)',
          description: '**Verity extension.** The flash call form: `session` and `code` (the caller id\'s last digits, or the whole caller id), checked as a verification check (five attempts). Right: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["tel"]`) and the session is spent. Wrong: the form again; too many wrong entries or an expired call: the chooser again with the reason.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session', 'code'], properties: { session: FORM_TOKEN, code: { type: 'string' } } } } } },
          ok: stepAnswer('the form again with the reason (wrong digits), or the chooser with the reason (too many wrong entries, or the call expired)', 'Approved'),
          errors: [],
        }),
        formRefusals({ 400: 'The session started no flash call.', 409: 'A result was already issued for this session.', 429: 'Or the session\'s wrong codes are spent (`VERITY_HANDOFF_SESSION_MAX_WRONG_CODES`): an error page without `Retry-After`; the user starts again from the application.' }),
      ),
    },
    '/handoff/assets/handoff-push.js': {
      get: hostedPage(
        operation({
          operationId: 'handoffPushScript',
          tag,
          summary: 'The push waiting page\'s script',
          description: '**Verity extension.** The one script of the hosted hand-off pages, on the push waiting page only: it follows the challenge\'s progress stream and posts the page\'s continue form on an outcome.',
          auth: false,
          ok: { status: 200, description: 'The script.', schema: { type: 'string' }, contentType: 'text/javascript' },
          errors: [],
        }),
        {},
      ),
    },
    '/handoff/assets/{Name}': {
      get: hostedPage(
        operation({
          operationId: 'handoffAsset',
          tag,
          summary: 'A script of the hosted pages',
          description: '**Verity extension.** The other files of the hosted pages (each factor page\'s script), served from this server only so the pages\' CSP can stay `script-src \'self\'`.',
          auth: false,
          parameters: [{ name: 'Name', in: 'path', required: true, schema: { type: 'string' } }],
          ok: { status: 200, description: 'The file.', schema: { type: 'string' }, contentType: 'text/javascript' },
          errors: [],
        }),
        {},
      ),
    },
    ...handoffEnrollPaths(tag),
    ...handoffVoiceprintPaths(tag),
    '/handoff/choose': {
      post: hostedPage(
        operation({
          operationId: 'handoffChooseAgain',
          tag,
          summary: 'Back to the factor chooser (hosted page form)',
          description: '**Verity extension.** "Try another way" on every waiting page: `session` only; shows the chooser with the session\'s factors, so the user can fall back from one factor to another.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session'], properties: { session: FORM_TOKEN } } } } },
          ok: stepAnswer('the chooser'),
          errors: [],
        }),
        formRefusals({}),
      ),
    },
    '/handoff/passkey': {
      post: hostedPage(
        operation({
          operationId: 'startHandoffPasskey',
          tag,
          summary: 'Start a passkey sign-in for a hand-off (hosted page form)',
          description: '**Verity extension.** The "Use a passkey" form of the chooser: `session` and `factor` (a verified passkey factor of the user; the request must allow `passkeys`, and the service\'s `Passkeys.RelyingParty.Origins` must include Verity\'s public origin, whose host is the RP ID or under it). Opens a Verify challenge for that factor (until the session ends or 5 minutes, whichever is first: five attempts, the entity\'s lock-out) and shows the passkey page: its WebAuthn request options (the factor\'s credential only, the service\'s user verification) in a data attribute, and two scripts of this server (SimpleWebAuthn\'s browser bundle and the page\'s own) that call `navigator.credentials.get()` and post the result to `/handoff/passkey/verify`. Without script the page says that passkeys need JavaScript and offers "Try another way".',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session', 'factor'], properties: { session: FORM_TOKEN, factor: { type: 'string' } } } } } },
          ok: stepAnswer('the passkey page, or the chooser again when passkeys cannot run on this origin'),
          errors: [],
        }),
        formRefusals({ 400: 'The request does not allow passkeys, or the factor is not a verified passkey factor of the user.', 409: 'A result was already issued for this session.' }),
      ),
    },
    '/handoff/passkey/verify': {
      post: hostedPage(
        operation({
          operationId: 'verifyHandoffPasskey',
          tag,
          summary: 'Answer a hand-off with a passkey (hosted page form)',
          description: '**Verity extension.** Posted by the passkey page\'s script: `session`, `factor`, and either `response` (the AuthenticationResponseJSON, at most 16384 characters) or `error` (the name of the browser\'s error, such as `NotAllowedError`). The response answers the session\'s challenge for that factor: the signed challenge, origin, RP ID, user verification as the service requires and a signature counter that must increase are checked on the server. Verified: `303` to `return_to?result=<result JWT>&state=<state>` (`amr` `["swk"]`) and the session is spent. Refused, cancelled or expired: the passkey page again with the specific reason and fresh options; too many failures for the entity: the chooser with the reason.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session', 'factor'], properties: { session: FORM_TOKEN, factor: { type: 'string' }, response: { type: 'string' }, error: { type: 'string' } } } } } },
          ok: stepAnswer('the passkey page again with the specific reason and fresh options (refused, cancelled or expired), or the chooser with the reason (too many failures)', 'Verified'),
          errors: [],
        }),
        formRefusals({ 400: 'The session started no passkey request for this factor.', 403: 'The user\'s account changed meanwhile.', 409: 'A result was already issued for this session.' }),
      ),
    },
    '/handoff/passkey/identify': {
      post: hostedPage(
        operation({
          operationId: 'identifyHandoffPasskey',
          tag,
          summary: 'Usernameless passkey sign-in for a hand-off (hosted page form)',
          description: '**Verity extension.** A request with `purpose: "identify"` (no `sub`, `passkeys` in `factors`) opens the "Sign in with a passkey" page: WebAuthn request options without `allowCredentials` and with `userVerification: "required"` whatever the service\'s setting, used once. Its script posts here `session` and either `response` (the AuthenticationResponseJSON, at most 16384 characters) or `error` (the name of the browser\'s error). The server checks the options were issued and not used, the credential is a verified passkey of the service, the user handle is its entity, the signature, origin, RP ID, the UV flag and a signature counter that must increase. Identified: `303` to `return_to?result=<result JWT>&state=<state>` whose `sub` is the passkey\'s identity (`amr` `["swk"]`); the application looks the user up by it. Refused or cancelled: the page again with the reason, fresh options and a link back to the application.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session'], properties: { session: FORM_TOKEN, response: { type: 'string' }, error: { type: 'string' } } } } } },
          ok: stepAnswer('the page again with the reason and fresh options: cancelled or no passkey on this device, or a refused passkey (unknown credential, options used or expired, signature, user verification, counter; that page answers 400)', 'Identified'),
          errors: [],
        }),
        formRefusals({ 400: 'The session is not for `purpose: identify`.', 409: 'A result was already issued for this session.' }),
      ),
    },
    '/handoff/enroll/passkey': {
      post: hostedPage(
        operation({
          operationId: 'startHandoffPasskeyEnrollment',
          tag,
          summary: 'Add a passkey on the enrollment pages (hosted page form)',
          description: '**Verity extension.** From the enrollment hub: `session`, which must hold the enrollment grant, with a request that allows `passkeys`. Creates an unverified passkey factor for the user (the entity is created for a user enrolling a first factor; WebAuthn `user.name` and `user.displayName` are the request\'s `name`, else the passkey\'s name, never `sub`; `user.id` is the opaque entity handle) with the passkey backend\'s registration options (attestation `none`, discoverable credential as the service prefers, its user verification, the user\'s passkeys excluded; valid 5 minutes) and shows the page whose script calls `navigator.credentials.create()` and posts the result to `/handoff/enroll/passkey/verify`.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session'], properties: { session: FORM_TOKEN } } } } },
          ok: stepAnswer('the page that creates the passkey'),
          errors: [],
        }),
        formRefusals({ 400: 'The request does not allow passkeys, or the service\'s passkeys cannot run on Verity\'s origin.', 403: 'The session holds no enrollment grant.', 409: 'A result was already issued for this session.' }),
      ),
    },
    '/handoff/enroll/passkey/verify': {
      post: hostedPage(
        operation({
          operationId: 'verifyHandoffPasskeyEnrollment',
          tag,
          summary: 'Finish adding a passkey (hosted page form)',
          description: '**Verity extension.** Posted by the enrollment page\'s script: `session` and either `response` (the RegistrationResponseJSON) or `error` (the name of the browser\'s error). The passkey backend verifies the registration (challenge, origin, RP ID, user verification as required; a credential once per service) and the factor becomes verified: the page confirms it, with the way back to the enrollment hub. Refused, cancelled or expired: the page again with the specific reason and fresh options.',
          auth: false,
          requestBody: { required: true, content: { [FORM]: { schema: { type: 'object', required: ['session'], properties: { session: FORM_TOKEN, response: { type: 'string' }, error: { type: 'string' } } } } } },
          ok: stepAnswer('that the passkey was added (with the way back to the hub), or the page again with the reason'),
          errors: [],
        }),
        formRefusals({ 400: 'The session is adding no passkey.', 403: 'The session holds no enrollment grant.', 409: 'A result was already issued for this session.' }),
      ),
    },
    '/handoff/assets/vendor/simplewebauthn-browser.js': {
      get: hostedPage(
        operation({
          operationId: 'handoffSimpleWebAuthnBrowser',
          tag,
          summary: 'SimpleWebAuthn\'s browser bundle for the passkey pages',
          description: '**Verity extension.** `@simplewebauthn/browser`\'s UMD bundle (it defines `SimpleWebAuthnBrowser`), served from this server so the passkey pages\' CSP can stay `script-src \'self\'`.',
          auth: false,
          ok: { status: 200, description: 'The script.', schema: { type: 'string' }, contentType: 'text/javascript' },
          errors: [],
        }),
        {},
      ),
    },
    '/handoff/assets/handoff.css': {
      get: hostedPage(
        operation({
          operationId: 'handoffStylesheet',
          tag,
          summary: 'The hosted pages\' stylesheet',
          description: '**Verity extension.** The one stylesheet of the hosted hand-off pages (their CSP allows nothing else).',
          auth: false,
          ok: { status: 200, description: 'The stylesheet.', schema: { type: 'string' }, contentType: 'text/css' },
          errors: [],
        }),
        {},
      ),
    },
    '/.well-known/jwks.json': {
      get: operation({
        operationId: 'handoffJwks',
        tag,
        summary: 'Verity\'s result-signing keys',
        description: '**Verity extension.** The public ES256 keys that sign hand-off results: the current key and, for 24 h after a rotation, the previous ones. Cached for 5 minutes (`Cache-Control`); a verifier meeting an unknown `kid` should refetch once. Unauthenticated.',
        auth: false,
        ok: { status: 200, description: 'The JWKS.', schema: schemaRef('HandoffJwks') },
        errors: [],
      }),
    },
  };
}

function addReadyzUnavailable(doc: Json): void {
  const readyz = (doc.paths as Json)['/readyz'] as { get: { responses: Json } };
  readyz.get.responses['503'] = {
    description: 'Not ready: shutting down or the database is unreachable.',
    content: { [JSON_TYPE]: { schema: schemaRef('Readiness'), example: { status: 'database_unavailable' } } },
  };
}

/** The complete OpenAPI 3.1.0 document; `serverUrl` is the public URL clients use. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const pathParam = (name: string, prefix: string, description: string): Json => ({
    name,
    in: 'path',
    required: true,
    description,
    schema: { type: 'string', pattern: sidPattern(prefix) },
  });
  const queryInt = (name: string, minimum: number, maximum: number, description: string, extra: Json = {}): Json => ({
    name,
    in: 'query',
    required: false,
    description,
    schema: { type: 'integer', minimum, maximum, ...extra },
  });
  const doc: Json = {
    openapi: '3.1.0',
    info: {
      title: 'Verity',
      version: VERSION,
      summary: 'Self-hosted verification server, wire-compatible with Twilio Verify v2.',
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: serverUrl.replace(/\/+$/, '') || '/' }],
    tags: TAGS,
    paths: paths(),
    webhooks: webhooks(),
    components: {
      securitySchemes: SECURITY_SCHEMES,
      parameters: {
        ServiceSid: pathParam('ServiceSid', 'VA', 'Service SID (`VA` + 32 hex). A malformed SID answers 20404, like an unknown one.'),
        VerificationSid: pathParam('Sid', 'VE', 'Verification SID (`VE` + 32 hex).'),
        WebhookSid: pathParam('Sid', 'YW', 'Webhook SID (`YW` + 32 hex).'),
        HandoffClientSid: pathParam('Sid', 'HC', 'Hand-off client SID (`HC` + 32 hex).'),
        Identity: {
          name: 'Identity',
          in: 'path',
          required: true,
          description: 'The application\'s user id: 8–64 dash-separated letters and digits, no PII.',
          schema: { type: 'string', minLength: 8, maxLength: 64, pattern: IDENTITY_PATTERN },
        },
        FactorSid: pathParam('Sid', 'YF', 'Factor SID (`YF` + 32 hex).'),
        ChallengeSid: pathParam('Sid', 'YC', 'Challenge SID (`YC` + 32 hex).'),
        DeviceFactorSid: pathParam('FactorSid', 'YF', 'The device\'s factor SID (`YF` + 32 hex): the `kid` of the device token.'),
        ChallengeEventsToken: {
          name: 'Token',
          in: 'path',
          required: true,
          description: 'The credential of the events URL (from the challenge\'s `links.events`).',
          schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{32}$' },
        },
        LastEventId: {
          name: 'Last-Event-ID',
          in: 'header',
          required: false,
          description: 'Sent by a reconnecting EventSource: only events with a higher sequence follow.',
          schema: { type: 'integer', minimum: 0, maximum: 3 },
        },
        VerificationEventsToken: {
          name: 'Token',
          in: 'path',
          required: true,
          description: 'The credential of the events URL (from the verification\'s `links.events`).',
          schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{32}$' },
        },
        VerificationLastEventId: {
          name: 'Last-Event-ID',
          in: 'header',
          required: false,
          description: 'Sent by a reconnecting EventSource: only events with a higher sequence follow.',
          schema: { type: 'integer', minimum: 0 },
        },
        PageSize: queryInt('PageSize', 1, 1000, 'Items per page (default 50).', { default: 50 }),
        Page: queryInt('Page', 0, 1_000_000, 'Zero-based page number (default 0).', { default: 0 }),
        PageToken: {
          name: 'PageToken',
          in: 'query',
          required: false,
          description: 'Opaque token from a `meta` page URL; takes precedence over Page for the offset.',
          schema: { type: 'string', pattern: '^PT\\d{1,9}$' },
        },
        SimAddress: {
          name: 'address',
          in: 'path',
          required: true,
          description: 'E.164 phone number (URL-encode the `+` as `%2B`) or email address.',
          schema: { type: 'string' },
          example: '+14155552671',
        },
        SimPhoneNumber: {
          name: 'number',
          in: 'path',
          required: true,
          description: 'The simulated phone\'s E.164 number (URL-encode the `+` as `%2B`).',
          schema: { type: 'string' },
          example: '+14155552671',
        },
        SimCallSid: pathParam('sid', 'CL', 'Verity\'s call SID (`CL` + 32 hex).'),
        SimAudioFile: {
          name: 'file',
          in: 'path',
          required: true,
          description: 'The file name from a prompt\'s `audio_url`: 32 hex characters and `.wav`.',
          schema: { type: 'string', pattern: '^[0-9a-f]{32}\\.wav$' },
          example: '0123456789abcdef0123456789abcdef.wav',
        },
        VoiceCallSid: pathParam('CallSid', 'CL', 'Verity\'s call SID (`CL` + 32 hex) from the URLs Verity gave the platform, not the platform\'s own call id.'),
      },
      headers: RESPONSE_HEADERS,
      schemas: schemas(),
    },
  };
  addReadyzUnavailable(doc);
  return doc;
}
