import { EVENT_TYPES } from '../../events/event-types.ts';
import { CHANNELS } from '../../services/service-settings.ts';
import { MAX_CHECK_ATTEMPTS } from '../../verify/limits.ts';
import { KEYPAD_TRIES } from '../../voice/flows/keypad-code-flow.ts';
import { PROGRESS_EVENTS } from '../routes/event-streams-schema.ts';

/**
 * The parts of the OpenAPI document no route declares: the `verityEvent`
 * webhook (what Verity POSTs to a service's webhooks, OpenAPI 3.1 `webhooks`) and the payloads
 * of its events, written as JSON Schema. The generator adds them to the document (openapi-plugin.ts).
 */

type Json = Record<string, unknown>;

const JSON_TYPE = 'application/json';
const schemaRef = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string): string[] => [type, 'null'];

/** Marks a field as Verity's own (absent from the hosted API). */
function extension(schema: Json): Json {
  return { ...schema, description: `**Verity extension** (not on the hosted API). ${String(schema.description ?? '')}`.trim(), 'x-verity-extension': true };
}

const sid = (prefix: string, description: string): Json => ({
  type: 'string',
  pattern: `^${prefix}[0-9a-f]{32}$`,
  minLength: 34,
  maxLength: 34,
  description,
  example: `${prefix}${'0123456789abcdef'.repeat(2)}`,
});
const dateTime = (description: string): Json => ({
  type: 'string',
  format: 'date-time',
  description: `${description} UTC, without milliseconds (\`2015-07-30T20:00:00Z\`).`,
  example: '2026-01-01T12:00:00Z',
});

/** The factor types webhook events name, as the hand-written document listed them. */
const FACTOR_TYPES = ['totp', 'push', 'voiceprint'];
const verificationStatuses = ['pending', 'approved', 'canceled', 'max_attempts_reached', 'expired', 'failed', 'denied'];

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

/** The `verityEvent` webhook: what Verity POSTs to a service's webhooks. */
export function webhooks(): Json {
  const header = (name: string, description: string, example: string): Json => ({ name, in: 'header', required: true, description, schema: { type: 'string' }, example });
  const text = (description: string): Json => ({ type: 'string', description });
  return {
    twilioEvent: {
      post: {
        summary: 'An event delivered to a webhook in Twilio\'s format (the default)',
        description: [
          'A webhook whose `format` is `twilio` (the default) receives each event it subscribed to as a form-encoded POST of the Verify Push webhook parameters, as Twilio sends them; possibly more than once: deduplicate on `uuid`.',
          '',
          'Verify `X-Twilio-Signature` as for any Twilio webhook (`twilio.validateRequest(authToken, signature, url, params)` or `twilio.webhook()`): base64 HMAC-SHA1, keyed by the account\'s auth token, of the webhook URL exactly as configured (query string included) followed by every parameter name and value sorted by name.',
          '',
          'Verity\'s own event types (`verification.*`, `recovery_code.used`) come in the same form, signed the same way, with their resource\'s top-level fields (objects and arrays as JSON text) after `uuid`, `type`, `account_sid` and `service_sid`. Retries and the address policy are those of `verityEvent`.',
        ].join('\n'),
        tags: ['Webhooks'],
        parameters: [
          header('X-Twilio-Signature', 'base64 HMAC-SHA1(auth token, URL + sorted name/value pairs).', 'oQWcNUVszB1OVcM8TKGjAyNM9Xk='),
          header('I-Twilio-Idempotency-Token', 'The delivery (`WD…`): one per event and webhook, the same on every retry.', 'WD0123456789abcdef0123456789abcdef'),
        ],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                required: ['uuid', 'type', 'account_sid', 'service_sid'],
                properties: {
                  uuid: sid('EV', 'The event (the same on every retry and for every webhook).'),
                  type: { type: 'string', enum: [...EVENT_TYPES] },
                  account_sid: sid('AC', 'Account SID.'),
                  service_sid: sid('VA', 'Service SID.'),
                  entity_identity: text('The entity\'s identity (factor and challenge events).'),
                  factor_sid: sid('YF', 'Factor SID.'),
                  factor_type: { type: 'string', enum: FACTOR_TYPES },
                  factor_friendly_name: text('The factor\'s name.'),
                  challenge_sid: sid('YC', 'Challenge SID (challenge events).'),
                  challenge_status: { type: 'string', enum: ['approved', 'denied'] },
                  challenge_details: text('JSON text: `{message, fields, date}`.'),
                  challenge_hidden_details: text('JSON text, when the challenge has hidden details.'),
                  challenge_metadata: text('JSON text, when the answer carried metadata (`Version` v2 only).'),
                },
              },
            },
          },
        },
        responses: { '2XX': { description: 'Acknowledged; any other answer is retried.' } },
      },
    },
    verityEvent: {
      post: {
        summary: 'An event delivered to a webhook in Verity\'s format (`Format=verity`)',
        description: [
          'A webhook whose `format` is `verity` receives each event it subscribed to (see `EventTypes`) at its `webhook_url` as JSON, in the order events are dispatched but possibly more than once: deduplicate on `id`.',
          '',
          `Verify \`Verity-Signature: t=<unix seconds>,v1=<hex>\` where hex = HMAC-SHA256(secret, "<t>.<raw body>") with the secret returned when the webhook was created; reject a \`t\` more than 5 minutes from your clock. Several \`v1=\` values may appear during a secret rotation (any one matching is enough).`,
          '',
          'Any 2xx answer acknowledges the delivery. Anything else (including redirects, which are not followed) or no answer within `VERITY_WEBHOOK_TIMEOUT_MS` (5 s) is retried after 5 s, doubling up to 1 h with ±20 % jitter, until `VERITY_WEBHOOK_MAX_ATTEMPTS` (12) attempts.',
          '',
          'Every delivery resolves the host once, checks every address against the same policy as registration (public addresses only, unless the operator allows loopback or listed networks) and connects only to a checked address, keeping the host name for `Host` and TLS. A refused address counts as a failed attempt.',
        ].join('\n'),
        tags: ['Webhooks'],
        parameters: [
          header('Verity-Signature', 'Signature of the body: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.', 't=1767268800,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd'),
          header('Verity-Event-Id', 'The event SID (as `id`).', 'EV0123456789abcdef0123456789abcdef'),
          header('Verity-Event-Type', 'The event type (as `type`).', 'verification.approved'),
        ],
        requestBody: { required: true, content: { [JSON_TYPE]: { schema: schemaRef('WebhookEvent') } } },
        responses: { '2XX': { description: 'Acknowledged; any other answer is retried.' } },
      },
    },
  };
}

