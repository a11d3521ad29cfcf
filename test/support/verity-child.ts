import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './wait-for.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/verity.js');

/** `verity serve` as a child process (what an operator runs), for tests of signals, shutdown and workers. */
export interface VerityChild {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote (pino JSON lines on stdout, errors on stderr). */
  output(): string;
  /** Basic credentials of an account created with the CLI before the server started. */
  authorization: string;
  /** Resolves with the exit code and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILLs the process if still running and removes its data folder. */
  dispose(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Environment for a child: no VERITY_* or test-runner variables leak in from ours. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VERITY_') || key === 'NODE_ENV' || key.startsWith('NODE_TEST')) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolveRun(out) : reject(new Error(`verity ${args.join(' ')} exited with ${code}: ${out}`))));
  });
}

/**
 * Starts `verity serve [args]` on a free port with a fresh SQLite database (or `databaseUrl`), after
 * creating an account with the CLI, and resolves once /readyz answers 200.
 */
export async function startVerityChild(options: { args?: string[]; env?: Record<string, string>; databaseUrl?: string } = {}): Promise<VerityChild> {
  const dataDir = mkdtempSync(join(tmpdir(), 'verity-child-'));
  const port = await freePort();
  const env = childEnv({
    NODE_ENV: 'development',
    VERITY_DATA_DIR: dataDir,
    VERITY_DATABASE_URL: options.databaseUrl ?? `sqlite:${join(dataDir, 'verity.db')}`,
    VERITY_HOST: '127.0.0.1',
    VERITY_PORT: String(port),
    VERITY_LOG_LEVEL: 'info',
    VERITY_MASTER_KEY: randomBytes(32).toString('hex'),
    VERITY_SMS_PROVIDER: 'simulator',
    VERITY_VOICE_PROVIDER: 'none',
    VERITY_EMAIL_PROVIDER: 'simulator',
    ...options.env,
  });
  const created = JSON.parse((await run(['accounts', 'create', '--name', 'child'], env)).trim().split('\n').pop() ?? '{}') as { account_sid: string; auth_token: string };
  const child = spawn(process.execPath, [BIN, 'serve', ...(options.args ?? [])], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => {
      done = true;
      resolveExit({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const dispose = async (): Promise<void> => {
    if (!done) child.kill('SIGKILL');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      `verity serve answering /readyz; its output:\n${output}`,
      async () => {
        if (done) throw new Error(`verity serve exited during start-up:\n${output}`);
        return (await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) === 200;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    url,
    port,
    child,
    output: () => output,
    authorization: 'Basic ' + Buffer.from(`${created.account_sid}:${created.auth_token}`).toString('base64'),
    exited,
    dispose,
  };
}
