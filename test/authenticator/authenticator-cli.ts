import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: the CLI runs from there, as `npx verity-authenticator` would. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/verity-authenticator.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the real CLI (a separate node process); `env` is added to a copy of this one's. */
export function spawnCli(args: string[], env: Record<string, string> = {}, bin = BIN): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [bin, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
}

/** Waits for `child` to exit, collecting its output; kills it after `timeoutMs`. */
export function finished(child: ChildProcessWithoutNullStreams, timeoutMs = 30_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI did not finish within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the CLI to completion, with `input` on its stdin (not a terminal, as in CI). */
export async function runCli(args: string[], options: { input?: string; env?: Record<string, string>; bin?: string } = {}): Promise<CliResult> {
  const child = spawnCli(args, options.env, options.bin);
  const done = finished(child);
  child.stdin.end(options.input ?? '');
  return done;
}

/** stdout of a `--json` run as an object, with the whole output in the message when it is not. */
export function jsonOf(result: CliResult): any {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout} / ${result.stderr}`);
  }
}
