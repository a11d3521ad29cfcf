import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * Verity as a separate process for benchmarks (the load generator and the server must not share a
 * thread): free ports, the CLI, the server with its log, and clean-up of children and temp folders
 * however the benchmark ends.
 */
export const tempDirs = new Set<string>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping\n`);
    process.exit(130);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export function runCli(verityRoot: string, env: NodeJS.ProcessEnv, cliArgs: string[]): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(verityRoot, 'bin/verity.js'), ...cliArgs], { cwd: verityRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      children.delete(child);
      if (code === 0) resolveRun(out);
      else reject(new Error(`verity ${cliArgs.join(' ')} exited with ${code}: ${err.trim() || out.trim()}`));
    });
  });
}

export interface Server {
  url: string;
  child: ChildProcess;
  logPath: string;
  stop(): Promise<void>;
}

export async function startServer(verityRoot: string, env: NodeJS.ProcessEnv, logPath: string, nodeArgs: string[] = []): Promise<Server> {
  const child = spawn(process.execPath, [...nodeArgs, join(verityRoot, 'bin/verity.js'), 'serve'], { cwd: verityRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const log: WriteStream = createWriteStream(logPath);
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  let exited = false;
  const exitedPromise = new Promise<void>((r) =>
    child.on('exit', () => {
      exited = true;
      children.delete(child);
      r();
    }),
  );
  const url = `http://127.0.0.1:${env.VERITY_PORT}`;
  let stopping: Promise<void> | undefined;
  const deadline = Date.now() + 90_000; // serve --workers N starts N + 1 processes (each loads the sources)
  for (;;) {
    if (exited) throw new Error(`the server exited during start-up; its output:\n${tail(logPath)}`);
    if (Date.now() > deadline) throw new Error(`the server was not ready within 90 s; its output:\n${tail(logPath)}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return {
    url,
    child,
    logPath,
    stop: () =>
      (stopping ??= (async () => {
        if (!exited) {
          // SIGTERM drains gracefully (and lets --cpu-prof write its profile); SIGKILL after 15 s.
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exitedPromise;
          clearTimeout(timer);
        }
        await new Promise<void>((r) => log.end(r));
      })()),
  };
}

export function tail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l))
      .join('\n');
  } catch {
    return '(no output)';
  }
}

