import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { EventType } from '../events/event-types.ts';
import { recordEvent } from '../events/record-event.ts';
import type { Database, VerificationRow } from '../store/schema.ts';
import { recordProgress, type ProgressEvent } from '../voice/verification-progress.ts';
import { verificationEventPayload } from './verification-resource.ts';

/**
 * Writes the `verification.<status>` event into the outbox inside the caller's transaction, so
 * the webhook can never be lost or sent for a change that rolled back.
 */
export async function recordVerificationChange(ctx: AppContext, trx: Kysely<Database>, row: VerificationRow): Promise<void> {
  await recordEvent(trx, ctx.clock, {
    accountSid: row.account_sid,
    serviceSid: row.service_sid,
    type: `verification.${row.status}` as EventType,
    resourceSid: row.sid,
    payload: verificationEventPayload(row),
  });
  ctx.metrics.verifications.inc({ channel: row.channel, status: row.status });
  // A call's verification also reports its outcome on its progress stream (the login page's).
  if (row.voice_flow !== null && row.status !== 'pending') await recordProgress(ctx, trx, row, row.status as ProgressEvent, null);
}

/** Tells this process's listeners (SSE streams, webhook dispatcher) after the transaction commits. */
export function announce(ctx: AppContext, row: VerificationRow): void {
  ctx.bus.publish(`verification:${row.sid}`, { type: `verification.${row.status}`, resourceSid: row.sid });
  // Verity's verification.progress events sit in the outbox too; one wake-up covers both.
  ctx.bus.publish('outbox', { type: `verification.${row.status}`, resourceSid: row.sid });
}
