import type { Clock } from '../../crypto/clock.ts';
import { buildEventRows, noteDeliveriesWritten, type NewEvent } from '../../events/record-event.ts';
import type { StepStores } from '../../store/step-stores.ts';
import type { Steps } from '../../store/steps.ts';

/**
 * `recordEvent` as steps of a transaction (the outbox written in the transaction that changes the
 * resource): the same rows, built by the same pure `buildEventRows`, so a synchronous SQLite
 * transaction and an async one write identical events and deliveries. Returns the event SID.
 */
export function* recordEventSteps(steps: Pick<StepStores, 'outbox'>, clock: Clock, event: NewEvent): Steps<string> {
  const webhooks = yield* steps.outbox.enabledWebhooks(event.serviceSid);
  const rows = buildEventRows(event, webhooks, clock.now());
  yield* steps.outbox.insertEvent(rows.event);
  yield* steps.outbox.insertDeliveries(rows.deliveries);
  if (rows.deliveries.length > 0) noteDeliveriesWritten();
  return rows.event.sid;
}
