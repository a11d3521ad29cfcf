import type { Kysely } from 'kysely';
import { decodeWebhook, encodeWebhook, encodeWebhookPatch } from './codecs/webhooks-codec.ts';
import type { Database, WebhookRow } from './schema.ts';

/** The `webhooks` table (src/events/webhooks.ts holds the resource's rules: secrets, defaults). */
export class WebhooksStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: WebhookRow): Promise<void> {
    await this.db.insertInto('webhooks').values(encodeWebhook(row)).execute();
  }

  async find(serviceSid: string, sid: string): Promise<WebhookRow | undefined> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('service_sid', '=', serviceSid).where('sid', '=', sid).executeTakeFirst();
    return row && decodeWebhook(row);
  }

  /** Oldest first, with the SID as a tie-breaker so pages are stable. */
  async list(serviceSid: string, { limit, offset }: { limit: number; offset: number }): Promise<WebhookRow[]> {
    return (await this.db.selectFrom('webhooks').selectAll().where('service_sid', '=', serviceSid).orderBy('date_created', 'asc').orderBy('sid', 'asc').limit(limit).offset(offset).execute()).map(decodeWebhook);
  }

  /** Applies `changes`; the updated row, or undefined if there is none. */
  async update(serviceSid: string, sid: string, changes: Partial<WebhookRow>): Promise<WebhookRow | undefined> {
    const row = await this.db.updateTable('webhooks').set(encodeWebhookPatch(changes)).where('service_sid', '=', serviceSid).where('sid', '=', sid).returningAll().executeTakeFirst();
    return row && decodeWebhook(row);
  }

  async delete(serviceSid: string, sid: string): Promise<boolean> {
    const result = await this.db.deleteFrom('webhooks').where('service_sid', '=', serviceSid).where('sid', '=', sid).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
