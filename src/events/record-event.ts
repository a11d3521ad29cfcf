import type { Clock } from '../crypto/clock.ts';
import { newSid } from '../crypto/random.ts';
import type { EventRow, WebhookDeliveryRow, WebhookRow } from '../store/schema.ts';
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
 * The rows of one event: the event and one pending delivery per subscribed webhook among
 * `webhooks` (the service's enabled ones). Pure, so a synchronous writer (the SQLite unit of work)
 * and `recordEvent` build the same rows. `order_key` is not here: the database assigns it.
 */
export function buildEventRows(event: NewEvent, webhooks: readonly Pick<WebhookRow, 'sid' | 'event_types'>[], now: number): { event: EventRow; deliveries: WebhookDeliveryRow[] } {
  const sid = newSid('EV');
  const row: EventRow = { sid, account_sid: event.accountSid, service_sid: event.serviceSid, type: event.type, resource_sid: event.resourceSid, payload: JSON.stringify(event.payload), date_created: now };
  const deliveries: WebhookDeliveryRow[] = webhooks
    .filter((w) => eventTypeMatches(webhookEventTypes(w), event.type))
    .map((w) => ({
      sid: newSid('WD'),
      event_sid: sid,
      webhook_sid: w.sid,
      subject_sid: event.resourceSid,
      service_sid: event.serviceSid,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      lease_until: 0,
      claim_token: null,
      last_status_code: null,
      last_error: null,
      date_created: now,
      date_updated: now,
    }));
  return { event: row, deliveries };
}

let lastDeliveriesWrittenAt = Number.NEGATIVE_INFINITY;

/**
 * Tells this process's dispatcher that deliveries were just written (call after writing them, in
 * or after the transaction). An `outbox` wake-up then claims; one with nothing written recently
 * costs no statement, so approvals of services without webhooks add no database work.
 */
export function noteDeliveriesWritten(): void {
  lastDeliveriesWrittenAt = performance.now();
}

/** Whether deliveries were written in the last `windowMs` (longer than any transaction that wrote them). */
export function deliveriesWrittenWithin(windowMs: number): boolean {
  return performance.now() - lastDeliveriesWrittenAt <= windowMs;
}

/**
 * Transactional outbox: writes the event and one pending delivery per subscribed, enabled
 * webhook. Pass the store of the transaction that changes the resource, so the event exists if
 * and only if the change committed; the dispatcher delivers it afterwards. Returns the event SID (`EV…`).
 */
export async function recordEvent(tx: Pick<StoreSet, 'outbox'>, clock: Clock, event: NewEvent): Promise<string> {
  const { outbox } = tx;
  const webhooks = await outbox.enabledWebhooks(event.serviceSid);
  const rows = buildEventRows(event, webhooks, clock.now());
  await outbox.insertEvent(rows.event);
  await outbox.insertDeliveries(rows.deliveries);
  if (rows.deliveries.length > 0) noteDeliveriesWritten();
  return rows.event.sid;
}
