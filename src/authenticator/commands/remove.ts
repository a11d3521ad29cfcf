import { usageError } from '../authenticator-error.ts';
import { COMMON_HELP, commandContext, parseCommand, type AuthenticatorIo } from '../command-context.ts';
import { factorLine, factorView } from '../views.ts';
import { findFactor } from '../find-factor.ts';

export const REMOVE_HELP = `Usage: verity-authenticator remove <id | name> [options]

Forgets a factor here: its private key or secret is deleted from the store. A push factor still
exists on Verity until the app deletes it (DELETE /v2/Services/{VA}/Entities/{identity}/Factors/{YF});
without its key nobody can answer its challenges.

Options:
${COMMON_HELP}`;

export async function remove(args: string[], io: AuthenticatorIo): Promise<number> {
  const { values, positionals } = parseCommand(args, {});
  const [reference, ...extra] = positionals;
  if (reference === undefined || extra.length > 0) throw usageError('remove takes one argument: the id (or name) of a stored factor');
  const ctx = commandContext(io, values);
  const removed = await ctx.store.update((content) => {
    const factor = findFactor(content.factors, reference);
    content.factors = content.factors.filter((f) => f !== factor);
    return factor;
  });
  if (ctx.json) io.out(JSON.stringify({ removed: factorView(removed) }));
  else io.out(`Removed ${factorLine(removed)}`);
  return 0;
}
