import { AuthenticatorError } from './authenticator-error.ts';
import type { CommandContext } from './command-context.ts';
import type { PushFactorEntry, StoredFactor } from './stored-factor.ts';

/**
 * The stored factors `reference` names: its exact id, a unique id prefix (as git takes short
 * hashes), or its name (case-insensitive; for TOTP/HOTP also the issuer or "issuer:name").
 * An ambiguous reference is refused rather than guessed.
 */
export function findFactor<T extends StoredFactor>(factors: readonly T[], reference: string, kind = 'factor'): T {
  const exact = factors.find((f) => f.id === reference);
  if (exact) return exact;
  const byPrefix = factors.filter((f) => f.id.startsWith(reference));
  const wanted = reference.toLowerCase();
  const byName = factors.filter((f) => namesOf(f).some((name) => name.toLowerCase() === wanted));
  const matches = [...new Set([...byPrefix, ...byName])];
  const [only, ...others] = matches;
  if (only && others.length === 0) return only;
  if (!only) throw new AuthenticatorError(`no stored ${kind} has the id or name "${reference}" (see: verity-authenticator list)`);
  throw new AuthenticatorError(`"${reference}" matches several stored ${kind}s (${matches.map((f) => f.id).join(', ')}): give the full id`);
}

function namesOf(factor: StoredFactor): string[] {
  if (factor.type === 'push' || !factor.issuer) return [factor.name];
  return [factor.name, factor.issuer, `${factor.issuer}:${factor.name}`];
}

/** The push factors a command works on: the one `--factor` names, else all of them. */
export async function selectPushFactors(ctx: CommandContext, reference: string | undefined): Promise<PushFactorEntry[]> {
  const all = (await ctx.store.read()).factors.filter((f): f is PushFactorEntry => f.type === 'push');
  if (reference !== undefined) return [findFactor(all, reference, 'push factor')];
  if (all.length === 0) throw new AuthenticatorError('no push factor is stored: enroll one with `verity-authenticator enroll <enrollment-token>`');
  return all;
}
