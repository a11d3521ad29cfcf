import type { Clock } from '../crypto/clock.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { newSecret, newSid } from '../crypto/random.ts';
import { seal, unseal } from '../crypto/seal.ts';
import type { WebhookRow } from '../store/schema.ts';
import type { WebhooksStore } from '../store/webhooks-store.ts';

/**
 * The Twilio Verify `Webhooks` resource (`/v2/Services/{ServiceSid}/Webhooks`). Callers validate
 * input (URL, event types); every function takes the webhooks store (of the database or a transaction).
 */

type WebhookStatus = 'enabled' | 'disabled';
type WebhookMethod = 'POST';
type WebhookVersion = 'v1' | 'v2';
/** `twilio`: form body signed X-Twilio-Signature (the default); `verity`: the JSON envelope signed Verity-Signature. */
type WebhookFormat = 'twilio' | 'verity';

export interface CreateWebhookInput {
  accountSid: string;
  serviceSid: string;
  friendlyName: string;
  eventTypes: string[];
  webhookUrl: string;
  webhookMethod?: WebhookMethod;
  status?: WebhookStatus;
  version?: WebhookVersion;
  format?: WebhookFormat;
}

export interface UpdateWebhookPatch {
  friendlyName?: string;
  eventTypes?: string[];
  webhookUrl?: string;
  webhookMethod?: WebhookMethod;
  status?: WebhookStatus;
  version?: WebhookVersion;
  format?: WebhookFormat;
}

const secretContext = (sid: string): string => `webhook:${sid}`;

/**
 * Creates a webhook with a fresh signing secret; the plaintext secret is returned only here. The
 * secret signs the Verity format (also kept for a Twilio-format webhook, which may switch format).
 */
export async function createWebhook(
  webhooks: WebhooksStore,
  keyring: Keyring,
  clock: Clock,
  input: CreateWebhookInput,
): Promise<{ row: WebhookRow; secret: string }> {
  const sid = newSid('YW');
  const secret = newSecret();
  const now = clock.now();
  const row: WebhookRow = {
    sid,
    account_sid: input.accountSid,
    service_sid: input.serviceSid,
    friendly_name: input.friendlyName,
    event_types: input.eventTypes,
    webhook_url: input.webhookUrl,
    webhook_method: input.webhookMethod ?? 'POST',
    status: input.status ?? 'enabled',
    version: input.version ?? 'v2',
    secret_sealed: seal(keyring, secret, secretContext(sid)),
    format: input.format ?? 'twilio',
    date_created: now,
    date_updated: now,
  };
  await webhooks.insert(row);
  return { row, secret };
}

export async function getWebhook(webhooks: WebhooksStore, serviceSid: string, sid: string): Promise<WebhookRow | undefined> {
  return webhooks.find(serviceSid, sid);
}

/** Oldest first, with the SID as a tie-breaker so pages are stable. */
export async function listWebhooks(webhooks: WebhooksStore, serviceSid: string, page: { limit: number; offset: number }): Promise<WebhookRow[]> {
  return webhooks.list(serviceSid, page);
}

/** Applies the fields present in `patch`; returns the updated row, or undefined if there is none. */
export async function updateWebhook(
  webhooks: WebhooksStore,
  clock: Clock,
  serviceSid: string,
  sid: string,
  patch: UpdateWebhookPatch,
): Promise<WebhookRow | undefined> {
  const changes: Partial<WebhookRow> = { date_updated: clock.now() };
  if (patch.friendlyName !== undefined) changes.friendly_name = patch.friendlyName;
  if (patch.eventTypes !== undefined) changes.event_types = patch.eventTypes;
  if (patch.webhookUrl !== undefined) changes.webhook_url = patch.webhookUrl;
  if (patch.webhookMethod !== undefined) changes.webhook_method = patch.webhookMethod;
  if (patch.status !== undefined) changes.status = patch.status;
  if (patch.version !== undefined) changes.version = patch.version;
  if (patch.format !== undefined) changes.format = patch.format;
  return webhooks.update(serviceSid, sid, changes);
}

/** Deletes the webhook; its undelivered deliveries are failed by the dispatcher when due. */
export async function deleteWebhook(webhooks: WebhooksStore, serviceSid: string, sid: string): Promise<boolean> {
  return webhooks.delete(serviceSid, sid);
}

/** The plaintext signing secret of a webhook row. */
export function openWebhookSecret(keyring: Keyring, row: Pick<WebhookRow, 'sid' | 'secret_sealed'>): string {
  return unseal(keyring, row.secret_sealed, secretContext(row.sid));
}

/** The event types a webhook subscribes to. */
export function webhookEventTypes(row: Pick<WebhookRow, 'event_types'>): string[] {
  return row.event_types;
}
