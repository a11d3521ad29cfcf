/**
 * sipp (Debian `sip-tester`) as a scripted SIP peer for the interop tests: one scenario file from
 * test/fixtures/sip/sipp/, run in the foreground as a child process of the test (never `-bg`), on
 * 127.0.0.1 and a port found free at run time, with `-trace_err` and `-trace_msg` into a temporary
 * folder so a failing test can show what sipp saw. Stopped by `stop()` (also from `t.after`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SIPP_SCENARIOS = fileURLToPath(new URL('../fixtures/sip/sipp/', import.meta.url));
const ADDRESS = '127.0.0.1';

/** Whether the sipp binary is installed (apt-get install sip-tester). */
export function sippAvailable(): boolean {
  return spawnSync('sipp', ['-v'], { stdio: 'ignore' }).error === undefined;
}

export type SippTransport = 'udp' | 'tcp' | 'tls';

export interface SippOptions {
  /** File name in test/fixtures/sip/sipp/. */
  scenario: string;
  transport?: SippTransport;
  /** `{{name}}` in the scenario file, replaced before sipp reads it (sipp checks status codes and pauses when it loads a scenario, before `-key` values apply). */
  fill?: Record<string, string | number>;
  /** As UAC: where to send (`host:port`). Absent: sipp is a UAS waiting for calls. */
  remote?: string;
  /** TLS: certificate and key PEM files sipp serves. */
  tls?: { cert: string; key: string };
  /** Calls to run before exiting (-m). */
  calls?: number;
  timeoutSeconds?: number;
}

export interface Sipp {
  readonly address: string;
  readonly port: number;
  /** Resolves with sipp's exit code (0: every call passed its scenario) once it exits. */
  readonly exited: Promise<number | null>;
  /** What sipp logged: sent and received messages (-trace_msg) and unexpected ones (-trace_err). */
  messages(): string;
  errors(): string;
  stop(): Promise<void>;
}

const TRANSPORT_FLAG: Record<SippTransport, string> = { udp: 'u1', tcp: 't1', tls: 'l1' };

export async function startSipp(options: SippOptions): Promise<Sipp> {
  const transport = options.transport ?? 'udp';
  for (let attempt = 1; ; attempt++) {
    const port = await freePort(transport === 'udp' ? 'udp' : 'tcp');
    const mediaPort = await freePort('udp');
    try {
      return await run(options, transport, port, mediaPort);
    } catch (error) {
      if (attempt >= 5 || !/bind/i.test((error as Error).message)) throw error;
    }
  }
}

async function run(options: SippOptions, transport: SippTransport, port: number, mediaPort: number): Promise<Sipp> {
  const dir = mkdtempSync(join(tmpdir(), 'verity-sipp-'));
  const messageFile = join(dir, 'messages.log');
  const errorFile = join(dir, 'errors.log');
  const scenarioFile = join(dir, options.scenario);
  const template = readFileSync(join(SIPP_SCENARIOS, options.scenario), 'utf8');
  const filled = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = options.fill?.[name];
    if (value === undefined) throw new Error(`${options.scenario}: no value for {{${name}}}`);
    return String(value);
  });
  writeFileSync(scenarioFile, filled);
  const args = [
    '-sf', scenarioFile,
    '-i', ADDRESS, '-bind_local', '-p', String(port), '-mi', ADDRESS, '-mp', String(mediaPort),
    '-t', TRANSPORT_FLAG[transport],
    '-m', String(options.calls ?? 1),
    '-nostdin', '-trace_err', '-error_file', errorFile, '-trace_msg', '-message_file', messageFile,
    '-timeout', `${options.timeoutSeconds ?? 30}s`, '-timeout_error',
    ...(options.tls ? ['-tls_cert', options.tls.cert, '-tls_key', options.tls.key] : []),
    ...(options.remote ? [options.remote] : []),
  ];
  const child: ChildProcess = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const sipp: Sipp = {
    address: ADDRESS,
    port,
    exited,
    messages: () => read(messageFile),
    errors: () => `${read(errorFile)}${stderr}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.remote) return sipp;
  // A UAS is ready once its port is taken: wait for that (or for sipp to exit, naming why).
  const outcome = await Promise.race([
    exited.then((code) => ({ exited: code })),
    (async () => {
      const deadline = Date.now() + 10_000;
      while (!(await portTaken(transport === 'udp' ? 'udp' : 'tcp', port))) {
        if (Date.now() > deadline) return { exited: undefined };
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return { ready: true };
    })(),
  ]);
  if (!('ready' in outcome)) {
    await sipp.stop();
    throw new Error(`sipp did not start (exit ${outcome.exited}): ${stderr.trim()}`);
  }
  return sipp;
}

/** A port that is free now on 127.0.0.1 for `kind`. */
export async function freePort(kind: 'udp' | 'tcp'): Promise<number> {
  if (kind === 'tcp') {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, ADDRESS, resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, ADDRESS, resolve);
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

async function portTaken(kind: 'udp' | 'tcp', port: number): Promise<boolean> {
  try {
    if (kind === 'tcp') {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, ADDRESS, resolve));
      await new Promise((resolve) => server.close(resolve));
    } else {
      const socket = dgram.createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, ADDRESS, resolve);
      });
      await new Promise<void>((resolve) => socket.close(resolve));
    }
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  }
}
