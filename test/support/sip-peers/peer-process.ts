/**
 * One real SIP peer process (baresip, kamailio, linphonec) started by a test: its output collected
 * in memory and in a log file, lines awaited by pattern, and a stop that always ends it. Each peer
 * runs in its own process group so that `stop` also ends what it forked (kamailio's workers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';

export interface PeerProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote (stdout and stderr) so far. */
  output(): string;
  /** Resolves with the first output line matching `pattern` (already written or to come); rejects when the process exits first or after `timeoutMs`. */
  waitForLine(pattern: RegExp, what: string, options?: { timeoutMs?: number; from?: number }): Promise<string>;
  /** Sends a line to its standard input (linphonec reads its commands there). */
  writeLine(line: string): void;
  /** True once the process has exited. */
  exited(): boolean;
  /** Ends the process group: `signals` in turn, `graceMs` apart, then SIGKILL; resolves once it has exited. */
  stop(signals?: NodeJS.Signals[], graceMs?: number): Promise<void>;
}

interface StartOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  stdin?: boolean;
}

export function startPeerProcess(options: StartOptions): PeerProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const log: WriteStream = createWriteStream(options.logFile);
  let text = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    const s = chunk.toString('utf8');
    text += s;
    log.write(s);
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  child.on('error', (error) => append(Buffer.from(`\n[${options.name}: ${error.message}]\n`)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    append(Buffer.from(`\n[${options.name} exited: ${code ?? signal}]\n`));
  });
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;

  return {
    child,
    output: () => text,
    exited: hasExited,
    writeLine(line) {
      child.stdin?.write(`${line}\n`);
    },
    waitForLine(pattern, what, { timeoutMs = 10_000, from = 0 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          // Whole lines only, so a pattern never matches half a line that is still being written.
          const complete = text.slice(from, text.lastIndexOf('\n') + 1);
          const line = complete.split('\n').find((l) => pattern.test(l));
          if (line !== undefined) return done(() => resolve(line));
          if (hasExited()) return done(() => reject(new Error(`${options.name} exited before ${what}:\n${text.slice(-3000)}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`${options.name}: not within ${timeoutMs} ms: ${what}\n${text.slice(-3000)}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        child.once('exit', check);
        check();
      });
    },
    async stop(signals = ['SIGTERM'], graceMs = 2000) {
      if (child.pid !== undefined && !hasExited()) {
        const send = (signal: NodeJS.Signals) => {
          try {
            process.kill(-child.pid!, signal);
          } catch {
            // already gone
          }
        };
        const timers: NodeJS.Timeout[] = [];
        [...signals, 'SIGKILL' as const].forEach((signal, i) => timers.push(setTimeout(() => send(signal), i * graceMs)));
        await exited;
        timers.forEach(clearTimeout);
      }
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}

async function udpPortFree(port: number, address: string): Promise<boolean> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, address, () => socket.close(() => resolve(true)));
  });
}

async function tcpPortFree(port: number, address: string): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, address, () => server.close(() => resolve(true)));
  });
}

/**
 * A port the system just handed out for UDP on `address`, with the next `span - 1` ports free for
 * UDP and TCP too: baresip binds its SIP port on UDP and TCP and the next one for TLS, linphonec
 * its RTP port and the next for RTCP. Each instance gets its own block, so tests can run side by side.
 */
export async function freePortBlock(span: number, address = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const socket = createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => resolve(socket.address().port));
    });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    if (port + span > 65535) continue;
    let free = true;
    for (let p = port; p < port + span && free; p++) free = (await udpPortFree(p, address)) && (await tcpPortFree(p, address));
    if (free) return port;
  }
  throw new Error(`no block of ${span} free ports on ${address}`);
}
