import type { Clock } from '../crypto/clock.ts';
import { newSid } from '../crypto/random.ts';
import type { WebhookDeliveryRow } from '../store/schema.ts';
import type { StoreSet } from '../store/store-set.ts';
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
 * webhook. Pass the store of the transaction that changes the resource, so the event exists if
 * and only if the change committed; the dispatcher delivers it afterwards. Returns the event SID (`EV…`).
 */
export async function recordEvent(tx: Pick<StoreSet, 'outbox'>, clock: Clock, event: NewEvent): Promise<string> {
  const now = clock.now();
  const sid = newSid('EV');
  const { outbox } = tx;
  await outbox.insertEvent({ sid, account_sid: event.accountSid, service_sid: event.serviceSid, type: event.type, resource_sid: event.resourceSid, payload: JSON.stringify(event.payload), date_created: now });
  const webhooks = await outbox.enabledWebhooks(event.serviceSid);
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
  await outbox.insertDeliveries(deliveries);
  return sid;
}
