import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';
import { wireDate } from '../http/wire-format.ts';
import type { Database, VerificationEventRow, VerificationRow } from '../store/schema.ts';
import { VerificationEventsStore } from '../store/verification-events-store.ts';

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
  ctx: AppContext,
  trx: Kysely<Database>,
  verification: Pick<VerificationRow, 'sid' | 'account_sid' | 'service_sid'>,
  event: ProgressEvent,
  callSid: string | null,
  data: Record<string, unknown> = {},
): Promise<VerificationEventRow> {
  const row = await new VerificationEventsStore(trx).append(verification.sid, event, callSid, data, ctx.clock.now());
  await recordEvent(trx, ctx.clock, {
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
  return { verification_sid: row.verification_sid, sequence: row.sequence, event: row.event, call_sid: row.call_sid, data: JSON.parse(row.data) as unknown, date: wireDate(row.date_created) };
}

/** Wakes this process's streams of the verification and the webhook dispatcher, after commit. */
export function announceProgress(ctx: AppContext, verificationSid: string): void {
  ctx.bus.publish(`verification:${verificationSid}`, { type: 'verification.progress', resourceSid: verificationSid });
  ctx.bus.publish('outbox', { type: 'verification.progress', resourceSid: verificationSid });
}
