import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './authenticator-error.ts';
import { KeyStore, defaultStorePath } from './key-store.ts';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Where a command reads and writes; main() passes the real process, tests may pass their own. */
export interface AuthenticatorIo {
  /** One line (or block) of results on stdout. */
  out: (text: string) => void;
  /** Progress, prompts and errors on stderr, so stdout stays parseable. */
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  /** Asks a person a question; undefined when nobody can answer (stdin is not a terminal). */
  ask: ((question: string) => Promise<string>) | undefined;
}

export interface CommandContext {
  io: AuthenticatorIo;
  store: KeyStore;
  /** --json: machine-readable results (one JSON document, or one JSON line per event). */
  json: boolean;
}

/** Options every command takes. */
const COMMON_OPTIONS = {
  store: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsOptionsConfig;

export const COMMON_HELP = `  --store FILE   the key store (default: $VERITY_AUTHENTICATOR_HOME/keys.json,
                 else ~/.config/verity-authenticator/keys.json)
  --json         machine-readable output
  -h, --help     this help`;

/** Parses a command's arguments strictly: an unknown option or a missing value is a usage error. */
export function parseCommand<O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
}

export function commandContext(io: AuthenticatorIo, values: { store?: string | undefined; json?: boolean | undefined }): CommandContext {
  return { io, store: new KeyStore(values.store ?? defaultStorePath(io.env)), json: values.json === true };
}
