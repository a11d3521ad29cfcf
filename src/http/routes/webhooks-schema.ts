import { z } from 'zod';
import { ALL_EVENT_TYPES, EVENT_TYPES } from '../../events/event-types.ts';
import { API_ERRORS, BODY_ERRORS, PAGE_ERRORS, SERVICE_NOT_FOUND, type ErrorCase } from '../schema/error-responses.ts';
import { operation } from '../schema/operation.ts';
import { absoluteUrl, dateTime, extension, listOf, pathSid, sid } from '../schema/resource-fields.ts';
import * as field from '../schema/wire-fields.ts';
import { PageQuery } from '../pagination.ts';
import { ServicePath } from './services-schema.ts';

/** The Webhooks resource: where Verity POSTs a service's signed events (Twilio's format by default, Verity's JSON envelope on request). */

const eventTypeFilters = [ALL_EVENT_TYPES, ...EVENT_TYPES] as const;
const anyEventType = `expected * or any of ${EVENT_TYPES.join(', ')}`;

/**
 * `EventTypes`: repeated keys, comma-separated, or both. On create it is required (an empty list
 * too); on update an empty list changes nothing.
 */
function eventTypes(required: boolean) {
  const list = z.array(z.enum(eventTypeFilters, { error: anyEventType }), { error: 'required' });
  return z.preprocess(
    (raw) =>
      raw === undefined
        ? undefined
        : (Array.isArray(raw) ? raw : [raw])
            .filter((v) => v !== undefined && v !== null)
            .flatMap((v) => String(typeof v === 'object' ? JSON.stringify(v) : v).split(','))
            .map((v) => v.trim())
            .filter(Boolean),
    required ? list.min(1, { error: 'required' }) : list.optional(),
  ).meta({
    description:
      'Event types to deliver, as repeated keys (`EventTypes=verification.approved&EventTypes=verification.failed`) or comma-separated. `*` subscribes to every type, including ones added later. `factor.*` and `challenge.*` are the hosted API\'s types; `verification.*` and `recovery_code.used` are Verity extensions. `verification.progress` reports each step of a verification\'s calls (VerificationProgressEvent); `verification.denied` a press_one call answered with another key.',
  });
}

/**
 * The URL's shape, checked where it always was (before Status and Version); whether its host is
 * a public address is the domain's check (events/webhook-target.ts), run by webhooks-routes.ts
 * in its old place: before Status and Version.
 */
function urlShape(value: string | undefined, ctx: z.RefinementCtx): void {
  if (value === undefined) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected an absolute http(s) URL', input: value });
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') ctx.addIssue({ code: 'custom', message: 'expected an absolute http(s) URL', input: value });
  else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'must not contain credentials; verify the X-Twilio-Signature (or Verity-Signature) header instead', input: value });
}

const webhookUrlShape = field.string({ max: 2048 }).superRefine(urlShape);

/** The WebhookUrl a body gives, when its shape is valid (undefined otherwise). */
export function webhookUrlOf(body: unknown): string | undefined {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).WebhookUrl : undefined;
  return webhookUrlShape.safeParse(raw).data;
}

/** The fields checked after WebhookUrl's address (the order the API has always used). */
export const FIELDS_AFTER_WEBHOOK_URL: ReadonlySet<string> = new Set(['Status', 'Version', 'Format']);

const webhookUrlDescription =
  'Absolute http(s) URL that receives the signed events; it must not contain credentials (verify `X-Twilio-Signature`, or `Verity-Signature` with `Format=verity`, instead). The signature covers this URL exactly as given, query string included. Its host must be a public address, or a name that resolves only to public addresses (checked at registration and again at every delivery, on the address connected to; 64501 otherwise). Redirects are not followed.';

const common = {
  Status: field.oneOf(['enabled', 'disabled']).meta({ description: 'A disabled webhook receives nothing; pending deliveries to it are abandoned.', default: 'enabled' }),
  Version: field.oneOf(['v1', 'v2']).meta({ description: 'Payload version of the Twilio format: `v2` (default) sends every Verify Push parameter; `v1` (legacy) the same without `challenge_metadata`. The Verity format ignores it.', default: 'v2' }),
  Format: extension(
    field.oneOf(['twilio', 'verity']),
    '`twilio` (default): a form-encoded POST of the Verify Push webhook parameters signed `X-Twilio-Signature` with the account\'s auth token, as Twilio sends them. `verity`: the JSON envelope (`WebhookEvent`) signed `Verity-Signature` with the webhook\'s secret. Webhooks created before this parameter existed are `verity`.',
  ).meta({ default: 'twilio' }),
};

const WebhookCreateParams = field
  .fields({
    FriendlyName: field.required({ max: 64 }).meta({ minLength: 1, description: 'A name for the webhook.' }),
    EventTypes: eventTypes(true),
    WebhookUrl: field.required({ max: 2048 }).superRefine(urlShape).meta({ format: 'uri', description: webhookUrlDescription }),
    ...common,
  })
  .meta({ id: 'WebhookCreateParams' });

const WebhookUpdateParams = field
  .fields({
    FriendlyName: field.string({ max: 64 }).meta({ description: 'A name for the webhook.' }),
    EventTypes: eventTypes(false),
    WebhookUrl: webhookUrlShape.meta({ format: 'uri', description: webhookUrlDescription }),
    ...common,
  })
  .meta({ id: 'WebhookUpdateParams', description: 'Only the parameters given change.' });

