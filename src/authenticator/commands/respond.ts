import type { DeviceChallenge } from '../../factors/push/push-protocol.ts';
import { AuthenticatorError, usageError } from '../authenticator-error.ts';
import { COMMON_HELP, commandContext, parseCommand, type AuthenticatorIo, type CommandContext } from '../command-context.ts';
import { challengeBlock } from '../views.ts';
import { DeviceClient } from '../device-client.ts';
import { selectPushFactors } from '../find-factor.ts';

export const APPROVE_HELP = `Usage: verity-authenticator approve <YC…> [options]

Approves a pending push challenge: the answer is signed with the factor's key over exactly the
challenge's details, so it cannot be replayed for another message, amount or payee.

Options:
  --number NN    the number shown on the login page, when the challenge needs number matching
                 (asked for on a terminal when missing). A wrong number denies the challenge.
  --factor F     look for the challenge on this push factor only (id, id prefix or name)
${COMMON_HELP}

Exit status: 0 when the challenge ends approved, 1 otherwise (e.g. a wrong number denied it).`;

export const DENY_HELP = `Usage: verity-authenticator deny <YC…> [options]

Denies a pending push challenge (do this for a login you did not start).

Options:
  --factor F     look for the challenge on this push factor only (id, id prefix or name)
${COMMON_HELP}`;

export async function approve(args: string[], io: AuthenticatorIo): Promise<number> {
  return respond('approved', args, io);
}

export async function deny(args: string[], io: AuthenticatorIo): Promise<number> {
  return respond('denied', args, io);
}

async function respond(answer: 'approved' | 'denied', args: string[], io: AuthenticatorIo): Promise<number> {
  const verb = answer === 'approved' ? 'approve' : 'deny';
  const { values, positionals } = parseCommand(args, { factor: { type: 'string' }, ...(answer === 'approved' ? { number: { type: 'string' } } : {}) } as const);
  const [challengeSid, ...extra] = positionals;
  if (challengeSid === undefined || extra.length > 0) throw usageError(`${verb} takes one argument: the challenge SID (YC…, see \`pending\`)`);
  let number = typeof values.number === 'string' ? readNumber(values.number) : undefined;
  const ctx = commandContext(io, values);
  const { client, challenge } = await findPendingChallenge(ctx, challengeSid, values.factor);
  if (answer === 'approved' && challenge.number_match_required && number === undefined) number = await askNumber(ctx, challenge);

  const result = await client.respond(challenge, answer, number);
  if (ctx.json) io.out(JSON.stringify(result));
  else io.out(`${result.status === 'approved' ? 'Approved' : result.status === 'denied' ? 'Denied' : `Challenge is ${result.status}`}: ${challenge.details.message ?? challenge.sid} (${challenge.sid})`);
  if (result.status === answer) return 0;
  const why = answer === 'approved' && result.status === 'denied' && number !== undefined ? ': the number did not match the login page' : '';
  io.err(`verity-authenticator: the challenge ended ${result.status}, not ${answer}${why}`);
  return 1;
}

/** The challenge among the pending ones of the stored push factors (the device signs what it saw). */
async function findPendingChallenge(ctx: CommandContext, sid: string, factorReference: string | undefined): Promise<{ client: DeviceClient; challenge: DeviceChallenge }> {
  const factors = await selectPushFactors(ctx, factorReference);
  const clients = await Promise.all(factors.map((f) => DeviceClient.forEntry(f)));
  for (const client of clients) {
    const challenge = (await client.listChallenges('pending')).find((c) => c.sid === sid);
    if (challenge) return { client, challenge };
  }
  // Say why it is not pending, when one of the factors knows it.
  for (const client of clients) {
    const challenge = (await client.listChallenges()).find((c) => c.sid === sid);
    if (challenge) throw new AuthenticatorError(`challenge ${sid} is ${challenge.status}, no longer pending`);
  }
  throw new AuthenticatorError(`no stored push factor has a challenge ${sid}`);
}

function readNumber(raw: string): string {
  const number = raw.trim();
  if (!/^\d{1,4}$/.test(number)) throw usageError('--number takes the digits shown on the login page (e.g. --number 42)');
  return number;
}

async function askNumber(ctx: CommandContext, challenge: DeviceChallenge): Promise<string> {
  if (!ctx.io.ask) {
    throw usageError(`challenge ${challenge.sid} needs number matching: pass --number NN, the number shown on the login page`);
  }
  ctx.io.err(challengeBlock(challenge));
  return readNumber(await ctx.io.ask('Number shown on the login page: '));
}
