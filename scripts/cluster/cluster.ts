import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A real Verity cluster on this machine: PostgreSQL, N Verity processes (`node bin/verity.js serve`)
 * sharing one master key and one database, and HAProxy in front with active `/readyz` checks.
 * Used by `npm run cluster` (scripts/cluster/start.ts), the kill test (test/cluster/kill-node.test.ts)
 * and the nodes benchmark (bench/nodes.ts). Every process is a child of the caller, found by pid and
 * stopped by `stop()`; every port is found free at run time on 127.0.0.1.
 */

/** The checkout the nodes run: this one, or VERITY_CLUSTER_ROOT (e.g. a build of another revision). */
const VERITY_ROOT = process.env.VERITY_CLUSTER_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '../..');

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `probe` answers true, polling every `everyMs`; throws `what` after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 30_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<major>/bin), newest first. */
export function findPostgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  return majors.map((m) => join(base, m, 'bin')).find((bin) => existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')));
}

export function findHaproxy(): string | undefined {
  for (const path of ['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy']) if (existsSync(path)) return path;
  const which = spawnSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() || undefined : undefined;
}

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/verity` (trust authentication, loopback only). */
  url: string;
  /** The postmaster's pid (its children are the backends). */
  pid: number;
  stop(): void;
}

/**
 * A throw-away PostgreSQL cluster in a new temp folder (initdb + pg_ctl of the installed
 * PostgreSQL), on a free loopback port, with a `verity` database; stop() removes the folder.
 * initdb refuses to run as root, so as root it runs as the `postgres` OS user (Debian's package
 * creates it).
 */
export async function startPrivatePostgres(options: { extraSettings?: string[] } = {}): Promise<PrivatePostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql), or set VERITY_DATABASE_URL');
  const dir = mkdtempSync(join(tmpdir(), 'verity-pg-'));
  const root = process.getuid?.() === 0;
  if (root) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const run = (cmd: string, args: string[]) => {
    const res = root ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { cwd: dir, encoding: 'utf8' }) : spawnSync(join(bin, cmd), args, { cwd: dir, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${res.stderr || res.stdout}`);
    return res.stdout;
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const settings = ['listen_addresses=127.0.0.1', 'max_connections=300', ...(options.extraSettings ?? [])];
  run('pg_ctl', ['-D', data, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} ${settings.map((s) => `-c ${s}`).join(' ')}`, 'start']);
  const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  run('psql', ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qc', 'CREATE DATABASE verity']);
  return { url: `postgres://postgres@127.0.0.1:${port}/verity`, pid, stop };
}

function uidOf(user: string): number {
  return Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
}
function gidOf(user: string): number {
  return Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
}

export interface HaproxyOptions {
  frontendPort: number;
  statsPort: number;
  nodes: Array<{ name: string; port: number }>;
}

/**
 * The load balancer's configuration (docs/scaling.md explains each line). Retries only on
 * connection failures: a request that reached a node is never re-sent by the balancer, because a
 * node killed after COMMIT and before answering would see a re-sent right-code check fail (the
 * verification is no longer pending). Clients retry, knowing the API's semantics.
 */
