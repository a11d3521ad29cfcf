import type { Kysely } from 'kysely';
import type { Clock } from '../crypto/clock.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { newSecret, newSid } from '../crypto/random.ts';
import { seal, unseal } from '../crypto/seal.ts';
import type { Database, WebhookRow } from '../store/schema.ts';

/**
 * The Twilio Verify `Webhooks` resource (`/v2/Services/{ServiceSid}/Webhooks`). Callers validate
 * input (URL, event types); every function accepts a transaction as `db`.
 */

export type WebhookStatus = 'enabled' | 'disabled';
export type WebhookMethod = 'POST';
export type WebhookVersion = 'v2';

export interface CreateWebhookInput {
  accountSid: string;
  serviceSid: string;
  friendlyName: string;
  eventTypes: string[];
  webhookUrl: string;
  webhookMethod?: WebhookMethod;
  status?: WebhookStatus;
  version?: WebhookVersion;
}

export interface UpdateWebhookPatch {
  friendlyName?: string;
  eventTypes?: string[];
  webhookUrl?: string;
  webhookMethod?: WebhookMethod;
  status?: WebhookStatus;
  version?: WebhookVersion;
}

const secretContext = (sid: string): string => `webhook:${sid}`;

/** Creates a webhook with a fresh signing secret; the plaintext secret is returned only here. */
export async function createWebhook(
  db: Kysely<Database>,
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
    event_types: JSON.stringify(input.eventTypes),
    webhook_url: input.webhookUrl,
    webhook_method: input.webhookMethod ?? 'POST',
    status: input.status ?? 'enabled',
    version: input.version ?? 'v2',
    secret_sealed: seal(keyring, secret, secretContext(sid)),
    date_created: now,
    date_updated: now,
  };
  await db.insertInto('webhooks').values(row).execute();
  return { row, secret };
}

export async function getWebhook(db: Kysely<Database>, serviceSid: string, sid: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('service_sid', '=', serviceSid).where('sid', '=', sid).executeTakeFirst();
}

/** Oldest first, with the SID as a tie-breaker so pages are stable. */
export async function listWebhooks(
  db: Kysely<Database>,
  serviceSid: string,
  { limit, offset }: { limit: number; offset: number },
): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('service_sid', '=', serviceSid)
    .orderBy('date_created', 'asc')
    .orderBy('sid', 'asc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Applies the fields present in `patch`; returns the updated row, or undefined if there is none. */
export async function updateWebhook(
  db: Kysely<Database>,
  clock: Clock,
  serviceSid: string,
  sid: string,
  patch: UpdateWebhookPatch,
): Promise<WebhookRow | undefined> {
  const changes: Partial<WebhookRow> = { date_updated: clock.now() };
  if (patch.friendlyName !== undefined) changes.friendly_name = patch.friendlyName;
  if (patch.eventTypes !== undefined) changes.event_types = JSON.stringify(patch.eventTypes);
  if (patch.webhookUrl !== undefined) changes.webhook_url = patch.webhookUrl;
  if (patch.webhookMethod !== undefined) changes.webhook_method = patch.webhookMethod;
  if (patch.status !== undefined) changes.status = patch.status;
  if (patch.version !== undefined) changes.version = patch.version;
  return db
    .updateTable('webhooks')
    .set(changes)
    .where('service_sid', '=', serviceSid)
    .where('sid', '=', sid)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the webhook; its undelivered deliveries are failed by the dispatcher when due. */
export async function deleteWebhook(db: Kysely<Database>, serviceSid: string, sid: string): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('service_sid', '=', serviceSid).where('sid', '=', sid).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The plaintext signing secret of a webhook row. */
export function openWebhookSecret(keyring: Keyring, row: Pick<WebhookRow, 'sid' | 'secret_sealed'>): string {
  return unseal(keyring, row.secret_sealed, secretContext(row.sid));
}

/** The `event_types` column as a list (stored as a JSON array). */
export function webhookEventTypes(row: Pick<WebhookRow, 'event_types'>): string[] {
  const parsed: unknown = JSON.parse(row.event_types);
  return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
}
