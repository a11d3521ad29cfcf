/**
 * Nodes benchmark (issue 16): 1, 2, 3 Verity nodes behind HAProxy on one PostgreSQL. For each, a
 * closed loop of creates, then of right-code checks over the verifications it created, measuring the
 * rate and the CPU each request cost the Verity processes, PostgreSQL (the postmaster and every
 * backend, from /proc/<pid>/stat) and HAProxy. From PostgreSQL's CPU per request it projects what a
 * 16-core database host carries (docs/scaling.md).
 *
 *   npx tsx bench/nodes.ts [--duration 5] [--connections 32] [--nodes 1,2,3] [--db postgres://…]
 *                          [--db-cores 16] [--synchronous-commit off]
 *
 * Without --db (or VERITY_BENCH_POSTGRES_URL) it starts a private PostgreSQL with default durability
 * (fsync and synchronous_commit on). With --db the server must run on this machine (its CPU is read
 * from /proc through its data directory's postmaster.pid); each run uses a new database, dropped after.
 * On a shared machine compare only within one run: the table's ratios are to the 1-node row.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startCluster, startPrivatePostgres, treeCpuSeconds, type Cluster, type PrivatePostgres } from '../scripts/cluster/cluster.ts';
import { LIMITS_LIFTED } from './support/verity-load.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    nodes: { type: 'string', default: '1,2,3' },
    db: { type: 'string' },
    'db-cores': { type: 'string', default: '16' },
    /** `off`: the private PostgreSQL commits without waiting for the WAL flush (shows whether the disk is the limit). */
    'synchronous-commit': { type: 'string', default: 'on' },
  },
});
const DURATION_MS = Number(args.duration) * 1000;
const CONNECTIONS = Number(args.connections);
const NODE_COUNTS = args.nodes.split(',').map(Number);
const DB_CORES = Number(args['db-cores']);
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Phase {
  ok: number;
  /** Requests that did not succeed (not 201 / not approved). */
  failed: number;
  seconds: number;
  verityCpu: number;
  postgresCpu: number;
  haproxyCpu: number;
}

interface Row {
  nodes: number;
  create: Phase;
  check: Phase;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function post(url: string, path: string, authorization: string, form: Record<string, string>): Promise<{ status: number; body: string }> {
  const payload = new URLSearchParams(form).toString();
  return new Promise((resolveRequest, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', agent, headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolveRequest({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function get(url: string): Promise<string> {
  return new Promise((resolveRequest, reject) => {
    request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolveRequest(body));
    })
      .on('error', reject)
      .end();
  });
}

interface Cpu {
  verity: number;
  postgres: number;
  haproxy: number;
}

function cpuOf(cluster: Cluster, postmasterPid: number): Cpu {
  return {
    verity: cluster.nodes.reduce((sum, n) => sum + treeCpuSeconds(n.pid), 0),
    postgres: treeCpuSeconds(postmasterPid),
    haproxy: cluster.haproxy.pid ? treeCpuSeconds(cluster.haproxy.pid) : 0,
  };
}

/** CPU seconds per second the idle cluster spends (background jobs, health checks): subtracted from each phase. */
async function idleCpu(cluster: Cluster, postmasterPid: number): Promise<Cpu> {
  const before = cpuOf(cluster, postmasterPid);
  const started = performance.now();
  await new Promise((r) => setTimeout(r, 3000));
  const seconds = (performance.now() - started) / 1000;
  const after = cpuOf(cluster, postmasterPid);
  return { verity: (after.verity - before.verity) / seconds, postgres: (after.postgres - before.postgres) / seconds, haproxy: (after.haproxy - before.haproxy) / seconds };
}

/**
 * Runs `next` on CONNECTIONS closed loops for DURATION_MS (or until it returns undefined), measuring
 * the CPU spent meanwhile minus what the idle cluster would have spent in that time.
 */
async function measure(cluster: Cluster, postmasterPid: number, idle: Cpu, next: () => (() => Promise<boolean>) | undefined): Promise<Phase> {
  const cpu = () => cpuOf(cluster, postmasterPid);
  const phase: Phase = { ok: 0, failed: 0, seconds: 0, verityCpu: 0, postgresCpu: 0, haproxyCpu: 0 };
  const before = cpu();
  const started = performance.now();
  const deadline = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const one = next();
        if (!one) return;
        // A refused or reset connection counts as a failure, like a non-2xx answer.
        if (await one().catch(() => false)) phase.ok++;
        else phase.failed++;
      }
    }),
  );
  phase.seconds = (performance.now() - started) / 1000;
  const after = cpu();
  phase.verityCpu = Math.max(0, after.verity - before.verity - idle.verity * phase.seconds);
  phase.postgresCpu = Math.max(0, after.postgres - before.postgres - idle.postgres * phase.seconds);
  phase.haproxyCpu = Math.max(0, after.haproxy - before.haproxy - idle.haproxy * phase.seconds);
  return phase;
}