export function haproxyConfig({ frontendPort, statsPort, nodes }: HaproxyOptions): string {
  return `# Generated by scripts/cluster/cluster.ts (see docs/scaling.md, "Load balancer").
global
  # Each connection needs two file descriptors (client and server side): keep 2 × maxconn under the open-files limit (ulimit -n).
  maxconn 4000
  log stderr format short local0 notice

defaults
  mode http
  log global
  option dontlognull
  timeout connect 1s
  # Inactivity time-outs: a server-sent event stream (/events/v1/**, device and inbox streams)
  # stays open because Verity writes a keep-alive comment on it every 15 s.
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 10s
  # A connection refused or reset before the request was sent goes to another node (every retry).
  retries 2
  option redispatch 1
  retry-on conn-failure

frontend api
  bind 127.0.0.1:${frontendPort}
  option forwardfor
  default_backend verity

backend verity
  balance leastconn
  option httpchk GET /readyz
  http-check expect status 200
  # /readyz turns 503 on SIGTERM: the node leaves rotation after 3 failed checks (~1 s) while it
  # finishes its requests. A killed node refuses connections, so its checks fail at once (~1 s to
  # DOWN); a busy node may answer a check slowly, hence the 2 s check time-out. Sessions are not cut
  # when a node is marked down (on-marked-down shutdown-sessions would turn a busy node's slow
  # check into errors for every request it is serving).
  timeout check 2s
  default-server inter 500ms fastinter 250ms downinter 1s fall 3 rise 2
${nodes.map((n) => `  server ${n.name} 127.0.0.1:${n.port} check`).join('\n')}

frontend stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
  stats refresh 5s
`;
}

export interface ClusterNode {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  pid: number;
  logPath: string;
  exited: boolean;
}

export interface Cluster {
  /** The balancer's URL: what clients use. */
  url: string;
  statsUrl: string;
  databaseUrl: string;
  nodes: ClusterNode[];
  haproxy: ChildProcess;
  accountSid: string;
  authToken: string;
  masterKey: string;
  /** Where the logs and the generated haproxy.cfg are. */
  dir: string;
  /** HAProxy's view of each server: name → status (`UP`, `DOWN`, `MAINT`, …) and requests sent to it. */
  serverStats(): Promise<Map<string, { status: string; requests: number }>>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  nodes: number;
  databaseUrl: string;
  /** Extra environment of every node (rate limits, webhook knobs). */
  env?: Record<string, string>;
  /** Where the logs and the config go (default: a new temp dir, removed by stop()). */
  dir?: string;
  /** The checkout whose bin/verity.js the nodes run (default: this one; env VERITY_CLUSTER_ROOT). */
  verityRoot?: string;
}

