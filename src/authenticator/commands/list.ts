import { usageError } from '../authenticator-error.ts';
import { COMMON_HELP, commandContext, parseCommand, type AuthenticatorIo } from '../command-context.ts';
import { factorLine, factorView } from '../views.ts';

export const LIST_HELP = `Usage: verity-authenticator list [options]

Lists the stored factors: push factors (id = Verity's factor SID, identity, service, server) and
TOTP/HOTP secrets (a local id, issuer, settings). Never prints a key or a secret.

Options:
${COMMON_HELP}`;

export async function list(args: string[], io: AuthenticatorIo): Promise<number> {
  const { values, positionals } = parseCommand(args, {});
  if (positionals.length > 0) throw usageError('list takes no arguments');
  const ctx = commandContext(io, values);
  const { factors } = await ctx.store.read();
  if (ctx.json) io.out(JSON.stringify({ factors: factors.map(factorView) }));
  else if (factors.length === 0) io.out('No factors yet: add one with `verity-authenticator enroll <enrollment-token | otpauth-uri>`.');
  else for (const factor of factors) io.out(factorLine(factor));
  return 0;
}
