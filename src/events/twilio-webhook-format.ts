import { createHmac } from 'node:crypto';

/**
 * Webhooks in Twilio's format (the default for webhooks created through `/v2/Services/{VA}/Webhooks`):
 * a form-encoded POST of the Verify Push webhook parameters, signed `X-Twilio-Signature` with the
 * account's auth token exactly as Twilio signs its webhooks, so a receiver written for Twilio
 * (`twilio.validateRequest`, `twilio.webhook()`) accepts it unchanged.
 */

export const TWILIO_SIGNATURE_HEADER = 'X-Twilio-Signature';
export const TWILIO_IDEMPOTENCY_HEADER = 'I-Twilio-Idempotency-Token';

/** The event as the outbox holds it. */
export interface OutboxEvent {
  sid: string;
  type: string;
  accountSid: string;
  serviceSid: string;
  /** The event's fields (record-factor-event.ts uses the hosted API's parameter names). */
  payload: unknown;
}

/**
 * The parameters Twilio documents for Verify Push webhooks, by `Version`
 * (https://www.twilio.com/docs/verify/api/webhooks). v2, the default, carries every field; v1
 * (legacy) is taken here as the same without `challenge_metadata`, which the page's v2 table adds
 * (the docs' table was only partly readable: docs/webhooks.md records the choice).
 */
const PUSH_FIELDS = ['entity_identity', 'factor_sid', 'factor_type', 'factor_friendly_name', 'challenge_sid', 'challenge_details', 'challenge_hidden_details', 'challenge_metadata', 'challenge_status'] as const;
const PUSH_FIELDS_V1: readonly string[] = PUSH_FIELDS.filter((f) => f !== 'challenge_metadata');

/** Twilio's own event types; anything else (`verification.*`, `recovery_code.used`) is Verity's extension. */
const TWILIO_EVENT_TYPES = new Set(['factor.created', 'factor.verified', 'factor.deleted', 'challenge.approved', 'challenge.denied']);

/** A form value: text as is, JSON-valued fields as JSON text (as Twilio sends `challenge_details`). */
function formValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * The form parameters of an event. `uuid` is the event's SID: the same on every retry and for
 * every webhook, so a receiver can drop duplicates. Twilio's push events carry exactly the
 * documented fields; Verity's own events carry each top-level field of their resource (objects
 * and arrays as JSON text) beside `uuid`, `type`, `account_sid` and `service_sid`.
 */
export function twilioWebhookParams(event: OutboxEvent, version: string): Record<string, string> {
  const params: Record<string, string> = { uuid: event.sid, type: event.type, account_sid: event.accountSid, service_sid: event.serviceSid };
  const payload = event.payload !== null && typeof event.payload === 'object' && !Array.isArray(event.payload) ? (event.payload as Record<string, unknown>) : {};
  const names = TWILIO_EVENT_TYPES.has(event.type) ? (version === 'v1' ? PUSH_FIELDS_V1 : PUSH_FIELDS) : Object.keys(payload).filter((k) => !(k in params));
  for (const name of names) {
    const value = formValue(payload[name]);
    if (value !== undefined) params[name] = value;
  }
  return params;
}

/** `application/x-www-form-urlencoded` text of the parameters. */
export function formBody(params: Record<string, string>): string {
  return new URLSearchParams(Object.entries(params)).toString();
}

/**
 * `X-Twilio-Signature`: base64 HMAC-SHA1, keyed by the auth token, of the URL exactly as configured
 * (with its query string, byte for byte) followed by every parameter's name and value, sorted by name.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}
