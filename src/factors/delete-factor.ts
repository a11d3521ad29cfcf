import type { AppContext } from '../context.ts';
import type { FactorRow } from '../store/schema.ts';
import { announceOutbox, recordFactorEvent } from './record-factor-event.ts';
import type { TransactionStores } from '../store/unit-of-work.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type DeleteFactorDeps = Pick<AppContext, 'bus' | 'clock' | 'config' | 'logger' | 'stores'>;

/**
 * Deletes a factor as the API does: its challenges, credentials and recordings go with it, and
 * `factor.deleted` is sent. With `unless`, the entity is row-locked first and `unless` decides in the
 * same transaction (true keeps the factor, and false is returned), so a check such as "not the
 * user's last method" cannot interleave with a concurrent removal.
 */
export async function deleteFactor(ctx: DeleteFactorDeps, factor: FactorRow, options: { unless?: (trx: TransactionStores) => Promise<boolean> } = {}): Promise<boolean> {
  const deleted = await ctx.stores.transaction(async (trx) => {
    if (options.unless) {
      await trx.entities.lock(factor.entity_sid);
      if (await options.unless(trx)) return false;
    }
    await trx.factors.delete(factor.sid);
    await recordFactorEvent(ctx, trx, 'factor.deleted', factor);
    return true;
  });
  if (deleted) announceOutbox(ctx, 'factor.deleted', factor.sid);
  return deleted;
}

/** Deletes an enrolment left unfinished, only if the factor is still unverified (it may just have been verified); true if it went. */
export async function deleteUnverifiedFactor(ctx: DeleteFactorDeps, sid: string): Promise<boolean> {
  const deleted = await ctx.stores.transaction(async (trx) => {
    const row = await trx.factors.deleteIfUnverified(sid);
    if (row) await recordFactorEvent(ctx, trx, 'factor.deleted', row);
    return row;
  });
  if (deleted) announceOutbox(ctx, 'factor.deleted', deleted.sid);
  return deleted !== undefined;
}

/**
 * Deletes factors still unverified `config.unverifiedFactorTtlMs` after their creation: enrolments
 * the user abandoned (a QR never scanned, a voiceprint short of takes, a passkey prompt dismissed).
 * Returns how many went.
 */
export async function pruneAbandonedFactors(ctx: DeleteFactorDeps, limit = 200): Promise<number> {
  const ttl = ctx.config.unverifiedFactorTtlMs;
  if (ttl <= 0) return 0;
  let pruned = 0;
  for (const candidate of await ctx.stores.factors.findUnverifiedBefore(ctx.clock.now() - ttl, limit)) {
    if (await deleteUnverifiedFactor(ctx, candidate.sid)) pruned++;
  }
  if (pruned > 0) ctx.logger.info({ pruned, ttlHours: ttl / 3600_000 }, 'deleted abandoned unverified factors');
  return pruned;
}
