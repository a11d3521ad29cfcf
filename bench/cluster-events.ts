/**
 * Live events across nodes (issue 16 item 3): two Verity nodes (child processes) on one PostgreSQL
 * database. N verification streams (`/events/v1/Verifications/{VE}/{token}`) are held open on node A;
 * the benchmark then measures, in one run:
 *
 * - **idle cost**: the database transactions committed while the streams sit idle for `--idle`
 *   seconds (`pg_stat_database.xact_commit` of a database made for this run, minus the benchmark's
 *   own reads), and node A's resident memory before and after opening them;
 * - **cross-node latency**: `--checks` right-code checks sent one after another to node B, each for
 *   a verification whose stream is open on node A; latency = from B's response (the approval is
 *   committed) to A's stream ending (A heard it and re-read the database). p50/p99/max.
 *
 *   node --import tsx bench/cluster-events.ts --db postgres://postgres@127.0.0.1:55432/postgres --streams 2000
 *   … --baseline DIR      also run the same steps against another checkout (e.g. `git archive HEAD`
 *                         of the polling design), printed side by side as ratios
 *
 * The two servers, PostgreSQL and this load generator share the machine's CPUs (the report states the
 * load average); compare only numbers of one run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createKeyring, parseMasterKey } from '../src/crypto/keyring.ts';
import { verificationEventsToken } from '../src/voice/verification-events-token.ts';
import { benchEnv } from './support/verity-load.ts';
import { freePort, runCli, startServer, tempDirs, type Server } from './support/verity-process.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    streams: { type: 'string', default: '1000' },
    checks: { type: 'string', default: '100' },
    idle: { type: 'string', default: '10' },
    baseline: { type: 'string' },
  },
});
const ADMIN_URL = args.db ?? process.env.VERITY_BENCH_POSTGRES_URL ?? process.env.VERITY_TEST_POSTGRES_URL;
if (!ADMIN_URL) {
  process.stderr.write('needs --db postgres://… (or VERITY_BENCH_POSTGRES_URL)\n');
  process.exit(2);
}
const STREAMS = Number(args.streams);
const CHECKS = Math.min(Number(args.checks), STREAMS);
const IDLE_S = Number(args.idle);
const HERE = resolve(join(dirname(fileURLToPath(import.meta.url)), '..'));

const log = (message: string): void => void process.stderr.write(`[cluster-events] ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function request(url: string, method: string, authorization: string, form?: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolvePromise, reject) => {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const req = http.request(url, { method, agent, headers: { authorization, ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens an event stream; `ended` resolves (with the time) when the server ends it. */
function openStream(url: string): Promise<{ ended: Promise<number>; destroy(): void }> {
  return new Promise((resolvePromise, reject) => {
    const req = http.get(url, { agent: streamAgent }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${res.statusCode}`));
      const ended = new Promise<number>((r) => {
        res.on('end', () => r(performance.now()));
        res.on('close', () => r(performance.now()));
      });
      // The stream is open (and subscribed) once its first comment arrives.
      res.once('data', () => resolvePromise({ ended, destroy: () => req.destroy() }));
      res.resume();
    });
    req.on('error', reject);
  });
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  }));
}

const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

interface Result {
  label: string;
  rssBeforeMb: number;
  rssAfterMb: number;
  idleBaseTxPerSecond: number;
  idleTxPerSecond: number;
  latency: { p50: number; p99: number; max: number; missed: number };
}

async function run(label: string, verityRoot: string): Promise<Result> {
  const database = `bench_events_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const dbUrl = new URL(ADMIN_URL as string);
  dbUrl.pathname = `/${database}`;
  const dataDir = mkdtempSync(join(os.tmpdir(), 'verity-bench-events-'));
  tempDirs.add(dataDir);
  const masterKey = randomBytes(32).toString('hex');
  // Both nodes share one master key: codes and stream tokens made on one are checked on the other.
  const envFor = async (name: string): Promise<NodeJS.ProcessEnv> => ({
    ...benchEnv(join(dataDir, name), dbUrl.toString(), await freePort()),
    VERITY_MASTER_KEY: masterKey,
    // Every stream is opened from this one address.
    VERITY_RATE_HOSTED_IP_BURST: '1000000',
    VERITY_RATE_HOSTED_IP_PER_SECOND: '1000000',
    VERITY_EVENTS_MAX_STREAMS_PER_IP: '100000',
  });
  const servers: Server[] = [];
  const streams: Array<{ destroy(): void }> = [];
  try {
    const envA = await envFor('a');
    const envB = await envFor('b');
    const created = JSON.parse((await runCli(verityRoot, envA, ['accounts', 'create', '--name', 'bench'])).trim().split('\n').pop() ?? '{}') as { account_sid: string; auth_token: string };
    const a = await startServer(verityRoot, envA, join(dataDir, 'a.log'));
    servers.push(a);
    const b = await startServer(verityRoot, envB, join(dataDir, 'b.log'));
    servers.push(b);
    const auth = 'Basic ' + Buffer.from(`${created.account_sid}:${created.auth_token}`).toString('base64');
    const service = (await request(`${a.url}/v2/Services`, 'POST', auth, { FriendlyName: 'Bench' })).body.sid as string;
    const keyring = createKeyring(parseMasterKey(masterKey));

    log(`${label}: creating ${STREAMS} verifications`);
    const verifications: Array<{ sid: string; to: string }> = [];
    await pool(Array.from({ length: STREAMS }, (_, i) => `+44781${String(i).padStart(7, '0')}`), 16, async (to) => {
      const res = await request(`${a.url}/v2/Services/${service}/Verifications`, 'POST', auth, { To: to, Channel: 'sms' });
      if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
      verifications.push({ sid: res.body.sid as string, to });
    });
    // Both nodes' background jobs commit a few transactions a second whatever the streams do: measured first, subtracted.
    const commits = async (): Promise<number> => Number((await admin.query('SELECT xact_commit FROM pg_stat_database WHERE datname = $1', [database])).rows[0].xact_commit);
    const idleTx = async (): Promise<number> => {
      await admin.query('SELECT pg_stat_clear_snapshot()');
      const before = await commits();
      await sleep(IDLE_S * 1000);
      // Backends report their counts at most once a second (PostgreSQL 15): wait for the last report.
      await sleep(1_500);
      await admin.query('SELECT pg_stat_clear_snapshot()');
      const after = await commits();
      return (after - before) / (IDLE_S + 1.5);
    };
    log(`${label}: idle for ${IDLE_S} s without streams`);
    const idleBaseTxPerSecond = await idleTx();
    const rssBeforeMb = rssOf(a.child.pid as number);
    log(`${label}: opening ${STREAMS} streams on node A`);
    const ends = new Map<string, Promise<number>>();
    await pool(verifications, 64, async (v) => {
      const stream = await openStream(`${a.url}/events/v1/Verifications/${v.sid}/${verificationEventsToken({ keyring }, v.sid)}`);
      streams.push(stream);
      ends.set(v.sid, stream.ended);
    });
    await sleep(2_000);
    const rssAfterMb = rssOf(a.child.pid as number);

    log(`${label}: idle for ${IDLE_S} s with the streams open`);
    const idleTxPerSecond = await idleTx();

    log(`${label}: ${CHECKS} checks on node B`);
    const latencies: number[] = [];
    let missed = 0;
    for (const v of verifications.slice(0, CHECKS)) {
      const inbox = await request(`${a.url}/sim/v1/inbox/${encodeURIComponent(v.to)}`, 'GET', auth);
      const code = /(\d{4,10})/.exec(((inbox.body.messages[0]?.body as string | undefined) ?? '').replace(/@\S+ #\d+/, ''))?.[1] ?? '';
      const check = await request(`${b.url}/v2/Services/${service}/VerificationCheck`, 'POST', auth, { To: v.to, Code: code });
      const committed = performance.now();
      if (check.body?.status !== 'approved') throw new Error(`check: ${JSON.stringify(check.body)}`);
      const ended = await Promise.race([ends.get(v.sid) as Promise<number>, sleep(5_000).then(() => undefined)]);
      if (ended === undefined) missed++;
      else latencies.push(Math.max(0, ended - committed));
    }
    latencies.sort((x, y) => x - y);
    return { label, rssBeforeMb, rssAfterMb, idleBaseTxPerSecond, idleTxPerSecond, latency: { p50: pct(latencies, 50), p99: pct(latencies, 99), max: latencies.at(-1) ?? NaN, missed } };
  } finally {
    for (const s of streams) s.destroy();
    for (const s of servers) await s.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

const results: Result[] = [];
if (args.baseline) results.push(await run('baseline', resolve(args.baseline)));
results.push(await run('this tree', HERE));
const base = results[0] as Result;
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const out = [
  `cluster events: ${STREAMS} verification streams open on node A, ${CHECKS} checks on node B, idle window ${IDLE_S} s`,
  `machine: ${os.cpus().length} CPUs shared by both nodes, PostgreSQL and the generator; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  '',
  '| run | node A RSS before → after (MB) | per stream (kB) | idle DB tx/s without → with streams | per stream (tx/s) | latency p50 (ms) | p99 (ms) | max (ms) | missed (> 5 s) |',
  '|---|---|---|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.label} | ${fmt(r.rssBeforeMb)} → ${fmt(r.rssAfterMb)} | ${fmt(((r.rssAfterMb - r.rssBeforeMb) * 1024) / STREAMS)} | ${fmt(r.idleBaseTxPerSecond)} → ${fmt(r.idleTxPerSecond)} | ${((r.idleTxPerSecond - r.idleBaseTxPerSecond) / STREAMS).toFixed(3)} | ${fmt(r.latency.p50)} | ${fmt(r.latency.p99)} | ${fmt(r.latency.max)} | ${r.latency.missed} |`),
];
if (results.length > 1) {
  const now = results[1] as Result;
  out.push('', `ratios (this tree / baseline): idle tx/s added by the streams ${((now.idleTxPerSecond - now.idleBaseTxPerSecond) / (base.idleTxPerSecond - base.idleBaseTxPerSecond)).toFixed(3)}×, p50 ${(now.latency.p50 / base.latency.p50).toFixed(3)}×, p99 ${(now.latency.p99 / base.latency.p99).toFixed(3)}×`);
}
process.stdout.write(`${out.join('\n')}\n`);
agent.destroy();
