/**
 * Load benchmark of the Verify hot paths: creating verifications and checking codes.
 *
 *   npm run bench                                   # SQLite (always), 10 s per phase, 50 connections
 *   npm run bench -- --duration 30 --connections 100
 *   npm run bench -- --db postgres://user:pass@127.0.0.1:5432/db   # also PostgreSQL (or VERITY_BENCH_POSTGRES_URL)
 *   npm run bench -- --cpu-prof /tmp/prof           # server child runs with node --cpu-prof
 *
 * Verity runs as a child process (`node bin/verity.js serve`), the load generator (autocannon) in
 * this process, so HTTP, the event loop and the database are exercised as in production. Both
 * share this machine's CPUs, which the report states.
 *
 * Phase "create": POST /Verifications (channel sms, simulator provider) with a distinct `To` per
 * request. Phase "check": POST /VerificationCheck against a pool of pending verifications created
 * beforehand (codes read from the simulator inbox). Every verification receives at most
 * `--checks-per-verification` checks (default 4: three wrong codes, then the right one), so no
 * check is wasted on a verification that already ended and the hosted API's 5-attempt limit is
 * never hit: the phase measures the real mix of "wrong code" (200 pending) and "approved".
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { benchEnv } from './support/verity-load.ts';
import { freePort, runCli, startServer, tail, tempDirs, type Server } from './support/verity-process.ts';

// ---------------------------------------------------------------------------------------------
// Options

const HELP = `Usage: npm run bench -- [options]

  --duration SECONDS              length of each measured phase (default 10)
  --connections N                 concurrent HTTP connections (default 50)
  --db postgres://…               also run against PostgreSQL (default: env VERITY_BENCH_POSTGRES_URL)
  --sqlite-only                   skip PostgreSQL even if configured
  --postgres-only                 skip SQLite (needs --db)
  --checks-per-verification N     checks each pooled verification receives, the last one correct (1-5, default 4)
  --check-rate-estimate N         checks/s the check pool is sized for (default: 2 × the rate of the
                                  check warm-up); the phase stops early, and says so, if the pool runs out
  --warmup SECONDS                unmeasured warm-up before each phase (default 2)
  --check-by to|sid               identify the verification in checks by To (default) or VerificationSid
  --log-level LEVEL               server VERITY_LOG_LEVEL (default warn)
  --pg-pool-size N                server VERITY_DATABASE_POOL_SIZE for PostgreSQL (default: server default)
  --cpu-prof DIR                  run the server with node --cpu-prof, profiles written to DIR
  --verity-root DIR               checkout whose bin/verity.js is started (default: this one)
  --workers N                     serve --workers N (VERITY_WORKERS; above 1 the voice provider is none)
  --json FILE                     also write the raw results as JSON
`;

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    db: { type: 'string' },
    'sqlite-only': { type: 'boolean', default: false },
    'postgres-only': { type: 'boolean', default: false },
    'checks-per-verification': { type: 'string', default: '4' },
    'check-rate-estimate': { type: 'string' },
    warmup: { type: 'string', default: '2' },
    'check-by': { type: 'string', default: 'to' },
    'log-level': { type: 'string', default: 'warn' },
    'pg-pool-size': { type: 'string' },
    'cpu-prof': { type: 'string' },
    'verity-root': { type: 'string' },
    workers: { type: 'string', default: '1' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

function intOption(name: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`--${name}: expected an integer from ${min} to ${max}\n${HELP}`);
    process.exit(2);
  }
  return n;
}

const DURATION_S = intOption('duration', args.duration, 1, 3600);
const CONNECTIONS = intOption('connections', args.connections, 1, 10_000);
const CHECKS_PER_VERIFICATION = intOption('checks-per-verification', args['checks-per-verification'], 1, 5);
const CHECK_RATE_ESTIMATE = args['check-rate-estimate'] === undefined ? undefined : intOption('check-rate-estimate', args['check-rate-estimate'], 100, 10_000_000);
const WARMUP_S = intOption('warmup', args.warmup, 0, 600);
const CHECK_BY = args['check-by'] === 'sid' ? 'sid' : 'to';
const LOG_LEVEL = args['log-level'] ?? 'warn';
const POSTGRES_URL = args.db ?? process.env.VERITY_BENCH_POSTGRES_URL;
const VERITY_ROOT = resolve(args['verity-root'] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const CPU_PROF_DIR = args['cpu-prof'] ? resolve(args['cpu-prof']) : undefined;
if (POSTGRES_URL && !/^postgres(ql)?:\/\//.test(POSTGRES_URL)) {
  process.stderr.write('--db: expected a postgres:// URL\n');
  process.exit(2);
}
if (args['postgres-only'] && !POSTGRES_URL) {
  process.stderr.write('--postgres-only needs --db or VERITY_BENCH_POSTGRES_URL\n');
  process.exit(2);
}

// Checks of one verification are this many requests apart, far more than the connections, so
// two checks of the same verification are never in flight together.
const GROUP = Math.max(1000, CONNECTIONS * 20);


// ---------------------------------------------------------------------------------------------
// Phone numbers: +44 781x xxxxxx are UK mobile numbers that libphonenumber-js/max accepts as
// valid, all 10,000,000 of them (checked exhaustively), so every request gets a distinct To.

class Numbers {
  private next = 0;
  take(): string {
    if (this.next >= 10_000_000) throw new Error('ran out of distinct phone numbers');
    return `+44781${String(this.next++).padStart(7, '0')}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Load generation

interface PhaseResult {
  name: string;
  requests: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  connErrors: number;
  timeouts: number;
  breakdown: Record<string, number>;
  note?: string;
  /** CLOCK_MONOTONIC microseconds (comparable with a .cpuprofile's startTime of the server). */
  monoStartUs: number;
  monoEndUs: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

