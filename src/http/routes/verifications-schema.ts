import { z } from 'zod';
import { FRIENDLY_NAME_MAX_LENGTH } from '../../services/friendly-name.ts';
import { CHANNELS } from '../../services/service-settings.ts';
import { SUPPORTED_LOCALES } from '../../i18n/locales.ts';
import { LOCKOUT, MAX_CHECK_ATTEMPTS } from '../../verify/limits.ts';
import { STALE_CALL_MS } from '../../voice/call-router.ts';
import { VOICE_FLOWS } from '../../voice/flows/call-flow.ts';
import { DELIVERY_ATTEMPT_STATUSES } from '../../store/schema.ts';
import { KEYPAD_TRIES } from '../../voice/flows/keypad-code-flow.ts';
import { API_ERRORS, BODY_ERRORS, SERVICE_NOT_FOUND, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl, dateTime, extension, pathSid, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { ServicePath } from './services-schema.ts';

/** Verifications and VerificationCheck: send a code, check it, cancel or approve. */

export const SEMANTICS = `
**Behaviour that differs from (or is undocumented on) the hosted API:**

- A wrong code is not an error: the check answers 200 with \`status: "pending"\`, \`valid: false\`. The ${MAX_CHECK_ATTEMPTS}th wrong code answers 200 with \`status: "max_attempts_reached"\`; any later check gets 60202: by \`VerificationSid\`, or by \`To\` while that verification is the newest to \`To\` and its code lifetime lasts (as the hosted API answers).
- Approved and expired verifications are gone: checking or fetching them answers 20404 (\`The requested resource /Services/{ServiceSid}/VerificationCheck was not found\`). Canceled, failed and max_attempts_reached verifications stay fetchable.
- \`CustomCode\` without the service's \`CustomCodeEnabled\` is refused with 60200 instead of being silently ignored.
- Destination lock-out: after ${LOCKOUT.freeFailures} consecutive wrong codes for one destination (across verifications) checks are refused with 60202 and \`Retry-After\` for ${LOCKOUT.baseDelayMs / 1000} s, doubling per further failure up to ${LOCKOUT.maxDelayMs / 3_600_000} h; after ${LOCKOUT.hardLimit} the destination is locked ${LOCKOUT.hardLockMs / 3_600_000} h at a time. A correct code resets the count. The count is kept per requester: codes typed on Verity's hosted hand-off pages count for that user of the application only, never toward the lock-out of these API checks.
- Each code is accepted once: of concurrent correct checks exactly one approves, the others get 20404.
`.trim();

export const VOICE_SEMANTICS = `
**Voice verifications** (\`Channel=call\` and \`flashcall\`; \`VoiceFlow\`, \`NumberMatch\` and flash calls are Verity extensions):

- \`VoiceFlow=speak_code\` (the default, the hosted API's call) reads the code out; the user types it into the app, which checks it with VerificationCheck.
- \`VoiceFlow=keypad_code\`: the app shows \`display_code\` and the caller keys it in on the phone, so the code never crosses the phone network. ${KEYPAD_TRIES} wrong codes make the verification \`failed\`.
- \`VoiceFlow=press_one\`: the call asks to approve the sign-in (or, on a PSD2 service, the payment, with its amount and payee); 1 approves, any other key makes it \`denied\`. With \`NumberMatch=true\` the caller keys in the two digits of \`display_code\` instead, and other digits deny.
- keypad_code and press_one are decided **on the call**: VerificationCheck refuses any Code for them with 60200, \`CustomCode\` is refused, and they can only be resent with \`Channel=call\`. Silence ends the call and leaves the verification pending (send again to call again). Wrong keypad codes and number-match digits count toward the destination's lock-out.
- \`Channel=flashcall\` (needs \`VERITY_FLASHCALL_CALLER_IDS\`): the phone rings from a caller id in Verity's range and the call is dropped unanswered; the code is the last \`flash_call.code_length\` digits of that caller id, which starts with \`flash_call.caller_id_prefix\`. The app reads it (e.g. from the call log) and checks either those digits or the whole caller id (\`+…\`) as Code. A flash call is resent only with \`Channel=flashcall\`; another verification cannot be resent as one (60200).
- One call at a time per number: while a call to \`To\` is live, another is refused with 60212 (a call its provider stops reporting on is ended after ${STALE_CALL_MS / 60_000} minutes). Canceling or approving a verification with \`POST …/Verifications/{Sid}\`, or approving it with a right code checked, hangs up its live calls.
- A call verification carries \`links.events\`: its progress as server-sent events for the waiting login page (\`GET /events/v1/Verifications/{Sid}/{Token}\`, no credentials); the same events go to webhooks as \`verification.progress\`.
`.trim();

// The message parameters are checked by src/channels/message-choice.ts (their errors are the hosted API's 60224/60228/60243/60251/60252, or 60200 naming them): documented here.
const MESSAGE_PARAMS = {
  AppHash: field.string({ max: 11 }).meta({ pattern: '^[A-Za-z0-9+/]{11}$', description: 'SMS only: the 11-character Android SMS Retriever app hash. The SMS then starts with `<#> ` and ends with a space and the hash, as the hosted API formats it (`<#> Your Acme verification code is: 123456 He42w354ol9`); the WebOTP line of WebOtpDomain is left out. Ignored on other channels.' }),
  CustomMessage: field.string({ max: 320 }).meta({
    description:
      'Deprecated on the hosted API. Replaces the SMS or email text when the service has CustomMessageEnabled (a Verity extension), else 60243. It must contain `{{code}}` and may use `{{friendly_name}}`, `{{ttl_minutes}}`, `{{amount}}`, `{{payee}}`; no other variables, control characters, markup, nor links unless VERITY_TEMPLATE_LINKS (60200). Checked but not used on call and whatsapp.',
  }),
  ChannelConfiguration: field.string({ max: 4096 }).meta({
    description:
      'Email only, a JSON object: `from` (an address VERITY_EMAIL_FROM or VERITY_EMAIL_ALLOWED_FROM allows), `from_name` (a display name without quotes, `<>`, `@`, line breaks or links), `template_id` (a Verity template `HJ…` with the `email` channel; SendGrid `d-…` ids are refused), `substitutions` (its custom variables). Other keys are ignored; a bad field is refused with 60200.',
  }),
  TemplateSid: field.string({ max: 34 }).meta({ pattern: '^HJ[0-9a-fA-F]{32}$', description: 'The template (GET /v2/Templates) whose text replaces the SMS or email message; unknown → 60228. A template without the channel falls back to the built-in text (the hosted warning 60327). Call and WhatsApp always speak/send the built-in text.' }),
  TemplateCustomSubstitutions: field.string({ max: 4096 }).meta({ description: 'JSON object: the template\'s custom variables → their values (each at most 64 characters, no links, markup or line breaks: 60200). A variable missing → 60224.' }),
  Templates: field.string({ max: 8192 }).meta({ description: 'JSON array of up to 10 `{"sid":"HJ…","substitutions":{…}}`, most preferred first; takes precedence over TemplateSid. The first that exists, has the channel and all its substitutions is used; none → 60252; malformed → 60251.' }),
};

const verificationStatuses = ['pending', 'approved', 'canceled', 'max_attempts_reached', 'expired', 'failed', 'denied'] as const;
const foreignChannels = ['sna', 'auto', 'rcs'];
/** `VoiceFlow` values (press_one with NumberMatch is stored as press_one_number but shown as press_one). */
const voiceFlows = VOICE_FLOWS.filter((flow) => flow !== 'press_one_number');

// Channel, VoiceFlow and Status are checked by the verification lifecycle (their errors name the
// rule broken), so the schema checks their length and documents their values.
const VerificationCreateParams = field
  .fields({
    To: field.string({ max: 320 }).meta({ description: 'E.164 phone number (sms, call, flashcall, whatsapp) or email address (email). Required.', examples: ['+14155552671'] }),
    Channel: field.string({ max: 16 }).meta({
      enum: [...CHANNELS, ...foreignChannels],
      description: `Delivery channel. Required. Verity delivers ${CHANNELS.join(', ')}; the hosted API's ${foreignChannels.join(', ')} are refused with 60223. \`whatsapp\` sends a WhatsApp authentication template (needs \`VERITY_WHATSAPP_PROVIDER\`). \`flashcall\` is a Verity extension (needs \`VERITY_FLASHCALL_CALLER_IDS\`).`,
    }),
    // Locale, CustomFriendlyName and CustomCode are checked by the verification lifecycle (its 60200 names the rule): documented here.
    Locale: field.string({ max: 35 }).meta({ pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$', description: `Message language (BCP 47). Supported (Twilio's list; case and underscores ignored): ${SUPPORTED_LOCALES.join(', ')}. An unlisted region falls back to its language, an unlisted language to English; without Locale, the service's DefaultLocale.` }),
    CustomFriendlyName: field.string({ max: FRIENDLY_NAME_MAX_LENGTH }).meta({ minLength: 1, description: 'Replaces the service FriendlyName in this verification\'s messages; the same rules apply (60200).' }),
    CustomCode: field.string({ max: 10 }).meta({ minLength: 4, pattern: '^[0-9A-Za-z]{4,10}$', description: 'Your own code (4 to 10 letters or digits), stored only as a keyed digest. Requires the service\'s CustomCodeEnabled, else 60200 (the hosted API silently ignores it). Resending a pending custom-code verification must repeat CustomCode. Refused with 60200 with VoiceFlow keypad_code or press_one.' }),
    Amount: field.string({ max: 64 }).meta({ description: 'PSD2 amount; required when the service has Psd2Enabled.' }),
    Payee: field.string({ max: 128 }).meta({ description: 'PSD2 payee; required when the service has Psd2Enabled.' }),
    VoiceFlow: extension(field.string({ max: 32 }).meta({ enum: voiceFlows, default: 'speak_code' }), 'Channel=call only: `speak_code` (default) reads the code out; `keypad_code` has the caller key in `display_code`; `press_one` asks to press 1 to approve.'),
    NumberMatch: extension(field.boolean().meta({ default: false }), 'Only with VoiceFlow=press_one: the caller keys in the two digits of `display_code` instead of pressing 1.'),
    ...MESSAGE_PARAMS,
    RateLimits: field.jsonObject(8192).meta({ description: 'JSON object: UniqueName of one of the service\'s Service Rate Limits → the value its buckets count (a string, e.g. `{"end_user_ip_address": "1.2.3.4"}`). Each bucket of each named rate limit counts this verification for that value; a full one refuses it with 20429 and Retry-After. A key naming no rate limit of the service, or a value that is not a non-empty string of at most 256 characters, is refused with 60200.' }),
  })
  // To and Channel are checked by the route (their errors name them): required on the wire, optional to the schema.
  .meta({ id: 'VerificationCreateParams', required: ['To', 'Channel'] });

const VerificationUpdateParams = field
  .fields({ Status: field.string({ max: 32 }).meta({ enum: ['canceled', 'approved'], description: 'Required. `canceled` ends a pending verification; `approved` confirms it out of band.' }) })
  // Status is checked by update-verification.ts (a missing one is `expected canceled or approved`): required on the wire, optional to the schema.
  .meta({ id: 'VerificationUpdateParams', required: ['Status'] });

const VerificationCheckParams = field
  .fields({
    // The pattern is checked by check-verification.ts (its 60200 names the rule): documented here.
    Code: field.string({ max: 16 }).meta({
      minLength: 4,
      pattern: '^([0-9A-Za-z]{4,10}|\\+[0-9]{5,15})$',
      description:
        'The code the user typed (4 to 10 letters or digits). For a flash call (a Verity extension), the last `flash_call.code_length` digits of the caller id, or the whole caller id in E.164 (`+…`). Refused with 60200 for a verification decided on the call (VoiceFlow keypad_code or press_one). Required.',
    }),
    To: field.string({ max: 320 }).meta({ description: 'Destination of the pending verification. Either To or VerificationSid is required.' }),
    VerificationSid: field.string({ max: 34 }).meta({ minLength: 34, pattern: '^VE[0-9a-f]{32}$', description: 'The verification to check (`VE…`; with To, both must match).' }),
    Amount: field.string({ max: 64 }).meta({ description: 'PSD2: must equal the Amount sent, else the code counts as wrong.' }),
    Payee: field.string({ max: 128 }).meta({ description: 'PSD2: must equal the Payee sent, else the code counts as wrong.' }),
  })
  // Code is checked by check-verification.ts after the other fields (its errors name it): required on the wire, optional to the schema.
  .meta({ id: 'VerificationCheckParams', required: ['Code'] });

const common = {
  sid: sid('VE', 'Verification SID; the same while a verification to this destination is pending.'),
  service_sid: sid('VA', 'Service SID.'),
  account_sid: sid('AC', 'Account SID.'),
  to: z.string().meta({ description: 'The destination, normalised: E.164 phone number or lower-case email address.' }),
  channel: z.enum(CHANNELS as readonly [string, ...string[]]).meta({ description: 'Channel of the latest send.' }),
  status: z.enum(verificationStatuses),
  valid: z.boolean().meta({ description: 'Legacy: true only when `status` is `approved`.' }),
  amount: z.string().nullable().meta({ description: 'PSD2 amount, else null.' }),
  payee: z.string().nullable().meta({ description: 'PSD2 payee, else null.' }),
  date_created: dateTime('Creation time,'),
  date_updated: dateTime('Last change,'),
};

const callOnly = 'Present only on a verification that placed a call.';

const attemptStatuses = [...DELIVERY_ATTEMPT_STATUSES] as [string, ...string[]];
const attemptStatusDoc = '`sending` until the provider answered; `rejected` when it refused the message; then the carrier\'s `queued` → `sent` → `delivered` | `undelivered` | `failed` (statuses only move forward; the first final one stands).';

/** One message handed to one provider for one send (a failover to the next route is another one). */
const DeliveryAttempt = z
  .object({
    sid: sid('DA', 'Delivery attempt SID: the id Verity gives the carrier where it cannot echo its own (Kannel\'s dlr-url).'),
    provider: z.string().meta({ description: 'The provider instance it was handed to (its plug-in name without routing configuration).' }),
    route: z.string().meta({ description: 'The route that planned it (`default:<channel>` without routing configuration).' }),
    route_position: z.number().int().min(0).meta({ description: 'Its target\'s place in the route\'s plan: 0 the first choice, then each failover.' }),
    status: z.enum(attemptStatuses).meta({ description: attemptStatusDoc }),
    status_history: z
      .array(z.object({ status: z.enum(attemptStatuses), date: z.string().meta({ format: 'date-time', description: 'When (the carrier\'s time when it reported one; ISO 8601 with milliseconds).' }), error_code: z.string().nullable().meta({ description: 'The carrier\'s error code with this status, else null.' }) }))
      .meta({ description: 'Every status reported, oldest first; a late or repeated report that did not move the status is kept once.' }),
    provider_message_id: z.string().nullable().meta({ description: 'The carrier\'s id of the message (e.g. Twilio `SM…`, an SMPP message_id); null until accepted.' }),
    parts: z.number().int().nullable().meta({ description: 'SMS segments, when the carrier said.' }),
    error_code: z.string().nullable().meta({ description: 'The carrier\'s error code of an undelivered or failed message, as it sent it.' }),
    error_message: z.string().nullable().meta({ description: 'The carrier\'s error text, or why the provider refused the message (never the message).' }),
    price: z.string().nullable().meta({ description: 'What the carrier charged, as a decimal string, when it reports prices.' }),
    price_unit: z.string().nullable().meta({ description: 'ISO 4217 currency of `price`.' }),
    failover_reason: z.enum(['rejected', 'undelivered', 'timeout']).nullable().meta({ description: 'Set when this attempt handed the message to the next target of its route: refused at send, reported undelivered/failed, or no final status within the route\'s delivery time-out.' }),
    date_created: dateTime('When it was handed to the provider,'),
    date_updated: dateTime('Last change,'),
    date_final: z.string().nullable().meta({ format: 'date-time', description: 'When it reached a final status (ISO 8601 with milliseconds), else null.' }),
  })
  .meta({ id: 'DeliveryAttempt', description: 'One message handed to one provider for one send of a code: its route, status history, carrier error and price. Never the message.' });

const Verification = z
  .object({
    ...common,
    lookup: z
      .object({
        carrier: z
          .object({
            mobile_country_code: z.null(),
            mobile_network_code: z.null(),
            name: z.null(),
            type: z.enum(['mobile', 'landline', 'voip']).nullable().meta({ description: 'From the numbering plan, offline (libphonenumber): null where it cannot tell, as for most North American numbers.' }),
            error_code: z.null(),
          })
          .optional(),
      })
      .meta({ description: '`{}`, or with the service\'s LookupEnabled and a phone number, `carrier` from the offline numbering plan: `type` only (no carrier is asked, so its name and network codes are null).' }),
    send_code_attempts: z
      .array(
        z
          .object({
            time: dateTime('Time of the send,'),
            channel: z.enum(CHANNELS.map((channel) => (channel === 'whatsapp' ? channel : channel.toUpperCase())) as [string, ...string[]]).meta({ description: 'Upper case, as in the hosted API\'s examples, except `whatsapp` (lower case there too).' }),
            attempt_sid: sid('VL', 'Send attempt SID.'),
            delivery_status: extension(z.enum(attemptStatuses).nullable(), `Where this send's message is: delivered when any of its delivery attempts was, else the latest attempt's status (${attemptStatusDoc}). Null for a call.`),
            provider: extension(z.string().nullable(), 'The provider instance of that attempt; null for a call.'),
            delivery_attempts: extension(z.array(DeliveryAttempt), 'Every provider the message was handed to, in route order (more than one after a failover: the same code each time). Empty for a call.'),
          })
          .meta({ id: 'SendCodeAttempt', description: 'One send of a verification\'s code.' }),
      )
      .meta({ description: 'Every send of this verification\'s code, oldest first.' }),
    sna: z.null().meta({ description: 'Always null (Silent Network Auth is not offered).' }),
    url: absoluteUrl('Absolute URL of this verification.'),
    voice_flow: extension(z.enum([...voiceFlows, 'flash'] as unknown as [string, ...string[]]), `${callOnly} The VoiceFlow asked for, or \`flash\` for a flash call.`).optional(),
    number_match: extension(z.boolean(), `${callOnly} press_one with NumberMatch.`).optional(),
    display_code: extension(z.string().nullable(), `${callOnly} The code the app shows for the caller to key in (keypad_code, or two digits for NumberMatch); null otherwise.`).optional(),
    flash_call: extension(
      z.object({ caller_id_prefix: z.string().regex(/^\+[0-9]+$/), code_length: z.number().int().min(3).max(8) }).nullable(),
      `${callOnly} A flash call: the caller id starts with \`caller_id_prefix\` and ends with the code. Null for other flows.`,
    ).optional(),
    links: extension(z.object({ events: absoluteUrl('Server-sent events of the verification\'s progress (no credentials: hand it to that user\'s browser only).') }), `${callOnly} Related URLs.`).optional(),
  })
  .meta({ id: 'Verification', description: 'A verification as returned by create, fetch and update.' });

const VerificationCheck = z
  .object({ ...common, sna_attempts_error_codes: z.array(z.never()).meta({ description: 'Always empty.' }) })
  .meta({ id: 'VerificationCheck', description: 'The result of a check: the verification without `url`, `lookup`, `send_code_attempts`, `sna` or the voice fields.' });

const VerificationPath = ServicePath.extend({ verificationSid: pathSid('VE', 'Verification SID (`VE` + 32 hex).') });

const verificationNotFound = (what: string): ErrorCase => ({
  code: 20404,
  when: what,
  message: 'The requested resource /Services/VA0123456789abcdef0123456789abcdef/Verifications/VE0123456789abcdef0123456789abcdef was not found',
});

export const createVerificationSchema = operation({
  operationId: 'createVerification',
  tag: 'Verifications',
  summary: 'Start a verification (send a code)',
  description: [
    'Sends a one-time code to `To` over `Channel` and answers 201 once the provider accepted the message (or placed the call). While a verification to the same destination is pending, this resends **the same code** under **the same `VE` SID** and appends to `send_code_attempts`.',
    '',
    'Limits: the service\'s own rate limits named in `RateLimits` (20429, checked first), 5 sends per destination per 10 minutes (60203), a burst cap per number prefix (60410), the account\'s send budget (64301), the service\'s AllowedCountries (60605) and EnabledChannels (60223).',
    '',
    VOICE_SEMANTICS,
    '',
    'Events: `verification.pending` when created; `verification.failed` when its first delivery fails; for calls, `verification.progress` at each step and the outcome decided on the call (`verification.approved`, `verification.denied`, `verification.failed`).',
  ].join('\n'),
  caller: 'account',
  params: ServicePath,
  body: VerificationCreateParams,
  ok: { 201: { description: 'The verification (new, or the pending one the code was resent for).', schema: Verification } },
  errors: [
    {
      code: 60200,
      when: 'To missing or not a valid E.164 number/email, To not fitting the channel, Channel missing or unknown, bad Locale, CustomCode without CustomCodeEnabled or not 4–10 letters/digits, a custom-code resend without CustomCode, Amount/Payee with line breaks, markup or links, a bad AppHash, CustomMessage, ChannelConfiguration or TemplateCustomSubstitutions.',
      message: 'Invalid parameter: To (not a valid phone number)',
    },
    {
      code: 60200,
      when: 'voice (Verity extensions): VoiceFlow unknown or given with another channel than call, NumberMatch without VoiceFlow=press_one, CustomCode with VoiceFlow keypad_code or press_one, a verification decided on the call resent with another channel than call, a flash call resent with another channel, or another verification resent as a flash call.',
      message: 'Invalid parameter: VoiceFlow (expected speak_code, keypad_code or press_one)',
    },
    { code: 60200, when: 'RateLimits is not a JSON object of non-empty strings (at most 256 characters), or a key names no rate limit of the service.', message: 'Invalid parameter: RateLimits (the service has no rate limit named end_user_ip_address)' },
    { code: 20429, when: 'a Bucket of a rate limit named in RateLimits is full for its value; nothing was sent or spent.', retryAfter: true, message: 'Too many requests: rate limit end_user_ip_address allows 3 verifications per 60 seconds for this value' },
    { code: 60206, when: 'Amount or Payee missing on a service with Psd2Enabled.', message: "'Amount' & 'Payee' params are required: the service has Psd2Enabled" },
    { code: 60205, when: 'sms to a number the numbering plan says is a landline, on a service with SkipSmsToLandlines.', message: 'SMS is not supported by landline phone number' },
    { code: 60228, when: 'TemplateSid names no template of the account.', message: 'Template was not found: TemplateSid names no template of this account' },
    { code: 60224, when: 'the template has custom variables TemplateCustomSubstitutions does not give.', message: 'Missing substitutions for selected template: uuid (give them in TemplateCustomSubstitutions)' },
    { code: 60251, when: 'Templates is not a JSON array of 1–10 `{sid, substitutions}`.', message: 'Invalid Templates parameter: expected 1 to 10 entries' },
    { code: 60252, when: 'no candidate of Templates is usable.', message: 'Templates are invalid: no candidate exists for this account, supports this channel and has every substitution' },
    { code: 60243, when: 'CustomMessage on a service without CustomMessageEnabled.', message: 'Custom messages are not supported: the service does not enable CustomMessageEnabled; use a template instead' },
    {
      code: 60223,
      when: 'the channel is not in the service\'s EnabledChannels, has no provider configured (call and flashcall: no voice provider; flashcall: no `VERITY_FLASHCALL_CALLER_IDS`), or is one Verity does not deliver (whatsapp, sna, auto, rcs).',
      message: 'Delivery channel disabled: email is not enabled for this service',
    },
    { code: 60212, when: `call and flashcall: a call to this number is still in progress (a silent one ends after ${STALE_CALL_MS / 60_000} minutes).`, message: 'Too many concurrent requests for phone number: a call to this number is still in progress' },
    { code: 60605, when: 'the phone number\'s country is not in the service\'s AllowedCountries.', message: 'Verification delivery attempt blocked: the destination country is not allowed for this service' },
    { code: 60410, when: 'too many recent sends to this number prefix (SMS-pumping defence).', retryAfter: true, message: 'Verification delivery attempt blocked: too many recent sends to this number range' },
    { code: 60203, when: 'max send attempts: 5 sends to this destination within 10 minutes.', retryAfter: true, message: 'Max send attempts reached' },
    { code: 64301, when: 'the account has sent its budget of messages and calls.', retryAfter: true, message: 'Account send budget exhausted: this account has sent its allowance of messages and calls; retry later' },
    { code: 30008, when: 'the provider refused or failed to deliver after the safe retries.', message: 'Delivery failed: the sms provider did not accept the message' },
    SERVICE_NOT_FOUND,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const fetchVerificationSchema = operation({
  operationId: 'fetchVerification',
  tag: 'Verifications',
  summary: 'Fetch a verification',
  description: 'Fetches a verification. As on the hosted API, approved and expired verifications answer 20404; a pending one past its expiry becomes `expired` (20404) on fetch.',
  caller: 'account',
  params: VerificationPath,
  ok: { 200: { description: 'The verification.', schema: Verification } },
  errors: [verificationNotFound('unknown service or verification, or the verification is approved or expired.'), ...API_ERRORS],
});

export const updateVerificationSchema = operation({
  operationId: 'updateVerification',
  tag: 'Verifications',
  summary: 'Cancel or approve a verification',
  description: 'Sets `Status` to `canceled` or `approved` on a **pending** verification and lifts the destination\'s send limit; a call still live for it is hung up.',
  caller: 'account',
  params: VerificationPath,
  body: VerificationUpdateParams,
  ok: { 200: { description: 'The updated verification.', schema: Verification } },
  errors: [
    { code: 60200, when: 'Status missing or not `canceled`/`approved`.', message: 'Invalid parameter: Status (expected canceled or approved)' },
    verificationNotFound('unknown service or verification, or the verification is no longer pending.'),
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});

export const checkVerificationSchema = operation({
  operationId: 'checkVerification',
  tag: 'Verifications',
  summary: 'Check a code',
  description: [
    'Checks the code of the pending verification to `To` (or of `VerificationSid`). Answers 200.',
    '',
    SEMANTICS,
    '',
    'PSD2 services: `Amount` and `Payee` must equal the values the code was sent for, otherwise the code counts as wrong. Events: `verification.approved`, `verification.max_attempts_reached`, `verification.expired`.',
    '',
    'Voice (Verity extensions): a flash call\'s Code is the last `flash_call.code_length` digits of the caller id, or the whole caller id (`+…`, its prefix must be Verity\'s). A verification decided on the call (VoiceFlow keypad_code or press_one) cannot be checked: any Code is refused with 60200 and no attempt is counted.',
  ].join('\n'),
  caller: 'account',
  params: ServicePath,
  body: VerificationCheckParams,
  ok: { 200: { description: 'Checked: `approved` (right code), `pending` (wrong code, not an error), or `max_attempts_reached`.', schema: VerificationCheck } },
  errors: [
    { code: 60200, when: 'Code missing or malformed, neither To nor VerificationSid given, or a verification decided on the call.', message: 'Invalid parameter: Code (expected 4 to 10 letters or digits)' },
    { code: 20404, when: 'nothing pending for `To`, unknown VerificationSid, or the verification is no longer pending.', message: 'The requested resource /Services/VA0123456789abcdef0123456789abcdef/VerificationCheck was not found' },
    { code: 60202, when: `max check attempts (${MAX_CHECK_ATTEMPTS}) reached, or the destination is locked out after ${LOCKOUT.freeFailures} wrong codes.`, retryAfter: true, message: 'Max check attempts reached' },
    SERVICE_NOT_FOUND,
    ...BODY_ERRORS,
    ...API_ERRORS,
  ],
});
