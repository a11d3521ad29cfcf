import { hotp, totp } from '../../factors/totp/otp.ts';
import { base32Decode } from '../../factors/totp/otpauth-uri.ts';
import { AuthenticatorError, usageError } from '../authenticator-error.ts';
import { COMMON_HELP, commandContext, parseCommand, type AuthenticatorIo } from '../command-context.ts';
import { findFactor } from '../find-factor.ts';
import type { OtpFactorEntry } from '../stored-factor.ts';

export const CODE_HELP = `Usage: verity-authenticator code [id | name] [options]

Prints the current TOTP codes and the seconds each stays valid. Without an argument it shows every
TOTP entry; HOTP entries are shown only when named, because showing a code uses up its counter
(the next counter is saved before the code is printed).

With --json: {"codes":[{id, type, name, issuer, code, seconds_remaining}…]}, or that one object
when an entry is named (HOTP: "counter" instead of "seconds_remaining").

Options:
${COMMON_HELP}`;

interface CodeView {
  id: string;
  type: 'totp' | 'hotp';
  name: string;
  issuer: string | null;
  code: string;
  /** TOTP: seconds until the code's time step ends. */
  seconds_remaining?: number;
  /** HOTP: the counter the code was made for. */
  counter?: number;
}

export async function code(args: string[], io: AuthenticatorIo): Promise<number> {
  const { values, positionals } = parseCommand(args, {});
  const [reference, ...extra] = positionals;
  if (extra.length > 0) throw usageError('code takes at most one argument: the id or name of a TOTP/HOTP entry');
  const ctx = commandContext(io, values);
  const now = Date.now();

  if (reference === undefined) {
    const entries = (await ctx.store.read()).factors.filter((f): f is OtpFactorEntry => f.type === 'totp');
    const codes = entries.map((entry) => totpCode(entry, now));
    if (ctx.json) io.out(JSON.stringify({ codes }));
    else if (codes.length === 0) io.out('No TOTP entries: add one with `verity-authenticator enroll <otpauth-uri>`.');
    else for (const view of codes) io.out(codeLine(view));
    return 0;
  }

  // HOTP moves its counter, so the lookup and the increment happen under the store's lock.
  const view = await ctx.store.update((content) => {
    const otpEntries = content.factors.filter((f): f is OtpFactorEntry => f.type !== 'push');
    const entry = findFactor(otpEntries, reference, 'TOTP/HOTP entry');
    if (entry.type === 'totp') return totpCode(entry, now);
    const counter = entry.counter ?? 0;
    if (!Number.isSafeInteger(counter + 1)) throw new AuthenticatorError(`the counter of ${entry.id} is exhausted`);
    entry.counter = counter + 1;
    return { ...identify(entry), code: hotp(base32Decode(entry.secret), counter, entry), counter };
  });
  io.out(ctx.json ? JSON.stringify(view) : codeLine(view));
  return 0;
}

function totpCode(entry: OtpFactorEntry, now: number): CodeView {
  const period = entry.period ?? 30;
  const secondsRemaining = period - (Math.floor(now / 1000) % period);
  const options = { algorithm: entry.algorithm, digits: entry.digits, period, skew: 0 };
  return { ...identify(entry), code: totp(base32Decode(entry.secret), now, options), seconds_remaining: secondsRemaining };
}

const identify = (entry: OtpFactorEntry) => ({ id: entry.id, type: entry.type, name: entry.name, issuer: entry.issuer });

function codeLine(view: CodeView): string {
  const who = view.issuer ? `${view.issuer} (${view.name})` : view.name;
  const validity = view.seconds_remaining === undefined ? `counter ${view.counter}` : `${view.seconds_remaining} s left`;
  return `${view.code}  ${who}  ${validity}  [${view.id}]`;
}