const webhookShape = {
  url: absoluteUrl('Absolute URL of this webhook.'),
  sid: sid('YW', 'Webhook SID.'),
  account_sid: sid('AC', 'Account SID.'),
  service_sid: sid('VA', 'Service SID.'),
  friendly_name: z.string(),
  event_types: z.array(z.enum(eventTypeFilters)),
  webhook_method: z.enum(['POST']).meta({ description: 'Always POST.' }),
  webhook_url: z.string().meta({ format: 'uri' }),
  status: z.enum(['enabled', 'disabled']),
  version: z.enum(['v1', 'v2']),
  format: extension(z.enum(['twilio', 'verity']), 'How deliveries are encoded and signed (the `Format` parameter).'),
  date_created: dateTime('Creation time,'),
  date_updated: dateTime('Last update,'),
};

const Webhook = z.object(webhookShape).meta({ id: 'Webhook', description: 'A webhook of a service: where Verity POSTs signed events.' });

const WebhookCreated = z
  .object({
    ...webhookShape,
    secret: extension(z.string(), 'Signing secret of `Verity-Signature` (HMAC-SHA256), used when `format` is `verity`. Returned only by create, stored sealed: keep it, it cannot be read again.'),
  })
  .meta({ id: 'WebhookCreated', description: 'The webhook as created, with its signing secret (shown only in this response).' });

const WebhookList = listOf('webhooks', Webhook, 'WebhookList', 'A page of webhooks, oldest first (without secrets).');

const WebhookPath = ServicePath.extend({ webhookSid: pathSid('YW', 'Webhook SID (`YW` + 32 hex).') });

const webhookNotFound: ErrorCase = { code: 20404, when: 'unknown service, or no webhook with this `Sid` in the service.', message: 'The requested resource /Services/VA…/Webhooks/YW… was not found' };
const webhookInvalid: ErrorCase = {
  code: 60200,
  when: 'a parameter is missing or invalid (FriendlyName missing or over 64 characters, no or unknown EventTypes, WebhookUrl not an absolute http(s) URL or containing credentials, bad Status, Version or Format); the message names it.',
  message: 'Invalid parameter: WebhookUrl',
};
const webhookAddressRefused: ErrorCase = {
  code: 64501,
  when: 'WebhookUrl is, or its host name resolves to, a loopback, private, link-local, carrier-grade NAT, multicast, unspecified or reserved address (any spelling: `127.1`, `2130706433`, `[::ffff:127.0.0.1]`, `localhost`, `169.254.169.254`, …), unless VERITY_WEBHOOK_ALLOW_LOOPBACK or VERITY_WEBHOOK_ALLOWED_NETWORKS allows it.',
  message: 'Invalid parameter: WebhookUrl (its host is or resolves to a loopback address; Verity calls only public addresses)',
};
const webhookEventsNote =
  'By default deliveries are form-encoded POSTs of the Verify Push parameters (`uuid`, `type`, `account_sid`, `service_sid`, `entity_identity`, `factor_*`, `challenge_*`; Verity\'s own event types add their resource\'s fields) with `X-Twilio-Signature` (base64 HMAC-SHA1 of the URL and the sorted parameters, keyed by the account\'s auth token) and `I-Twilio-Idempotency-Token`. With `Format=verity` they are JSON (`WebhookEvent`) with `Verity-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. Either way they are retried with exponential backoff until a 2xx (docs/webhooks.md).';

export const createWebhookSchema = operation({
  operationId: 'createWebhook',
  tag: 'Webhooks',
  summary: 'Create a webhook',
  description: `Subscribes a URL to the service's events. The response carries the signing \`secret\` (a Verity extension) once; keep it. ${webhookEventsNote}`,
  caller: 'account',
  params: ServicePath,
  body: WebhookCreateParams,
  ok: { 201: { description: 'The new webhook, with its secret.', schema: WebhookCreated } },
  errors: [webhookInvalid, webhookAddressRefused, SERVICE_NOT_FOUND, ...BODY_ERRORS, ...API_ERRORS],
});

export const listWebhooksSchema = operation({
  operationId: 'listWebhooks',
  tag: 'Webhooks',
  summary: 'List webhooks',
  description: 'Lists the service\'s webhooks, oldest first (secrets are never listed).',
  caller: 'account',
  params: ServicePath,
  querystring: PageQuery,
  ok: { 200: { description: 'A page of webhooks.', schema: WebhookList } },
  errors: [...PAGE_ERRORS, SERVICE_NOT_FOUND, ...API_ERRORS],
});

export const fetchWebhookSchema = operation({
  operationId: 'fetchWebhook',
  tag: 'Webhooks',
  summary: 'Fetch a webhook',
  description: 'Fetches one webhook (without its secret).',
  caller: 'account',
  params: WebhookPath,
  ok: { 200: { description: 'The webhook.', schema: Webhook } },
  errors: [webhookNotFound, ...API_ERRORS],
});

export const updateWebhookSchema = operation({
  operationId: 'updateWebhook',
  tag: 'Webhooks',
  summary: 'Update a webhook',
  description: 'Changes the given parameters; the secret stays the same. Disabling a webhook abandons its pending deliveries.',
  caller: 'account',
  params: WebhookPath,
  body: WebhookUpdateParams,
  ok: { 200: { description: 'The updated webhook (without its secret).', schema: Webhook } },
  errors: [webhookInvalid, webhookAddressRefused, webhookNotFound, ...BODY_ERRORS, ...API_ERRORS],
});

export const deleteWebhookSchema = operation({
  operationId: 'deleteWebhook',
  tag: 'Webhooks',
  summary: 'Delete a webhook',
  description: 'Deletes the webhook; its pending deliveries are abandoned.',
  caller: 'account',
  params: WebhookPath,
  ok: { 204: { description: 'Deleted (no body).' } },
  errors: [webhookNotFound, ...API_ERRORS],
});