async function runNodes(nodes: number, adminUrl: string, postmasterPid: number): Promise<Row> {
  const database = `verity_nodes_${nodes}_${Date.now().toString(36)}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${database}`));
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
  let cluster: Cluster | undefined;
  try {
    log(`${nodes} node(s): starting`);
    cluster = await startCluster({
      nodes,
      databaseUrl,
      env: { ...LIMITS_LIFTED },
    });
    const c = cluster;
    const authorization = 'Basic ' + Buffer.from(`${c.accountSid}:${c.authToken}`).toString('base64');
    const service = JSON.parse((await post(c.url, '/v2/Services', authorization, { FriendlyName: 'Nodes bench' })).body) as { sid: string };
    let n = 0;
    let reported = 0;
    const created: string[] = [];
    const createOne = () => {
      // Distinct valid numbers (+1 415 5xx xxxx, +1 415 6xx xxxx, …): no row shared between creates.
      const to = `+1415${4_000_000 + nodes * 1_000_000 + n++}`;
      return async () => {
        const res = await post(c.url, `/v2/Services/${service.sid}/Verifications`, authorization, { To: to, Channel: 'sms' });
        if (res.status === 201) created.push(to);
        else if (!reported++) log(`  a create answered ${res.status}: ${res.body.slice(0, 300)}`);
        return res.status === 201;
      };
    };
    // Warm-up (JIT, connection pools), not measured.
    const warmUntil = performance.now() + 1500;
    const noIdle = { verity: 0, postgres: 0, haproxy: 0 };
    await measure(c, postmasterPid, noIdle, () => (performance.now() < warmUntil ? createOne() : undefined));
    const idle = await idleCpu(c, postmasterPid);
    idles.push({ nodes, ...idle });
    created.length = 0;
    log(`${nodes} node(s): creates`);
    const create = await measure(c, postmasterPid, idle, createOne);
    // Read every code (not measured), then check each once with the right code.
    const pool: Array<{ to: string; code: string }> = [];
    let r = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (r < created.length) {
          const to = created[r++] as string;
          const inbox = await get(`${c.url}/sim/v1/inbox/${encodeURIComponent(to)}`).catch(() => '{"messages":[]}');
          const { messages } = JSON.parse(inbox) as { messages: Array<{ body: string }> };
          const match = messages[0] && /(\d(?:, )?){4,10}/.exec(messages[0].body.replace(/@\S+ #\d+/, ''));
          if (match) pool.push({ to, code: match[0].replace(/\D/g, '') });
        }
      }),
    );
    log(`${nodes} node(s): checks over ${pool.length} verifications`);
    let k = 0;
    const check = await measure(c, postmasterPid, idle, () => {
      const item = pool[k++];
      if (!item) return undefined;
      return async () => {
        const res = await post(c.url, `/v2/Services/${service.sid}/VerificationCheck`, authorization, { To: item.to, Code: item.code });
        return res.status === 200 && (JSON.parse(res.body) as { status: string }).status === 'approved';
      };
    });
    return { nodes, create, check };
  } finally {
    await cluster?.stop();
    await withClient(adminUrl, (db) => db.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)).catch(() => undefined);
  }
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The postmaster of a PostgreSQL running on this machine: from its data directory's postmaster.pid. */
async function postmasterOf(url: string): Promise<number> {
  const dataDirectory = await withClient(url, async (c) => (await c.query<{ data_directory: string }>('SHOW data_directory')).rows[0]?.data_directory);
  return Number(readFileSync(`${dataDirectory}/postmaster.pid`, 'utf8').split('\n')[0]);
}

const idles: Array<Cpu & { nodes: number }> = [];
const ms = (cpuSeconds: number, requests: number) => (requests > 0 ? ((cpuSeconds * 1000) / requests).toFixed(2) : '-');
const rate = (p: Phase) => p.ok / p.seconds;

