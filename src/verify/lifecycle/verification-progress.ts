import type { Clock } from '../../crypto/clock.ts';
import type { EventBus } from '../../events/event-bus.ts';
import { recordEvent } from '../../events/record-event.ts';
import { isoSeconds } from '../../time/format.ts';
import type { VerificationEventRow, VerificationRow } from '../../store/schema.ts';
import type { StepStores } from '../../store/step-stores.ts';
import type { Steps } from '../../store/steps.ts';
import type { StoreSet } from '../../store/store-set.ts';
import { recordEventSteps } from './record-event-steps.ts';

/**
 * What happened to a verification's call, step by step: `queued`, `ringing`, `answered`,
 * `prompt_played`, `digits_received`, the outcome (`approved`, `denied`, `failed`) and how the call
 * ended (`completed`, `no-answer`, `busy`, `rejected`, `canceled`). Each event gets the next sequence
 * number of its verification and also goes to webhooks (`verification.progress`), in the same
 * transaction. Data never holds a code or a digit that was pressed.
 */
export type ProgressEvent =
  | 'queued'
  | 'ringing'
  | 'answered'
  | 'prompt_played'
  | 'digits_received'
  | 'approved'
  | 'denied'
  | 'failed'
  | 'expired'
  | 'canceled'
  | 'max_attempts_reached'
  | 'completed'
  | 'no-answer'
  | 'busy'
  | 'rejected';

export async function recordProgress(
  tx: Pick<StoreSet, 'verificationEvents' | 'outbox'>,
  clock: Clock,
  verification: Pick<VerificationRow, 'sid' | 'account_sid' | 'service_sid'>,
  event: ProgressEvent,
  callSid: string | null,
  data: Record<string, unknown> = {},
): Promise<VerificationEventRow> {
  const row = await tx.verificationEvents.append(verification.sid, event, callSid, data, clock.now());
  await recordEvent(tx, clock, {
    accountSid: verification.account_sid,
    serviceSid: verification.service_sid,
    type: 'verification.progress',
    resourceSid: verification.sid,
    payload: progressResource(row),
  });
  return row;
}

/** `recordProgress` as steps of a transaction (src/store/steps.ts). */
export function* recordProgressSteps(
  steps: Pick<StepStores, 'verificationEvents' | 'outbox'>,
  clock: Clock,
  verification: Pick<VerificationRow, 'sid' | 'account_sid' | 'service_sid'>,
  event: ProgressEvent,
  callSid: string | null,
  data: Record<string, unknown> = {},
): Steps<VerificationEventRow> {
  const row = yield* steps.verificationEvents.append(verification.sid, event, callSid, data, clock.now());
  yield* recordEventSteps(steps, clock, {
    accountSid: verification.account_sid,
    serviceSid: verification.service_sid,
    type: 'verification.progress',
    resourceSid: verification.sid,
    payload: progressResource(row),
  });
  return row;
}

/** An event as streams and webhooks show it. */
export function progressResource(row: VerificationEventRow): Record<string, unknown> {
  return { verification_sid: row.verification_sid, sequence: row.sequence, event: row.event, call_sid: row.call_sid, data: row.data, date: isoSeconds(row.date_created) };
}

/** The in-process bus topics: a verification's live streams, and the webhook dispatcher's wake-up. */
export type VerificationBus = EventBus<{ type: string; resourceSid: string }>;

/** Wakes this process's streams of the verification and the webhook dispatcher, after commit. */
export function announceProgress(bus: VerificationBus, verificationSid: string): void {
  bus.publish(`verification:${verificationSid}`, { type: 'verification.progress', resourceSid: verificationSid });
  bus.publish('outbox', { type: 'verification.progress', resourceSid: verificationSid });
}
