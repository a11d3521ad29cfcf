import type { Kysely } from 'kysely';
import type { Clock } from '../crypto/clock.ts';
import { newSid } from '../crypto/random.ts';
import { prepared } from '../store/prepared.ts';
import type { Database, WebhookDeliveryRow } from '../store/schema.ts';
import { eventTypeMatches, type EventType } from './event-types.ts';
import { webhookEventTypes } from './webhooks-store.ts';

export interface NewEvent {
  accountSid: string;
  serviceSid: string;
  type: EventType;
  /** The SID of the resource the event is about (verification, factor, challenge). */
  resourceSid: string;
  /** The `data` of the webhook body; must be JSON-serialisable. */
  payload: object;
}

/**
 * Transactional outbox: writes the event and one pending delivery per subscribed, enabled
 * webhook. Pass the transaction that changes the resource, so the event exists if and only if
 * the change committed; the dispatcher delivers it afterwards. Returns the event SID (`EV…`).
 */
const insertEventQuery = prepared((db, sid: string, accountSid: string, serviceSid: string, type: string, resourceSid: string, payload: string, now: number) =>
  db.insertInto('events').values({ sid, account_sid: accountSid, service_sid: serviceSid, type, resource_sid: resourceSid, payload, date_created: now }),
);
const enabledWebhooksQuery = prepared((db, serviceSid: string) =>
  db.selectFrom('webhooks').select(['sid', 'event_types']).where('service_sid', '=', serviceSid).where('status', '=', 'enabled'),
);

export async function recordEvent(db: Kysely<Database>, clock: Clock, event: NewEvent): Promise<string> {
  const now = clock.now();
  const sid = newSid('EV');
  await insertEventQuery(db, sid, event.accountSid, event.serviceSid, event.type, event.resourceSid, JSON.stringify(event.payload), now);
  const webhooks = await enabledWebhooksQuery(db, event.serviceSid);
  const deliveries: WebhookDeliveryRow[] = webhooks
    .filter((w) => eventTypeMatches(webhookEventTypes(w), event.type))
    .map((w) => ({
      sid: newSid('WD'),
      event_sid: sid,
      webhook_sid: w.sid,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      lease_until: 0,
      last_status_code: null,
      last_error: null,
      date_created: now,
      date_updated: now,
    }));
  if (deliveries.length > 0) await db.insertInto('webhook_deliveries').values(deliveries).execute();
  return sid;
}