function table(rows: Row[]): string {
  const base = rows[0];
  const header = '| nodes | creates/s | × 1 node | Verity CPU ms/create | PostgreSQL CPU ms/create | HAProxy ms/create | checks/s | × 1 node | Verity CPU ms/check | PostgreSQL CPU ms/check | HAProxy ms/check |';
  const lines = [header, header.replace(/[^|]+/g, (cell) => '-'.repeat(cell.length))];
  for (const row of rows) {
    const { create: cr, check: ch } = row;
    lines.push(
      `| ${row.nodes} | ${rate(cr).toFixed(0)} | ${base ? (rate(cr) / rate(base.create)).toFixed(2) : '-'} | ${ms(cr.verityCpu, cr.ok)} | ${ms(cr.postgresCpu, cr.ok)} | ${ms(cr.haproxyCpu, cr.ok)} | ${rate(ch).toFixed(0)} | ${base ? (rate(ch) / rate(base.check)).toFixed(2) : '-'} | ${ms(ch.verityCpu, ch.ok)} | ${ms(ch.postgresCpu, ch.ok)} | ${ms(ch.haproxyCpu, ch.ok)} |`,
    );
  }
  return lines.join('\n');
}

/** What a DB_CORES-core PostgreSQL host carries at 70 % CPU, from the measured PostgreSQL CPU per request (all rows pooled). */
function projection(rows: Row[]): string {
  const sum = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0);
  const pgCreate = sum((r) => r.create.postgresCpu) / sum((r) => r.create.ok);
  const pgCheck = sum((r) => r.check.postgresCpu) / sum((r) => r.check.ok);
  const verityCreate = sum((r) => r.create.verityCpu) / sum((r) => r.create.ok);
  const verityCheck = sum((r) => r.check.verityCpu) / sum((r) => r.check.ok);
  const budget = DB_CORES * 0.7;
  const flows = budget / (pgCreate + pgCheck);
  const nodeCores = flows * (verityCreate + verityCheck) / 0.7;
  return [
    `Projection for a ${DB_CORES}-core PostgreSQL host at 70 % CPU (PostgreSQL CPU per request pooled over all rows: ${(pgCreate * 1000).toFixed(2)} ms/create, ${(pgCheck * 1000).toFixed(2)} ms/check):`,
    `  creates only   ~${Math.round(budget / pgCreate).toLocaleString('en')}/s`,
    `  checks only    ~${Math.round(budget / pgCheck).toLocaleString('en')}/s`,
    `  create + check ~${Math.round(flows).toLocaleString('en')} verifications/s, needing ~${Math.ceil(nodeCores)} Verity cores at 70 % (${((verityCreate + verityCheck) * 1000).toFixed(2)} ms of Verity CPU per create + check)`,
    '  CPU only: assumes the cores are as fast as these, the WAL disk keeps up with the commits and no row is contended (distinct numbers).',
  ].join('\n');
}

let privatePostgres: PrivatePostgres | undefined;
try {
  let adminUrl = args.db ?? process.env.VERITY_BENCH_POSTGRES_URL;
  if (!adminUrl) {
    log(`starting a private PostgreSQL (synchronous_commit=${args['synchronous-commit']})`);
    privatePostgres = await startPrivatePostgres({ extraSettings: [`synchronous_commit=${args['synchronous-commit'] === 'off' ? 'off' : 'on'}`] });
    adminUrl = privatePostgres.url;
  }
  const postmasterPid = privatePostgres?.pid ?? (await postmasterOf(adminUrl));
  const serverVersion = await withClient(adminUrl, async (c) => (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version);
  const rows: Row[] = [];
  for (const nodes of NODE_COUNTS) rows.push(await runNodes(nodes, adminUrl, postmasterPid));
  const [l1, l5] = loadavg();
  console.log(`\nNodes benchmark: ${CONNECTIONS} closed-loop connections through HAProxy, ${DURATION_MS / 1000} s per phase, PostgreSQL ${serverVersion}${privatePostgres ? ` (private, fsync on, synchronous_commit ${args['synchronous-commit'] === 'off' ? 'off' : 'on'})` : ''}, load average ${l1?.toFixed(2)} / ${l5?.toFixed(2)} at the end\n`);
  console.log(table(rows));
  console.log(`\nIdle CPU subtracted (background jobs, health checks; % of one core): ${idles.map((i) => `${i.nodes} node(s): Verity ${(i.verity * 100).toFixed(1)} %, PostgreSQL ${(i.postgres * 100).toFixed(1)} %, HAProxy ${(i.haproxy * 100).toFixed(1)} %`).join('; ')}`);
  for (const row of rows) {
    if (row.create.failed || row.check.failed) console.log(`  ${row.nodes} node(s): ${row.create.failed} creates and ${row.check.failed} checks did not succeed (not counted)`);
  }
  console.log(`\n${projection(rows)}`);
} finally {
  agent.destroy();
  privatePostgres?.stop();
}