/** The payloads of webhook deliveries (`WebhookEvent` and its `data`). */
function webhookEventSchemas(): Record<string, Json> {
  return {
    WebhookEvent: {
      type: 'object',
      description: 'Body of a webhook delivery (`Content-Type: application/json`).',
      required: ['id', 'type', 'created', 'account_sid', 'service_sid', 'data'],
      properties: {
        id: sid('EV', 'Event SID; the same on every retry of this event (deduplicate on it).'),
        type: { type: 'string', enum: [...EVENT_TYPES] },
        created: { type: 'string', format: 'date-time', description: 'When the event happened (ISO 8601 with milliseconds).' },
        account_sid: sid('AC', 'Account SID.'),
        service_sid: sid('VA', 'Service SID.'),
        data: {
          description:
            'What the event is about: a VerificationEventData (`verification.*` but progress and delivery_status), VerificationProgressEvent (`verification.progress`), DeliveryStatusEventData (`verification.delivery_status`), FactorEventData (`factor.*`), ChallengeEventData (`challenge.*`) or RecoveryCodeEventData (`recovery_code.used`).',
          oneOf: [schemaRef('VerificationEventData'), schemaRef('VerificationProgressEvent'), schemaRef('DeliveryStatusEventData'), schemaRef('FactorEventData'), schemaRef('ChallengeEventData'), schemaRef('RecoveryCodeEventData')],
        },
      },
    },
    VerificationEventData: {
      type: 'object',
      description: 'The verification after the change (VerificationCheck fields plus `check_attempts`); never the code.',
      properties: { ...verificationCommon(), sna_attempts_error_codes: { type: 'array', items: {} }, check_attempts: { type: 'integer', minimum: 0, maximum: MAX_CHECK_ATTEMPTS } },
    },
    VerificationProgressEvent: extension({
      type: 'object',
      description:
        'One step of a call verification: `data` of a `verification.progress` webhook event, and of each event of the progress stream (`GET /events/v1/Verifications/{Sid}/{Token}`, whose SSE `id` and `event` are its `sequence` and `event`). Never a code or a pressed digit.',
      required: ['verification_sid', 'sequence', 'event', 'call_sid', 'data', 'date'],
      properties: {
        verification_sid: sid('VE', 'Verification SID.'),
        sequence: { type: 'integer', minimum: 1, description: 'Per-verification sequence number, from 1, without gaps.' },
        event: { type: 'string', enum: Object.keys(PROGRESS_EVENTS), description: 'What happened (see the stream operation for each one).' },
        call_sid: { ...sid('CL', 'The call the event is about; null for the verification\'s outcome (approved, denied, failed, expired, canceled, max_attempts_reached).'), type: nullable('string') },
        data: { type: 'object', additionalProperties: true, description: 'Details of some events: queued `{flow, provider}`, digits_received `{count, timeout}`, prompt_played `{prompts, note?, reason?}`, call ends `{reason}` (the provider\'s words); otherwise `{}`.' },
        date: dateTime('When it happened,'),
      },
    }),
    DeliveryStatusEventData: extension({
      description:
        '`verification.delivery_status`: the status of one delivery attempt of a verification\'s code changed (the provider accepted or refused the message, or the carrier reported it sent, delivered, undelivered or failed). A DeliveryAttempt with the send it belongs to; never the message or the code.',
      allOf: [
        {
          type: 'object',
          required: ['verification_sid', 'service_sid', 'account_sid', 'send_code_attempt_sid', 'channel'],
          properties: {
            verification_sid: sid('VE', 'Verification SID.'),
            service_sid: sid('VA', 'Service SID.'),
            account_sid: sid('AC', 'Account SID.'),
            send_code_attempt_sid: sid('VL', 'The send (`send_code_attempts[].attempt_sid`) this attempt delivers.'),
            channel: { type: 'string', enum: [...CHANNELS] },
          },
        },
        schemaRef('DeliveryAttempt'),
      ],
    }),
    FactorEventData: {
      type: 'object',
      description: 'The factor after the change (the hosted API\'s Verify webhook fields); never its secret or key.',
      required: ['entity_identity', 'factor_sid', 'factor_type', 'factor_friendly_name', 'factor_status'],
      properties: {
        entity_identity: { type: 'string' },
        factor_sid: sid('YF', 'Factor SID.'),
        factor_type: { type: 'string', enum: FACTOR_TYPES },
        factor_friendly_name: { type: 'string' },
        factor_status: { type: 'string', enum: ['unverified', 'verified'] },
      },
    },
    ChallengeEventData: {
      type: 'object',
      description: 'The challenge as answered (`challenge.approved`, `challenge.denied`), with its factor.',
      required: ['entity_identity', 'factor_sid', 'factor_type', 'factor_friendly_name', 'challenge_sid', 'challenge_status', 'challenge_details'],
      properties: {
        entity_identity: { type: 'string' },
        factor_sid: sid('YF', 'Factor SID.'),
        factor_type: { type: 'string', enum: FACTOR_TYPES },
        factor_friendly_name: { type: 'string' },
        challenge_sid: sid('YC', 'Challenge SID.'),
        challenge_status: { type: 'string', enum: ['approved', 'denied'] },
        challenge_details: { type: 'object', description: '`{message, fields}` as given at creation.' },
        challenge_hidden_details: { type: nullable('object'), additionalProperties: { type: 'string' } },
        challenge_metadata: { type: nullable('object'), description: 'Metadata given with the answer.' },
      },
    },
    RecoveryCodeEventData: extension({
      type: 'object',
      description: '`recovery_code.used`: an entity signed in with a recovery code.',
      required: ['entity_identity', 'amr', 'remaining'],
      properties: {
        entity_identity: { type: 'string' },
        amr: { type: 'array', items: { type: 'string' }, description: 'RFC 8176 methods: `["otp"]`.' },
        remaining: { type: 'integer', minimum: 0, description: 'Unused codes left.' },
      },
    }),
  };
}

/** `data` of a challenge progress stream's events. */
const CHALLENGE_PROGRESS_EVENT: Json = {
  type: 'object',
  'x-verity-extension': true,
  description: '`data` of a challenge progress event; the SSE `id` is its `sequence`.',
  required: ['sequence', 'event', 'challenge_sid', 'status', 'date'],
  properties: {
    sequence: { type: 'integer', enum: [1, 2, 3], description: '1 `created`, 2 `delivered`, 3 the outcome.' },
    event: { type: 'string', enum: ['created', 'delivered', 'approved', 'denied', 'expired'] },
    challenge_sid: sid('YC', 'Challenge SID.'),
    status: { type: 'string', enum: ['pending', 'approved', 'denied', 'expired'], description: 'The challenge\'s status as of this event.' },
    date: dateTime('When it happened,'),
  },
};

/** Every event payload schema, for the components of the document. */
export function eventSchemas(): Record<string, Json> {
  return { ...webhookEventSchemas(), ChallengeProgressEvent: CHALLENGE_PROGRESS_EVENT };
}
