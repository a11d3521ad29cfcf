/**
 * Verity against its nearest open-source peer and against a bare server, side by side in one run:
 *
 *   npm run bench:compare
 *   npm run bench:compare -- --duration 5 --connections 50 --pool 3000
 *
 * One load generator (autocannon, closed loop, --connections connections, in this process), three
 * servers, each a child process of its own, started and measured one after the other:
 * - echo: a bare Fastify server answering a form POST with a small JSON body (the baseline);
 * - better-auth's phone-number plugin on SQLite in WAL mode (bench/support/peer-server.ts): its OTP
 *   send, and its verify-and-consume;
 * - Verity (`node bin/verity.js serve`, SQLite, simulator SMS provider, API rate limits raised):
 *   POST /Verifications and POST /VerificationCheck.
 * The two check phases run the same mix over pools prepared beforehand (unmeasured): every OTP gets
 * --checks-per-code checks (default 4: wrong codes, then the right one), approvals spread evenly.
 * A phase whose answers are not what its requests call for (errors, a right code not approved, a
 * wrong one not refused) above 1 % makes the run fail instead of reporting a number.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { checkPhase, Numbers, runLoad, table, timedPhase, type Measured, type PhaseResult, type PhaseSettings } from './support/load.ts';
import { benchEnv, createService, verityPhases, type BenchAccount } from './support/verity-load.ts';
import { freePort, runCli, startServer, tempDirs } from './support/verity-process.ts';

const HELP = `Usage: npm run bench:compare -- [options]

  --duration SECONDS        length of the timed phases (echo, creates, sends; default 3)
  --warmup SECONDS          unmeasured warm-up before each timed phase (default 1)
  --connections N           concurrent HTTP connections (default 50)
  --pool N                  OTPs each check phase measures (default 2000; plus 1000 for its warm-up)
  --checks-per-code N       checks per OTP, the last one right (1-5, default 4)
  --max-error-rate PERCENT  refuse to report above this share of unexpected answers (default 1)
  --verity-root DIR         checkout whose bin/verity.js is measured (default: this one)
`;

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '50' },
    pool: { type: 'string', default: '2000' },
    'checks-per-code': { type: 'string', default: '4' },
    'max-error-rate': { type: 'string', default: '1' },
    'verity-root': { type: 'string' },
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

const DURATION_S = intOption('duration', args.duration, 1, 600);
const WARMUP_S = intOption('warmup', args.warmup, 0, 60);
const CONNECTIONS = intOption('connections', args.connections, 1, 10_000);
const CHECKS = intOption('checks-per-code', args['checks-per-code'], 1, 5);
const MAX_ERROR_RATE = Number(args['max-error-rate']) / 100;
// Checks of one OTP are this many requests apart, far more than the connections.
const GROUP = Math.max(1000, CONNECTIONS * 20);
const POOL = Math.max(GROUP, Math.ceil(intOption('pool', args.pool, 1, 1_000_000) / GROUP) * GROUP);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const VERITY_ROOT = resolve(args['verity-root'] ?? ROOT);

const log = (message: string): void => void process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------------------------------------
// Peer servers (echo, better-auth) as child processes

const peers = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of peers) if (child.exitCode === null) child.kill('SIGKILL');
});

async function startPeer(mode: 'echo' | 'better-auth', dir: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/support/peer-server.ts'), mode, String(port), dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  peers.add(child);
  let output = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`${mode} did not start within 30 s: ${output}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('ready')) {
        clearTimeout(timer);
        ready();
      }
    });
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${mode} exited with ${code}: ${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      peers.delete(child);
    },
  };
}

const settings: PhaseSettings = { connections: CONNECTIONS, duration: DURATION_S, warmup: WARMUP_S, checksPerCode: CHECKS, group: GROUP, log };
const formHeaders = (): Record<string, string> => ({ 'content-type': 'application/x-www-form-urlencoded' });

// ---------------------------------------------------------------------------------------------
// The three servers

async function echoPhases(dir: string): Promise<Measured[]> {
  const echo = await startPeer('echo', dir);
  try {
    log('echo (bare Fastify)');
    const body = 'To=%2B447810000001&Code=123456';
    return [await timedPhase(settings, 'echo (Fastify, form POST → JSON)', echo.url, echo.pid, () => ({ method: 'POST', path: '/echo', headers: formHeaders(), body }), (s) => s === 200)];
  } finally {
    await echo.stop();
  }
}

async function betterAuthPhases(dir: string): Promise<Measured[]> {
  const ba = await startPeer('better-auth', dir);
  try {
    log('better-auth phone-number plugin (SQLite WAL)');
    const numbers = new Numbers(1);
    const send = (): autocannon.Request => ({
      method: 'POST',
      path: '/send-otp',
      headers: formHeaders(),
      setupRequest: (req) => ({ ...req, body: `phoneNumber=${encodeURIComponent(numbers.take())}` }),
    });
    const sent = await timedPhase(settings, 'better-auth send OTP', ba.url, ba.pid, send, (s) => s === 200);
    // The check pool: fresh OTPs, their codes as sendOTP recorded them.
    await fetch(`${ba.url}/_bench/codes`);
    const poolNumbers = new Numbers(2);
    await runLoad({ name: 'pool', url: ba.url, connections: CONNECTIONS, amount: POOL + GROUP, request: { method: 'POST', path: '/send-otp', headers: formHeaders(), setupRequest: (req) => ({ ...req, body: `phoneNumber=${encodeURIComponent(poolNumbers.take())}` }) } });
    const codes = (await (await fetch(`${ba.url}/_bench/codes`)).json()) as Record<string, string>;
    // Only this pool's numbers (a send of the timed phase may have answered after the clean-up above).
    const pool = Object.entries(codes)
      .filter(([to]) => to.startsWith('+447812'))
      .slice(0, POOL + GROUP)
      .map(([to, code]) => ({ id: `phoneNumber=${encodeURIComponent(to)}`, code }));
    if (pool.length < POOL + GROUP) throw new Error(`better-auth: only ${pool.length} of ${POOL + GROUP} OTPs could be prepared`);
    const consumed = await checkPhase(settings, 'better-auth verify+consume OTP', ba.url, ba.pid, '/consume', formHeaders(), pool, (item, code) => `${item.id}&code=${code}`, (status, body) =>
      status === 200 && body.includes('"status":true') ? 'right' : status === 400 && body.includes('INVALID_OTP') ? 'wrong' : `${status} ${body.slice(0, 80)}`,
    );
    return [sent, consumed];
  } finally {
    await ba.stop();
  }
}

async function verity(dir: string): Promise<Measured[]> {
  const env = benchEnv(dir, `sqlite:${join(dir, 'verity.db')}`, await freePort());
  const account = JSON.parse((await runCli(VERITY_ROOT, env, ['accounts', 'create', '--name', 'bench'])).trim().split('\n').pop() ?? '{}') as BenchAccount;
  const server = await startServer(VERITY_ROOT, env, join(dir, 'server.log'));
  try {
    log('Verity (SQLite, simulator)');
    return await verityPhases(settings, server, account, await createService(server.url, account), POOL, new Numbers(3));
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const ms = (n: number): string => n.toFixed(1);
const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'verity-compare-'));
  tempDirs.add(dir);
  const loadBefore = loadAverage();
  const [echo] = await echoPhases(dir);
  const [baSend, baConsume] = await betterAuthPhases(dir);
  const [vCreate, vCheck] = await verity(dir);
  const phases = [echo!, baSend!, baConsume!, vCreate!, vCheck!];

  const rows: string[][] = [['phase', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'server cores', 'server CPU µs/req', 'unexpected']];
  for (const p of phases) {
    const cores = p.serverCores === undefined ? ['-', '-'] : [p.serverCores.toFixed(2), ((p.serverCores / p.perSecond) * 1e6).toFixed(0)];
    rows.push([p.name, String(p.requests), p.perSecond.toFixed(0), ms(p.latencyMs.p50), ms(p.latencyMs.p99), ms(p.latencyMs.max), ...cores, String(p.unexpected)]);
  }
  const ratio = (a: PhaseResult, b: PhaseResult): number => a.perSecond / b.perSecond;
  const goals: Array<[string, string, boolean]> = [
    ['Verity check / better-auth consume', `${ratio(vCheck!, baConsume!).toFixed(2)}×  (goal ≥ 10×)`, ratio(vCheck!, baConsume!) >= 10],
    ['Verity create / better-auth send', `${ratio(vCreate!, baSend!).toFixed(2)}×  (goal ≥ 5×)`, ratio(vCreate!, baSend!) >= 5],
    ['Verity check / echo', `${(100 * ratio(vCheck!, echo!)).toFixed(0)} %  (goal ≥ 50 %)`, ratio(vCheck!, echo!) >= 0.5],
    ['Verity check p99', `${ms(vCheck!.latencyMs.p99)} ms  (goal < 10 ms)`, vCheck!.latencyMs.p99 < 10],
  ];
  const cpus = os.cpus();
  const out = [
    'Verity vs better-auth (phone-number plugin) vs bare Fastify, one run',
    `  machine       ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} CPUs (available parallelism ${os.availableParallelism()}), node ${process.version}`,
    `  load average  ${loadBefore} before, ${loadAverage()} after (1/5/15 min; other work on the machine skews every number alike)`,
    `  load          autocannon in this process, ${CONNECTIONS} connections, closed loop; timed phases ${DURATION_S} s after ${WARMUP_S} s warm-up;`,
    `                check phases ${POOL} OTPs × ${CHECKS} checks (${CHECKS - 1} wrong, then the right code) after ${GROUP} OTPs of warm-up`,
    `  Verity        ${VERITY_ROOT}: node bin/verity.js serve, SQLite, VERITY_LOG_LEVEL=warn, simulator SMS, API rate limits raised`,
    '  servers       one child process each, run one after the other; "server cores" = its CPU seconds / phase seconds;',
    '                "server CPU µs/req" = its CPU time per answer (less sensitive than rates to other work on the machine)',
    '',
    table(rows),
    '',
    table([['ratio', 'measured', 'met'], ...goals.map(([n, v, ok]) => [n, v, ok ? 'yes' : 'no'])]),
  ].join('\n');

  const bad = phases.filter((p) => p.requests === 0 || p.unexpected / Math.max(1, p.requests) > MAX_ERROR_RATE);
  if (bad.length > 0) {
    for (const p of bad) log(`${p.name}: ${p.unexpected} of ${p.requests} answers unexpected: ${JSON.stringify(p.breakdown)}`);
    log(`refusing to report: more than ${(MAX_ERROR_RATE * 100).toFixed(1)} % unexpected answers in ${bad.map((p) => p.name).join(', ')}`);
    process.stdout.write(`\n(NOT VALID)\n${out}\n`);
    process.exit(1);
  }
  process.stdout.write(`\n${out}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