/**
 * Starts `nodes` Verity processes on one database and HAProxy in front; creates one API account
 * with the CLI (which also migrates the database, once, before any node starts).
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const haproxyPath = findHaproxy();
  if (!haproxyPath) throw new Error('HAProxy is not installed (Debian: apt-get install haproxy)');
  const root = options.verityRoot ?? VERITY_ROOT;
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'verity-cluster-'));
  const masterKey = randomBytes(32).toString('hex');
  const children: ChildProcess[] = [];
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    NODE_ENV: 'development',
    VERITY_DATABASE_URL: options.databaseUrl,
    // The same key on every node: codes, token hashes and sealed secrets are derived from it.
    VERITY_MASTER_KEY: masterKey,
    VERITY_HOST: '127.0.0.1',
    VERITY_LOG_LEVEL: 'warn',
    // HAProxy adds X-Forwarded-For; believe it from loopback only.
    VERITY_TRUST_PROXY: 'loopback',
    VERITY_SMS_PROVIDER: 'simulator',
    VERITY_VOICE_PROVIDER: 'simulator',
    VERITY_EMAIL_PROVIDER: 'simulator',
    ...options.env,
  };
  const stopAll = async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolveExit) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolveExit();
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolveExit();
            });
          }),
      ),
    );
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    mkdirSync(join(dir, 'cli'), { recursive: true });
    const created = await runCli(root, { ...baseEnv, VERITY_DATA_DIR: join(dir, 'cli'), VERITY_PORT: '0' }, ['accounts', 'create', '--name', 'Cluster']);
    const { account_sid: accountSid, auth_token: authToken } = JSON.parse(created.trim().split('\n').pop() ?? '{}') as { account_sid: string; auth_token: string };
    const nodes: ClusterNode[] = [];
    for (let i = 1; i <= options.nodes; i++) {
      const name = `n${i}`;
      const port = await freePort();
      const dataDir = join(dir, name);
      mkdirSync(dataDir, { recursive: true });
      const logPath = join(dir, `${name}.log`);
      const args = [join(root, 'bin/verity.js'), 'serve'];
      const child = spawn(process.execPath, args, { cwd: root, env: { ...baseEnv, VERITY_DATA_DIR: dataDir, VERITY_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      const log = createWriteStream(logPath);
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
      const node: ClusterNode = { name, port, url: `http://127.0.0.1:${port}`, child, pid: child.pid ?? 0, logPath, exited: false };
      child.once('exit', () => (node.exited = true));
      nodes.push(node);
    }
    for (const node of nodes) {
      await waitFor(`${node.name} to answer /readyz (log: ${node.logPath})`, async () => {
        if (node.exited) throw new Error(`${node.name} exited during start-up:\n${tail(node.logPath)}`);
        return (await fetch(`${node.url}/readyz`).catch(() => undefined))?.status === 200;
      }, 60_000);
    }
    const frontendPort = await freePort();
    const statsPort = await freePort();
    const cfgPath = join(dir, 'haproxy.cfg');
    writeFileSync(cfgPath, haproxyConfig({ frontendPort, statsPort, nodes }));
    const check = spawnSync(haproxyPath, ['-c', '-q', '-f', cfgPath], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`haproxy -c rejected ${cfgPath}: ${check.stderr || check.stdout}`);
    // -db: stay in the foreground (a child of this process), logs on stderr.
    const haproxy = spawn(haproxyPath, ['-db', '-f', cfgPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(haproxy);
    const haproxyLog = createWriteStream(join(dir, 'haproxy.log'));
    haproxy.stdout?.pipe(haproxyLog);
    haproxy.stderr?.pipe(haproxyLog);
    const url = `http://127.0.0.1:${frontendPort}`;
    const statsUrl = `http://127.0.0.1:${statsPort}/stats`;
    const serverStats = async () => {
      const csv = await (await fetch(`${statsUrl};csv`)).text();
      const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n');
      const columns = (header ?? '').split(',');
      const at = (row: string[], name: string) => row[columns.indexOf(name)] ?? '';
      const servers = new Map<string, { status: string; requests: number }>();
      for (const line of rows) {
        const row = line.split(',');
        if (at(row, 'pxname') === 'verity' && at(row, 'svname') !== 'BACKEND') servers.set(at(row, 'svname'), { status: at(row, 'status'), requests: Number(at(row, 'stot')) });
      }
      return servers;
    };
    await waitFor('HAProxy to see every node UP', async () => {
      if (haproxy.exitCode !== null) throw new Error(`haproxy exited: ${tail(join(dir, 'haproxy.log'))}`);
      const stats = await serverStats().catch(() => undefined);
      return stats !== undefined && nodes.every((n) => stats.get(n.name)?.status === 'UP');
    }, 30_000);
    return { url, statsUrl, databaseUrl: options.databaseUrl, nodes, haproxy, accountSid, authToken, masterKey, dir, serverStats, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function runCli(root: string, env: Record<string, string>, args: string[]): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/verity.js'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveRun(out) : reject(new Error(`verity ${args.join(' ')} exited with ${code}: ${err.trim() || out.trim()}`))));
  });
}

export function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/** CPU seconds (user + system) a process has used, with its reaped children's (from /proc/<pid>/stat). */
export function cpuSecondsOf(pid: number, withChildren = true): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime are fields 14–17 (1-based), i.e. 11–14 after the name.
    const ticks = Number(fields[11]) + Number(fields[12]) + (withChildren ? Number(fields[13]) + Number(fields[14]) : 0);
    return ticks / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Every live process whose parent is `pid` (e.g. a postmaster's backends, a node's workers). */
export function childPids(pid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/**
 * CPU seconds of a process tree: the process (with the children it reaped: backends that ended)
 * plus its live children. Differences of two readings give the CPU spent in between.
 */
export function treeCpuSeconds(pid: number): number {
  return cpuSecondsOf(pid) + childPids(pid).reduce((sum, child) => sum + cpuSecondsOf(child), 0);
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
