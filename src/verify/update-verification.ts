import type { AppContext } from '../context.ts';
import { invalidParameter, notFound } from '../errors/verity-error.ts';
import type { ServiceRow, VerificationRow } from '../store/schema.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type UpdateVerificationDeps = Pick<AppContext, 'clock' | 'stores' | 'verificationLifecycle'>;

const pathOf = (service: ServiceRow, sid: string) => `/Services/${service.sid}/Verifications/${sid}`;

/**
 * Fetches a verification. As on the hosted API, approved and expired verifications are gone
 * (20404); canceled, failed and max_attempts_reached ones stay readable.
 */
export async function fetchVerification(ctx: UpdateVerificationDeps, service: ServiceRow, sid: string): Promise<VerificationRow> {
  const now = ctx.clock.now();
  let row = await ctx.stores.verifications.find(service.sid, sid);
  if (row && row.status === 'pending' && row.expires_at <= now) {
    row = (await ctx.verificationLifecycle.end(row.sid, { to: 'expired', by: 'clock' })) ?? { ...row, status: 'expired' };
  }
  if (!row || row.status === 'approved' || row.status === 'expired') throw notFound(pathOf(service, sid));
  return row;
}

/**
 * `Status=canceled|approved` on a pending verification (approve is for out-of-band confirmation).
 * The lifecycle lifts the send limit and hangs up a live call of the verification.
 */
export async function updateVerification(ctx: UpdateVerificationDeps, service: ServiceRow, sid: string, status: string | undefined): Promise<VerificationRow> {
  if (status !== 'canceled' && status !== 'approved') throw invalidParameter('Status', 'expected canceled or approved');
  const changed = await ctx.verificationLifecycle.transaction(async (tx) => {
    const current = await tx.stores.verifications.find(service.sid, sid);
    if (!current || current.status !== 'pending' || current.expires_at <= ctx.clock.now()) return undefined;
    return tx.end(sid, { to: status, by: 'api' });
  });
  if (!changed) throw notFound(pathOf(service, sid));
  return changed;
}

/**
 * Ends up to `batch` pending verifications past their expiry as `expired` (so the `expired` webhook
 * fires on time), in one transaction through the lifecycle: one commit per batch instead of one per
 * row. The claim skips rows another node's batch holds (PostgreSQL), so several batches, on this
 * node or others, run side by side without doing anything twice. Returns how many it claimed: a full
 * batch means more may be due.
 */
export async function expireDueVerifications(ctx: Pick<AppContext, 'clock' | 'verificationLifecycle'>, batch = 100): Promise<number> {
  return ctx.verificationLifecycle.transaction(async (tx) => {
    const due = await tx.stores.maintenance.claimExpiredPending(ctx.clock.now(), batch);
    for (const sid of due) await tx.end(sid, { to: 'expired', by: 'clock' });
    return due.length;
  });
}
