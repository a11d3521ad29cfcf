import type { AppContext } from '../context.ts';
import type { FactorRow } from '../store/schema.ts';

/** What this module takes from the application context (narrow, so callers and tests pass only that). */
type RenameFactorDeps = Pick<AppContext, 'clock' | 'stores'>;

/**
 * Gives a factor a new friendly name (the name its user knows it by); nothing else changes, and no
 * event is sent (the hosted API has no webhook for a rename). The caller validates the name and
 * that the factor is the user's. Undefined when the factor no longer exists.
 */
export async function renameFactor(ctx: RenameFactorDeps, factor: FactorRow, friendlyName: string): Promise<FactorRow | undefined> {
  return ctx.stores.factors.update(factor.sid, { friendly_name: friendlyName, date_updated: ctx.clock.now() });
}
