import type { Kysely } from 'kysely';
import { eventTypes } from './codecs/webhooks-codec.ts';
import { prepared } from './prepared.ts';
import type { Database, EventRow, WebhookDeliveryRow, WebhookRow } from './schema.ts';
import { adHoc, query, type Steps } from './steps.ts';

const insertEventQuery = prepared((db, sid: string, accountSid: string, serviceSid: string, type: string, resourceSid: string, payload: string, now: number) =>
  db.insertInto('events').values({ sid, account_sid: accountSid, service_sid: serviceSid, type, resource_sid: resourceSid, payload, date_created: now }),
);
const enabledWebhooksQuery = prepared((db, serviceSid: string) =>
  db.selectFrom('webhooks').select(['sid', 'event_types']).where('service_sid', '=', serviceSid).where('status', '=', 'enabled'),
);

/**
 * The transactional outbox (`events` and their `webhook_deliveries`): written in the transaction
 * that changes the resource, so an event exists if and only if its change committed.
 * src/events/record-event.ts decides which webhooks get a delivery.
 */
export class OutboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insertEvent(row: EventRow): Promise<void> {
    await insertEventQuery(this.db, row.sid, row.account_sid, row.service_sid, row.type, row.resource_sid, row.payload, row.date_created);
  }

  /** The enabled webhooks of a service, with the event types they subscribe to. */
  async enabledWebhooks(serviceSid: string): Promise<Pick<WebhookRow, 'sid' | 'event_types'>[]> {
    return (await enabledWebhooksQuery(this.db, serviceSid)).map((w) => ({ sid: w.sid, event_types: eventTypes.decode(w.event_types) }));
  }

  async insertDeliveries(rows: WebhookDeliveryRow[]): Promise<void> {
    if (rows.length > 0) await this.db.insertInto('webhook_deliveries').values(rows).execute();
  }
}

/** The outbox as steps of a transaction (src/store/steps.ts); the same statements as OutboxStore. */
export const outboxSteps = {
  *insertEvent(row: EventRow): Steps<void> {
    yield* query(insertEventQuery, row.sid, row.account_sid, row.service_sid, row.type, row.resource_sid, row.payload, row.date_created);
  },
  *enabledWebhooks(serviceSid: string): Steps<Pick<WebhookRow, 'sid' | 'event_types'>[]> {
    return (yield* query(enabledWebhooksQuery, serviceSid)).rows.map((w) => ({ sid: w.sid, event_types: eventTypes.decode(w.event_types) }));
  },
  *insertDeliveries(rows: WebhookDeliveryRow[]): Steps<void> {
    if (rows.length > 0) yield* adHoc((db) => db.insertInto('webhook_deliveries').values(rows));
  },
};