const monoUs = (): number => Number(process.hrtime.bigint() / 1000n);

interface LoadOptions {
  name: string;
  url: string;
  /** Either a duration in seconds or an exact number of requests. */
  duration?: number;
  amount?: number;
  request: autocannon.Request;
  /** The breakdown key of a response; null leaves the response out of every number. */
  classify?: (status: number, body: string) => string | null;
  /** Called with the instance once it exists (so setupRequest can stop it). */
  onInstance?: (instance: autocannon.Instance) => void;
}

function runLoad(options: LoadOptions): Promise<PhaseResult> {
  return new Promise((resolveLoad, reject) => {
    const latencies: number[] = [];
    const breakdown: Record<string, number> = {};
    const classify = options.classify;
    // onResponse runs just before the 'response' event of the same response: it tells whether
    // that response counts (requests sent after the stop of a phase do not).
    let counts = true;
    let lastCountedUs = 0;
    const request: autocannon.Request = {
      ...options.request,
      onResponse: (status, body) => {
        const key = classify ? classify(status, body) : String(status);
        counts = key !== null;
        if (key !== null) breakdown[key] = (breakdown[key] ?? 0) + 1;
      },
    };
    const monoStartUs = monoUs();
    const instance = autocannon(
      {
        url: options.url,
        connections: CONNECTIONS,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? DURATION_S }),
        timeout: 30,
        // autocannon acts on stop() at its next sample tick: keep that short.
        sampleInt: 100,
        requests: [request],
      },
      (err, result) => {
        const monoEndUs = monoUs();
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        const sorted = Float64Array.from(latencies).sort();
        const seconds = ((lastCountedUs || monoEndUs) - monoStartUs) / 1e6;
        const requests = latencies.length;
        let sum = 0;
        for (const l of latencies) sum += l;
        resolveLoad({
          name: options.name,
          requests,
          seconds,
          perSecond: requests / seconds,
          latencyMs: {
            p50: percentile(sorted, 50),
            p90: percentile(sorted, 90),
            p99: percentile(sorted, 99),
            max: sorted.length ? (sorted[sorted.length - 1] as number) : 0,
            mean: requests ? sum / requests : 0,
          },
          non2xx: Object.entries(breakdown).reduce((n, [k, v]) => (/^[2]/.test(k) ? n : n + v), 0),
          connErrors: result.errors,
          timeouts: result.timeouts,
          breakdown,
          monoStartUs,
          monoEndUs: lastCountedUs || monoEndUs,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (!counts) return;
      latencies.push(responseTime);
      lastCountedUs = monoUs();
    });
    options.onInstance?.(instance);
  });
}

