import type { DeviceChallenge } from '../../factors/push/push-protocol.ts';
import { AuthenticatorError, usageError } from '../authenticator-error.ts';
import { COMMON_HELP, commandContext, parseCommand, type AuthenticatorIo, type CommandContext } from '../command-context.ts';
import { challengeBlock } from '../views.ts';
import { DeviceClient } from '../device-client.ts';
import { selectPushFactors } from '../find-factor.ts';
import type { PushFactorEntry } from '../stored-factor.ts';
import { watchChallenges } from '../watch-challenges.ts';

export const PENDING_HELP = `Usage: verity-authenticator pending [options]

Shows the challenges waiting for an answer on the stored push factors: the message, its fields
(label: value), hidden details, the expiry, and whether approving needs the number shown on the
login page. Answer with \`approve <YC>\` or \`deny <YC>\`.

Options:
  --factor F     only this push factor (id, id prefix or name)
  --watch        keep listening and print each new challenge as it arrives (server-sent events);
                 with --json, one JSON line per challenge
  --count N      with --watch: stop after N challenges (exit 1 if --timeout comes first)
  --timeout S    with --watch: stop after S seconds
${COMMON_HELP}`;

export async function pending(args: string[], io: AuthenticatorIo): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    factor: { type: 'string' },
    watch: { type: 'boolean', default: false },
    count: { type: 'string' },
    timeout: { type: 'string' },
  });
  if (positionals.length > 0) throw usageError('pending takes no arguments (use --factor F to choose a factor)');
  const count = positiveNumber(values.count, '--count', true);
  const timeout = positiveNumber(values.timeout, '--timeout', false);
  if (!values.watch && (count !== undefined || timeout !== undefined)) throw usageError('--count and --timeout go with --watch');
  const ctx = commandContext(io, values);
  const factors = await selectPushFactors(ctx, values.factor);
  return values.watch ? watch(ctx, factors, count, timeout) : listPending(ctx, factors);
}

async function listPending(ctx: CommandContext, factors: PushFactorEntry[]): Promise<number> {
  const results = await Promise.allSettled(factors.map(async (f) => (await DeviceClient.forEntry(f)).listChallenges('pending')));
  // One factor: its failure is the command's. Several: show what the others answered.
  const [single] = results;
  if (results.length === 1 && single?.status === 'rejected') throw single.reason;
  const challenges: DeviceChallenge[] = [];
  let failed = false;
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') challenges.push(...result.value);
    else {
      failed = true;
      reportFactorFailure(ctx, factors[i] as PushFactorEntry, result.reason);
    }
  });
  challenges.sort((a, b) => b.date_created.localeCompare(a.date_created));
  if (ctx.json) ctx.io.out(JSON.stringify({ challenges }));
  else if (challenges.length === 0) ctx.io.out(failed ? 'No pending challenge on the factors that answered.' : 'No pending challenge.');
  else ctx.io.out(challenges.map((c) => challengeBlock(c)).join('\n\n'));
  return failed ? 1 : 0;
}

/** One factor's failure among several, on stderr (a JSON line with --json). */
function reportFactorFailure(ctx: CommandContext, factor: PushFactorEntry, error: unknown): void {
  const known = error instanceof AuthenticatorError ? error : new AuthenticatorError(error instanceof Error ? error.message : String(error));
  ctx.io.err(ctx.json ? JSON.stringify({ factor: factor.id, ...known.toJSON() }) : `${factor.id} (${factor.name}): ${known.message}`);
}

async function watch(ctx: CommandContext, factors: PushFactorEntry[], count: number | undefined, timeoutSeconds: number | undefined): Promise<number> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = timeoutSeconds === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutSeconds * 1000);
  const seen = new Set<string>();
  const onChallenge = (challenge: DeviceChallenge) => {
    // Each reconnection resends what is pending, and --count may already be reached.
    if (controller.signal.aborted || seen.has(challenge.sid) || challenge.status !== 'pending') return;
    seen.add(challenge.sid);
    ctx.io.out(ctx.json ? JSON.stringify(challenge) : challengeBlock(challenge) + '\n');
    if (count !== undefined && seen.size >= count) controller.abort();
  };
  const connected = new Set<string>();
  const onConnected = (factor: PushFactorEntry) => () => {
    if (connected.has(factor.id)) return;
    connected.add(factor.id);
    // Human mode only: with --json, stderr carries nothing but errors.
    if (!ctx.json && connected.size === factors.length) {
      const what = factors.length === 1 ? `${factor.name} (${factor.id})` : `${factors.length} push factors`;
      ctx.io.err(`Watching ${what} for challenges (Ctrl-C to stop)…`);
    }
  };

  const failures: unknown[] = [];
  try {
    await Promise.all(
      factors.map(async (factor) => {
        try {
          await watchChallenges(await DeviceClient.forEntry(factor), { signal: controller.signal, onChallenge, onConnected: onConnected(factor), onNotice: (text) => ctx.io.err(text) });
        } catch (error) {
          failures.push(error);
          if (factors.length > 1) reportFactorFailure(ctx, factor, error);
          // Nothing left to watch: stop rather than wait for a timeout that may never come.
          if (failures.length === factors.length) controller.abort();
        }
      }),
    );
  } finally {
    clearTimeout(timer);
  }
  if (failures.length === factors.length) throw factors.length === 1 ? failures[0] : new AuthenticatorError('no push factor could be watched');
  if (timedOut && count !== undefined && seen.size < count) {
    throw new AuthenticatorError(`timed out after ${timeoutSeconds} s with ${seen.size} of ${count} challenge${count === 1 ? '' : 's'}`);
  }
  return failures.length > 0 ? 1 : 0;
}

function positiveNumber(raw: string | undefined, flag: string, integer: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw usageError(`${flag} takes a positive ${integer ? 'integer' : 'number'}, not "${raw}"`);
  }
  return value;
}
