/**
 * Starts a real Kannel gateway for the interoperability tests: writes a kannel.conf (loopback only,
 * ports picked at run time) into a temporary folder, starts bearerbox, waits for its smsbox port,
 * starts smsbox, waits for its sendsms port; the SMSC it binds to must be listening first (the test's
 * Perl SMSC), else bearerbox retries only after its reconnect delay. Each box runs in its own process
 * group, ended with SIGTERM (then SIGKILL) by `stop`.
 *
 * @example
 * const smsc = await startPerlSmsc({ systemId: 'kannel' });
 * const kannel = await startKannel({ smscPort: smsc.port, systemId: 'kannel', password: smsc.password });
 * await fetch(`${kannel.sendsmsUrl}?username=${kannel.username}&…`);
 * await kannel.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A Kannel binary (bearerbox, smsbox) on PATH or in /usr/sbin, where Debian puts them; undefined when not installed. */
export function kannelBinary(name: 'bearerbox' | 'smsbox'): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs.filter((dir) => dir !== '').map((dir) => join(dir, name)).find((path) => existsSync(path));
}

/** A free loopback port (listen on 0, close): the boxes take theirs from their config file. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`; rejects when `process` exits first or after `timeoutMs`. */
export async function waitForPort(port: number, child: ChildProcess, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before listening on ${port}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} was not listening on ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

export interface KannelOptions {
  /** The SMSC bearerbox binds to (transceiver) on 127.0.0.1. */
  smscPort: number;
  systemId: string;
  password: string;
  /** Seconds bearerbox waits before binding again after the SMSC went away (Kannel's default: 10). */
  reconnectDelay?: number;
}

export interface KannelGateway {
  sendsmsUrl: string;
  username: string;
  password: string;
  /** The smsc-id of the one SMSC connection. */
  smscId: string;
  /** bearerbox's status page (admin `status.txt`): the SMSC line says `online` or `re-connecting`. */
  status(): Promise<string>;
  /** Milliseconds from the start until bearerbox, then smsbox, were listening. */
  timings: { bearerbox: number; smsbox: number };
  /** The boxes' log files, for a failing test's message. */
  logs(): string;
  /** Ends both boxes (smsbox first) and waits for them; answers how long it took (ms). */
  stop(): Promise<number>;
}

function startBox(binary: string, conf: string, dir: string): ChildProcess {
  // Its own process group, so `stop` ends the box and anything it started.
  const child = spawn(binary, [conf], { cwd: dir, detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  return child;
}

async function end(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function startKannel(options: KannelOptions): Promise<KannelGateway> {
  const bearerbox = kannelBinary('bearerbox');
  const smsbox = kannelBinary('smsbox');
  if (!bearerbox || !smsbox) throw new Error('Kannel is not installed (apt-get install kannel)');
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'verity-kannel-'));
  const [adminPort, boxPort, sendsmsPort] = [await freePort(), await freePort(), await freePort()];
  const gateway = { username: 'verity', password: 'sendsms-pw-0123', smscId: 'perl' };
  const conf = join(dir, 'kannel.conf');
  mkdirSync(join(dir, 'spool'));
  writeFileSync(
    conf,
    [
      'group = core',
      `admin-port = ${adminPort}`,
      'admin-interface = 127.0.0.1',
      'admin-password = admin-pw-0123',
      `smsbox-port = ${boxPort}`,
      'box-allow-ip = 127.0.0.1',
      `log-file = "${join(dir, 'bearerbox.log')}"`,
      'log-level = 1',
      `access-log = "${join(dir, 'access.log')}"`,
      'store-type = spool',
      `store-location = "${join(dir, 'spool')}"`,
      'dlr-storage = internal',
      '',
      'group = smsc',
      'smsc = smpp',
      `smsc-id = ${gateway.smscId}`,
      'host = 127.0.0.1',
      `port = ${options.smscPort}`,
      'transceiver-mode = true',
      `smsc-username = ${options.systemId}`,
      `smsc-password = ${options.password}`,
      'system-type = ""',
      `reconnect-delay = ${options.reconnectDelay ?? 1}`,
      'enquire-link-interval = 30',
      '',
      'group = smsbox',
      'bearerbox-host = 127.0.0.1',
      `sendsms-port = ${sendsmsPort}`,
      'sendsms-interface = 127.0.0.1',
      `log-file = "${join(dir, 'smsbox.log')}"`,
      'log-level = 1',
      '',
      'group = sendsms-user',
      `username = ${gateway.username}`,
      `password = ${gateway.password}`,
      'concatenation = true',
      'max-messages = 10',
      '',
      'group = sms-service',
      'keyword = default',
      'text = "Verity does not answer messages."',
      'catch-all = true',
      '',
    ].join('\n'),
  );
  const boxes: ChildProcess[] = [];
  const logs = () => ['bearerbox.log', 'smsbox.log'].map((f) => (existsSync(join(dir, f)) ? `--- ${f}\n${readFileSync(join(dir, f), 'utf8').slice(-4000)}` : `--- ${f}: none`)).join('\n');
  const stop = async (): Promise<number> => {
    const t0 = Date.now();
    for (const box of [...boxes].reverse()) await end(box);
    rmSync(dir, { recursive: true, force: true });
    return Date.now() - t0;
  };
  try {
    // Order matters: smsbox gives up at once when bearerbox is not listening yet.
    boxes.push(startBox(bearerbox, conf, dir));
    await waitForPort(boxPort, boxes[0]!, 'bearerbox');
    const bearerboxUp = Date.now() - started;
    boxes.push(startBox(smsbox, conf, dir));
    await waitForPort(sendsmsPort, boxes[1]!, 'smsbox');
    return {
      ...gateway,
      sendsmsUrl: `http://127.0.0.1:${sendsmsPort}/cgi-bin/sendsms`,
      status: async () => (await fetch(`http://127.0.0.1:${adminPort}/status.txt?password=admin-pw-0123`)).text(),
      timings: { bearerbox: bearerboxUp, smsbox: Date.now() - started },
      logs,
      stop,
    };
  } catch (err) {
    const text = logs();
    await stop();
    throw new Error(`${(err as Error).message}\n${text}`, { cause: err });
  }
}
