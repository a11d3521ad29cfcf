import type { AppContext } from '../context.ts';
import { invalidParameter, notFound } from '../errors/verity-error.ts';
import { RateLimitStore } from '../store/rate-limit-store.ts';
import type { ServiceRow, VerificationRow } from '../store/schema.ts';
import { VerificationsStore } from '../store/verifications-store.ts';
import { sendBucketKey } from './limits.ts';
import { announce, recordVerificationChange } from './record-verification-change.ts';

const pathOf = (service: ServiceRow, sid: string) => `/Services/${service.sid}/Verifications/${sid}`;

/**
 * Fetches a verification. As on the hosted API, approved and expired verifications are gone
 * (20404); canceled, failed and max_attempts_reached ones stay readable.
 */
export async function fetchVerification(ctx: AppContext, service: ServiceRow, sid: string): Promise<VerificationRow> {
  const now = ctx.clock.now();
  let row = await new VerificationsStore(ctx.db.kysely).find(service.sid, sid);
  if (row && row.status === 'pending' && row.expires_at <= now) {
    row = await expire(ctx, row, now);
  }
  if (!row || row.status === 'approved' || row.status === 'expired') throw notFound(pathOf(service, sid));
  return row;
}

/** `Status=canceled|approved` on a pending verification (approve is for out-of-band confirmation). */
export async function updateVerification(ctx: AppContext, service: ServiceRow, sid: string, status: string | undefined): Promise<VerificationRow> {
  if (status !== 'canceled' && status !== 'approved') throw invalidParameter('Status', 'expected canceled or approved');
  const changed = await ctx.db.kysely.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const verifications = new VerificationsStore(trx);
    const current = await verifications.find(service.sid, sid);
    if (!current || current.status !== 'pending' || current.expires_at <= now) return undefined;
    const updated = await verifications.completePending(sid, status, now);
    if (!updated) return undefined;
    await new RateLimitStore(trx, ctx.db.dialect).reset(sendBucketKey(service.sid, updated.destination, updated.requester));
    await recordVerificationChange(ctx, trx, updated);
    return updated;
  });
  if (!changed) throw notFound(pathOf(service, sid));
  announce(ctx, changed);
  // Nobody should be left on a call for a verification that is over.
  if (changed.voice_flow !== null) await ctx.voice.engine.hangUpCallsOf(changed.sid);
  return changed;
}

async function expire(ctx: AppContext, row: VerificationRow, now: number): Promise<VerificationRow> {
  const expired = await ctx.db.kysely.transaction().execute(async (trx) => {
    const updated = await new VerificationsStore(trx).completePending(row.sid, 'expired', now);
    if (updated) await recordVerificationChange(ctx, trx, updated);
    return updated;
  });
  if (expired) announce(ctx, expired);
  return expired ?? { ...row, status: 'expired' };
}

/** Marks pending verifications past their expiry as expired (so the `expired` webhook fires on time). */
export async function expireDueVerifications(ctx: AppContext, limit = 500): Promise<number> {
  const now = ctx.clock.now();
  const due = await new VerificationsStore(ctx.db.kysely).findExpiredPending(now, limit);
  for (const row of due) await expire(ctx, row, now);
  return due.length;
}