/** "201", "200 approved", "429 20429", … from a Verity JSON response. */
function classifyVerity(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { status?: unknown; code?: unknown };
    if (status >= 200 && status < 300) return typeof parsed.status === 'string' ? `${status} ${parsed.status}` : String(status);
    return `${status} error ${String(parsed.code ?? '?')}`;
  } catch {
    return `${status} (not JSON)`;
  }
}

// ---------------------------------------------------------------------------------------------
// One database run

interface DbRun {
  database: string;
  serverLogLevel: string;
  phases: PhaseResult[];
  pool: { size: number; checksPerVerification: number; prepSeconds: number };
  serverLogLines: number;
  serverLogTail: string;
}

interface Target {
  label: string;
  databaseUrl: (dataDir: string) => Promise<{ url: string; cleanup: () => Promise<void> }>;
}

async function runOne(target: Target): Promise<DbRun> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'verity-bench-'));
  tempDirs.add(dataDir);
  const { url: databaseUrl, cleanup: cleanupDb } = await target.databaseUrl(dataDir);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...benchEnv(dataDir, databaseUrl, port),
    VERITY_LOG_LEVEL: LOG_LEVEL,
    // Several workers refuse the simulator's in-memory phones (src/cluster/single-owner-check.ts); no phase calls.
    VERITY_VOICE_PROVIDER: args.workers === '1' ? 'simulator' : 'none',
    VERITY_WORKERS: args.workers,
    ...(args['pg-pool-size'] ? { VERITY_DATABASE_POOL_SIZE: args['pg-pool-size'] } : {}),
  };
  let server: Server | undefined;
  try {
    // The CLI migrates the database; SQLite's WAL lets it run before or beside the server.
    const created = JSON.parse((await runCli(VERITY_ROOT, env, ['accounts', 'create', '--name', 'bench'])).trim().split('\n').pop() ?? '{}') as { account_sid: string; auth_token: string };
    server = await startServer(VERITY_ROOT, env, join(dataDir, 'server.log'), CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : []);
    const authorization = 'Basic ' + Buffer.from(`${created.account_sid}:${created.auth_token}`).toString('base64');
    const serviceRes = await fetch(`${server.url}/v2/Services`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'FriendlyName=Bench',
    });
    const service = (await serviceRes.json()) as { sid?: string };
    if (serviceRes.status !== 201 || !service.sid) throw new Error(`creating the service failed: ${serviceRes.status} ${JSON.stringify(service)}`);
    const formHeaders = { authorization, 'content-type': 'application/x-www-form-urlencoded' };
    const verificationsPath = `/v2/Services/${service.sid}/Verifications`;
    const checkPath = `/v2/Services/${service.sid}/VerificationCheck`;
    const numbers = new Numbers();
    const phases: PhaseResult[] = [];

    const createRequest = (): autocannon.Request => ({
      method: 'POST',
      path: verificationsPath,
      headers: formHeaders,
      setupRequest: (req) => {
        req.body = `To=${encodeURIComponent(numbers.take())}&Channel=sms`;
        return req;
      },
    });

    // Phase 1: create.
    log(`[${target.label}] warm-up ${WARMUP_S}s, then create phase ${DURATION_S}s at ${CONNECTIONS} connections`);
    if (WARMUP_S > 0) await runLoad({ name: 'warm-up', url: server.url, duration: WARMUP_S, request: createRequest() });
    phases.push(await runLoad({ name: 'create (POST /Verifications)', url: server.url, duration: DURATION_S, request: createRequest(), classify: classifyVerity }));

    // Phase 2: check. Pools of pending verifications and their codes, prepared unmeasured: a
    // warm-up pool whose run also calibrates the rate, then a measured pool sized from that rate.
    const prepStarted = Date.now();
    const warmPool = await preparePool(server.url, createRequest(), GROUP * (WARMUP_S > 0 ? Math.max(1, Math.round(WARMUP_S)) : 1));
    if (warmPool.length < GROUP) throw new Error(`only ${warmPool.length} of ${GROUP} verifications could be prepared for the check warm-up`);
    let prepSeconds = (Date.now() - prepStarted) / 1000;
    log(`[${target.label}] check warm-up / calibration (${GROUP * CHECKS_PER_VERIFICATION * Math.floor(warmPool.length / GROUP)} checks)`);
    const warm = await runChecks(server.url, checkPath, formHeaders, warmPool.slice(0, Math.floor(warmPool.length / GROUP) * GROUP), { name: 'check warm-up', amountOnly: true });
    const estimate = CHECK_RATE_ESTIMATE ?? Math.ceil(warm.perSecond * 2);
    const poolTarget = Math.max(1, Math.ceil((estimate * DURATION_S) / CHECKS_PER_VERIFICATION / GROUP)) * GROUP;
    log(`[${target.label}] warm-up ran ${warm.perSecond.toFixed(0)} checks/s; preparing ${poolTarget} pending verifications for ${estimate} checks/s × ${DURATION_S} s`);
    const prep2 = Date.now();
    const prepared = await preparePool(server.url, createRequest(), poolTarget);
    prepSeconds += (Date.now() - prep2) / 1000;
    const measuredPool = prepared.slice(0, Math.floor(prepared.length / GROUP) * GROUP);
    if (measuredPool.length === 0) throw new Error(`only ${prepared.length} verifications could be prepared for the check phase`);
    log(`[${target.label}] check phase ${DURATION_S}s at ${CONNECTIONS} connections over a pool of ${measuredPool.length} verifications`);
    const checkPhase = await runChecks(server.url, checkPath, formHeaders, measuredPool, { name: 'check (POST /VerificationCheck)', amountOnly: false });
    checkPhase.note = [checkPhase.note, `pool sized for ${estimate} checks/s (${CHECK_RATE_ESTIMATE ? '--check-rate-estimate' : '2 × the warm-up rate'})`].filter(Boolean).join('; ');
    phases.push(checkPhase);

    await server.stop();
    const serverLog = readFileSync(server.logPath, 'utf8');
    return {
      database: target.label,
      serverLogLevel: LOG_LEVEL,
      phases,
      pool: { size: measuredPool.length, checksPerVerification: CHECKS_PER_VERIFICATION, prepSeconds },
      serverLogLines: serverLog ? serverLog.trimEnd().split('\n').length : 0,
      serverLogTail: tail(server.logPath, 5),
    };
  } finally {
    await server?.stop().catch(() => undefined);
    await cleanupDb().catch((e: unknown) => log(`cleanup failed: ${String(e)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Pooled {
  to: string;
  sid: string;
  code: string;
}

async function preparePool(url: string, create: autocannon.Request, size: number): Promise<Pooled[]> {
  const sids = new Map<string, string>();
  await runLoad({
    name: 'pool: create',
    url,
    amount: size,
    request: create,
    classify: (status, body) => {
      if (status === 201) {
        const v = JSON.parse(body) as { to: string; sid: string };
        sids.set(v.to, v.sid);
      }
      return String(status);
    },
  });
  const tos = [...sids.keys()];
  let next = 0;
  const codes = new Map<string, string>();
  await runLoad({
    name: 'pool: read codes',
    url,
    amount: tos.length,
    request: {
      method: 'GET',
      path: '/sim/v1/inbox/x',
      setupRequest: (req) => {
        req.path = `/sim/v1/inbox/${encodeURIComponent(tos[next++ % tos.length] as string)}`;
        return req;
      },
    },
    classify: (status, body) => {
      if (status === 200) {
        const { messages } = JSON.parse(body) as { messages: Array<{ to: string; body: string }> };
        const latest = messages[0];
        const match = latest && /(\d(?:, )?){4,10}/.exec(latest.body.replace(/@\S+ #\d+/, ''));
        if (latest && match) codes.set(latest.to, match[0].replace(/\D/g, ''));
      }
      return String(status);
    },
  });
  const pool: Pooled[] = [];
  for (const to of tos) {
    const code = codes.get(to);
    const sid = sids.get(to);
    if (code && sid) pool.push({ to, sid, code });
  }
  return pool;
}

function wrongCode(code: string): string {
  const last = Number(code.at(-1));
  return code.slice(0, -1) + String((last + 1) % 10);
}

/**
 * Checks over `pool` in groups of GROUP verifications: within a group, pass 0…N-2 send a wrong
 * code to every member and pass N-1 the right one, so approvals are spread evenly over the run
 * and the checks of one verification are GROUP requests apart.
 */
async function runChecks(
  url: string,
  path: string,
  headers: Record<string, string>,
  pool: Pooled[],
  options: { name: string; amountOnly: boolean },
): Promise<PhaseResult> {
  const total = pool.length * CHECKS_PER_VERIFICATION;
  // Stop a little before the pool runs out: requests already in flight use the rest; any sent
  // after that (autocannon stops at its next 100 ms tick) go to /healthz and are not counted.
  const stopAt = total - CONNECTIONS * 4;
  let k = 0;
  let stoppedEarlyAt: number | undefined;
  let instance: autocannon.Instance | undefined;
  let started = 0;
  const result = await runLoad({
    name: options.name,
    url,
    ...(options.amountOnly ? { amount: total } : { duration: DURATION_S }),
    request: {
      method: 'POST',
      path,
      headers,
      setupRequest: (req) => {
        if (k === 0) started = Date.now();
        if (k >= total) {
          // The pool is used up and the stop is pending: send something harmless, not counted.
          k++;
          req.method = 'GET';
          req.path = '/healthz';
          req.body = '';
          return req;
        }
        req.method = 'POST';
        req.path = path;
        const i = k++;
        const group = Math.floor(i / (GROUP * CHECKS_PER_VERIFICATION));
        const r = i % (GROUP * CHECKS_PER_VERIFICATION);
        const pass = Math.floor(r / GROUP);
        const v = pool[group * GROUP + (r % GROUP)] as Pooled;
        const code = pass === CHECKS_PER_VERIFICATION - 1 ? v.code : wrongCode(v.code);
        const id = CHECK_BY === 'sid' ? `VerificationSid=${v.sid}` : `To=${encodeURIComponent(v.to)}`;
        req.body = `${id}&Code=${code}`;
        if (!options.amountOnly && k >= stopAt && stoppedEarlyAt === undefined) {
          stoppedEarlyAt = (Date.now() - started) / 1000;
          setImmediate(() => instance?.stop());
        }
        return req;
      },
    },
    classify: (status, body) => (status === 200 && body === '{"status":"ok"}' ? null : classifyVerity(status, body)),
    onInstance: (i) => (instance = i),
  });
  if (stoppedEarlyAt !== undefined) {
    result.note = `the pool ran out after ${stoppedEarlyAt.toFixed(1)} s (raise --check-rate-estimate); rates use the real elapsed time`;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a fresh schema per run, dropped afterwards.

async function postgresTarget(baseUrl: string): Promise<Target> {
  const pg = (await import('pg')).default;
  return {
    label: 'postgres',
    databaseUrl: async () => {
      const schema = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const u = new URL(baseUrl);
      u.searchParams.set('options', `-c search_path=${schema}`);
      return {
        url: u.toString(),
        cleanup: async () => {
          const c = new pg.Client({ connectionString: baseUrl });
          await c.connect();
          await c.query(`DROP SCHEMA ${schema} CASCADE`);
          await c.end();
        },
      };
    },
  };
}

const sqliteTarget: Target = {
  label: 'sqlite',
  databaseUrl: async (dataDir) => ({ url: `sqlite:${join(dataDir, 'verity.db')}`, cleanup: async () => {} }),
};

// ---------------------------------------------------------------------------------------------
// Report

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function machine(): Record<string, string> {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length} (available parallelism ${os.availableParallelism()})`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

const ms = (n: number) => n.toFixed(2);

function report(runs: DbRun[]): string {
  const m = machine();
  const out: string[] = [];
  out.push('Verity benchmark');
  out.push(`  machine      ${m.cpu}, ${m.memory} RAM, ${m.os}, node ${m.node}`);
  out.push(`  load         autocannon in this process, ${CONNECTIONS} connections, ${DURATION_S} s per phase (after ${WARMUP_S} s warm-up); server in a child process on the same machine`);
  out.push(`  server       node bin/verity.js serve (${VERITY_ROOT}), VERITY_LOG_LEVEL=${LOG_LEVEL}, simulator SMS provider, API rate limits raised${CPU_PROF_DIR ? `, --cpu-prof → ${CPU_PROF_DIR}` : ''}`);
  out.push(`  load average ${LOAD_BEFORE} before, ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} after (1/5/15 min; other work on the machine skews the numbers)`);
  out.push(`  checks       by ${CHECK_BY === 'sid' ? 'VerificationSid' : 'To'}; each verification gets ${CHECKS_PER_VERIFICATION} checks (${CHECKS_PER_VERIFICATION - 1} wrong, then the right code)`);
  out.push('');
  const rows: string[][] = [['database / phase', 'requests', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'mean ms', 'non-2xx', 'errors']];
  for (const run of runs) {
    for (const p of run.phases) {
      rows.push([
        `${run.database} ${p.name}`,
        String(p.requests),
        p.perSecond.toFixed(0),
        ms(p.latencyMs.p50),
        ms(p.latencyMs.p90),
        ms(p.latencyMs.p99),
        ms(p.latencyMs.max),
        ms(p.latencyMs.mean),
        String(p.non2xx),
        String(p.connErrors + p.timeouts),
      ]);
    }
  }
  out.push(table(rows));
  out.push('');
  for (const run of runs) {
    for (const p of run.phases) {
      const parts = Object.entries(p.breakdown)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k}: ${v}`);
      out.push(`${run.database} ${p.name}: ${parts.join(', ')}`);
      if (p.name.startsWith('create')) out.push(`  verifications created/s: ${((p.breakdown['201 pending'] ?? 0) / p.seconds).toFixed(0)}`);
      if (p.name.startsWith('check')) {
        out.push(`  checks/s: ${p.perSecond.toFixed(0)} (approved/s ${((p.breakdown['200 approved'] ?? 0) / p.seconds).toFixed(0)}, wrong-code/s ${((p.breakdown['200 pending'] ?? 0) / p.seconds).toFixed(0)})`);
      }
      if (p.note) out.push(`  note: ${p.note}`);
    }
    out.push(`${run.database} check pool: ${run.pool.size} verifications × ${run.pool.checksPerVerification} checks, prepared in ${run.pool.prepSeconds.toFixed(1)} s; server wrote ${run.serverLogLines} log lines at level ${run.serverLogLevel}`);
    if (run.serverLogLines > 0) out.push(`  last server log lines:\n${run.serverLogTail.replace(/^/gm, '    ')}`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

const LOAD_BEFORE = os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const targets: Target[] = [];
  if (!args['postgres-only']) targets.push(sqliteTarget);
  if (POSTGRES_URL && !args['sqlite-only']) targets.push(await postgresTarget(POSTGRES_URL));
  if (!POSTGRES_URL) log('PostgreSQL: not configured (pass --db postgres://… or set VERITY_BENCH_POSTGRES_URL); running SQLite only');
  const runs: DbRun[] = [];
  for (const target of targets) runs.push(await runOne(target));
  const text = report(runs);
  process.stdout.write(`\n${text}\n`);
  if (args.json) writeFileSync(args.json, JSON.stringify({ machine: machine(), connections: CONNECTIONS, durationSeconds: DURATION_S, runs }, null, 2));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
