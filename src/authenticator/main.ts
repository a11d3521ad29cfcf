import { createInterface } from 'node:readline/promises';
import { AuthenticatorError, usageError } from './authenticator-error.ts';
import type { AuthenticatorIo } from './command-context.ts';
import { CODE_HELP, code } from './commands/code.ts';
import { ENROLL_HELP, enroll } from './commands/enroll.ts';
import { LIST_HELP, list } from './commands/list.ts';
import { PENDING_HELP, pending } from './commands/pending.ts';
import { REMOVE_HELP, remove } from './commands/remove.ts';
import { APPROVE_HELP, DENY_HELP, approve, deny } from './commands/respond.ts';

/**
 * `verity-authenticator` (also `verity authenticator`): a command-line authenticator that plays
 * the user's phone. It holds push-factor keys and TOTP/HOTP secrets, answers push challenges over
 * Verity's device API (docs/push.md) and prints TOTP codes.
 */

const COMMANDS: Record<string, { run: (args: string[], io: AuthenticatorIo) => Promise<number>; help: string }> = {
  enroll: { run: enroll, help: ENROLL_HELP },
  list: { run: list, help: LIST_HELP },
  pending: { run: pending, help: PENDING_HELP },
  approve: { run: approve, help: APPROVE_HELP },
  deny: { run: deny, help: DENY_HELP },
  code: { run: code, help: CODE_HELP },
  remove: { run: remove, help: REMOVE_HELP },
};

export const USAGE = `Usage: verity-authenticator <command> [options]     (also: verity authenticator …)

A command-line authenticator for Verity: it plays the user's phone.

  enroll <token | otpauth-uri>   add a push factor (enrollment token) or a TOTP/HOTP secret
  list                           the stored factors
  pending [--watch]              push challenges waiting for an answer
  approve <YC…> [--number NN]    approve a push challenge
  deny <YC…>                     deny a push challenge
  code [id | name]               current TOTP codes (or the next HOTP code)
  remove <id | name>             forget a factor here

Every command takes --store FILE and --json; \`verity-authenticator <command> --help\` tells more.
The store is $VERITY_AUTHENTICATOR_HOME/keys.json, else ~/.config/verity-authenticator/keys.json.`;

/** Runs one command line; returns the exit status (0 ok, 1 failed, 2 wrong usage). */
export async function main(argv: string[], io: AuthenticatorIo = processIo()): Promise<number> {
  const { name, args } = splitCommand(argv);
  const json = args.includes('--json');
  try {
    const askedForHelp = args.includes('--help') || args.includes('-h');
    if (name === undefined) {
      // Bare `verity-authenticator` is a usage error; `--help` is an answer.
      (askedForHelp ? io.out : io.err)(USAGE);
      return askedForHelp ? 0 : 2;
    }
    if (name === 'help') {
      const topic = args.find((a) => !a.startsWith('-'));
      io.out(topic === undefined ? USAGE : commandNamed(topic).help);
      return 0;
    }
    const command = commandNamed(name);
    if (askedForHelp) {
      io.out(command.help);
      return 0;
    }
    return await command.run(args, io);
  } catch (error) {
    if (!(error instanceof AuthenticatorError)) throw error;
    io.err(json ? JSON.stringify(error.toJSON()) : `verity-authenticator: ${error.message}`);
    return error.exitCode;
  }
}

function commandNamed(name: string): (typeof COMMANDS)[string] {
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw usageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see --help)`);
  return command;
}

/** The command may come after the options every command takes: `--store FILE --json list`. */
function splitCommand(argv: string[]): { name: string | undefined; args: string[] } {
  const leading: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--store') {
      leading.push(arg, ...argv.slice(i + 1, i + 2));
      i++;
    } else if (arg.startsWith('-')) {
      leading.push(arg);
    } else {
      return { name: arg, args: [...leading, ...argv.slice(i + 1)] };
    }
  }
  return { name: undefined, args: leading };
}

function processIo(): AuthenticatorIo {
  return {
    out: (text) => process.stdout.write(text + '\n'),
    err: (text) => process.stderr.write(text + '\n'),
    env: process.env,
    stdin: process.stdin,
    ask: process.stdin.isTTY
      ? async (question) => {
          const prompt = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return await prompt.question(question);
          } finally {
            prompt.close();
          }
        }
      : undefined,
  };
}
