import type { AppContext } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';
import type { ChallengeRow, FactorRow } from '../store/schema.ts';
import type { TransactionStores } from '../store/unit-of-work.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type RecordFactorEventDeps = Pick<AppContext, 'bus' | 'clock'>;

/**
 * Factor and challenge events go into the outbox in the transaction that makes the change, like
 * verification events; fields follow the hosted API's Verify webhook parameters. Secrets and codes
 * are never part of an event.
 */
export async function recordFactorEvent(ctx: RecordFactorEventDeps, trx: TransactionStores, type: 'factor.created' | 'factor.verified' | 'factor.deleted', factor: FactorRow): Promise<void> {
  await recordEvent(trx, ctx.clock, {
    accountSid: factor.account_sid,
    serviceSid: factor.service_sid,
    type,
    resourceSid: factor.sid,
    payload: {
      entity_identity: factor.identity,
      factor_sid: factor.sid,
      factor_type: factor.factor_type,
      factor_friendly_name: factor.friendly_name,
      factor_status: factor.status,
    },
  });
}

export async function recordChallengeEvent(ctx: RecordFactorEventDeps, trx: TransactionStores, type: 'challenge.approved' | 'challenge.denied', challenge: ChallengeRow, factor: FactorRow): Promise<void> {
  // Every approval (push, TOTP code, passkey assertion, voiceprint) comes through here: the factor's last use (migration 0031).
  if (type === 'challenge.approved') await trx.factors.markUsed(factor.sid, challenge.date_responded ?? ctx.clock.now());
  await recordEvent(trx, ctx.clock, {
    accountSid: challenge.account_sid,
    serviceSid: challenge.service_sid,
    type,
    resourceSid: challenge.sid,
    payload: {
      entity_identity: challenge.identity,
      factor_sid: factor.sid,
      factor_type: factor.factor_type,
      factor_friendly_name: factor.friendly_name,
      challenge_sid: challenge.sid,
      challenge_status: challenge.status,
      challenge_details: challenge.details,
      challenge_hidden_details: challenge.hidden_details,
      challenge_metadata: challenge.metadata,
    },
  });
}

/** Wakes this process's webhook dispatcher (a wake before the commit is caught by its next poll). */
export function announceOutbox(ctx: RecordFactorEventDeps, type: string, resourceSid: string): void {
  ctx.bus.publish('outbox', { type, resourceSid });
}
