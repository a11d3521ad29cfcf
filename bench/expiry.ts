/**
 * Expiry throughput: how many expired verifications a node ends per second, against how fast they
 * can be created, on SQLite and (with --db) PostgreSQL.
 *
 *   node --import tsx bench/expiry.ts                       # SQLite, backlog 10,000, 3 s steady phase
 *   node --import tsx bench/expiry.ts --db postgres://…     # also PostgreSQL (or VERITY_BENCH_POSTGRES_URL)
 *   node --import tsx bench/expiry.ts --backlog 20000 --duration 5 --create-rate 2000
 *
 * Phase "drain" (same process, same database, one after the other): a backlog of already-expired
 * pending verifications is ended by
 *   - baseline: the sweep before issue 16 (every 5 s: read 500 due rows without a lock, then one
 *     lifecycle transaction per row, one after another) run back to back with no 5 s pause, i.e. its
 *     best case; in production it was capped at 500 per 5 s = 100/s per node *and* per cluster;
 *   - scheduler: src/maintenance expiryJob (claims of 100 with SKIP LOCKED, one lifecycle
 *     transaction per claim, 3 at once), and on PostgreSQL also two "nodes" (two pools) at once.
 * Phase "steady": verifications are created through the lifecycle at --create-rate per second
 * (already due, the worst case) for --duration seconds while the scheduler runs the expiry job;
 * reports the creates and expirations per second and the backlog left at the end.
 * The machine is shared with the other processes on it: compare rows of one run only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ManualClock, type Clock } from '../src/crypto/clock.ts';
import { newSid } from '../src/crypto/random.ts';
import { InProcessEventBus } from '../src/events/event-bus.ts';
import { expiryJob } from '../src/maintenance/maintenance-jobs.ts';
import { MaintenanceScheduler } from '../src/maintenance/maintenance-scheduler.ts';
import { Metrics } from '../src/observability/metrics.ts';
import { encodeVerification } from '../src/store/codecs/verifications-codec.ts';
import { migrateToLatest, openDatabase, type Db } from '../src/store/database.ts';
import type { VerificationRow } from '../src/store/schema.ts';
import { createStores, type Stores } from '../src/store/unit-of-work.ts';
import { VerificationLifecycle } from '../src/verify/lifecycle/verification-lifecycle.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    backlog: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '3' },
    'create-rate': { type: 'string', default: '1000' },
  },
});
const BACKLOG = Number(args.backlog);
const DURATION_S = Number(args.duration);
const CREATE_RATE = Number(args['create-rate']);
const POSTGRES_URL = args.db ?? process.env.VERITY_BENCH_POSTGRES_URL;

interface Node {
  stores: Stores;
  lifecycle: VerificationLifecycle;
}

const clock: Clock = new ManualClock(Date.now());
const nodeOn = (db: Db): Node => {
  const stores = createStores(db);
  return { stores, lifecycle: new VerificationLifecycle({ stores, clock, bus: new InProcessEventBus(), metrics: new Metrics({ defaultMetrics: false }), liveCalls: { hangUpCallsOf: async () => undefined } }) };
};

let serial = 0;
function pendingRow(serviceSid: string, accountSid: string, expiresAt: number): VerificationRow {
  serial++;
  return {
    sid: newSid('VE'),
    account_sid: accountSid,
    service_sid: serviceSid,
    destination: `+1${String(2_000_000_000 + serial)}`,
    channel: 'sms',
    status: 'pending',
    code_seed: 'seed',
    code_digest: null,
    code_length: 6,
    locale: null,
    custom_friendly_name: null,
    amount: null,
    payee: null,
    check_attempts: 0,
    send_attempts: [],
    expires_at: expiresAt,
    failure_code: null,
    voice_flow: null,
    progress_seq: 0,
    requester: '',
    date_created: clock.now(),
    date_updated: clock.now(),
  } as VerificationRow;
}

async function seedService(db: Db): Promise<{ accountSid: string; serviceSid: string }> {
  const accountSid = newSid('AC');
  const serviceSid = newSid('VA');
  const now = clock.now();
  await db.kysely.insertInto('accounts').values({ sid: accountSid, friendly_name: 'bench', auth_token_digest: 'x', auth_token_sealed: null, status: 'active', date_created: now, date_updated: now } as never).execute();
  await db.kysely
    .insertInto('services')
    .values({
      sid: serviceSid, account_sid: accountSid, friendly_name: 'bench', code_length: 6, code_ttl_seconds: 600, custom_code_enabled: 0, lookup_enabled: 0, skip_sms_to_landlines: 0, dtmf_input_required: 0,
      psd2_enabled: 0, do_not_share_warning_enabled: 0, enabled_channels: '["sms"]', extras: '{}', date_created: now, date_updated: now,
    } as never)
    .execute();
  return { accountSid, serviceSid };
}

async function seedBacklog(db: Db, service: { accountSid: string; serviceSid: string }, n: number): Promise<void> {
  const rows = Array.from({ length: n }, () => encodeVerification(pendingRow(service.serviceSid, service.accountSid, clock.now() - 1)));
  for (let i = 0; i < rows.length; i += 500) await db.kysely.insertInto('verifications').values(rows.slice(i, i + 500)).execute();
}

/** The sweep before issue 16 (src/verify/update-verification.ts at 9463a3d), without its 5 s pause. */
async function oldSweep(node: Node): Promise<number> {
  let ended = 0;
  for (;;) {
    const due = await node.stores.verifications.findExpiredPending(clock.now(), 500);
    if (due.length === 0) return ended;
    for (const row of due) if (await node.lifecycle.end(row.sid, { to: 'expired', by: 'clock' })) ended++;
  }
}

async function drainWithJob(nodes: Node[]): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      const job = expiryJob({ clock, verificationLifecycle: node.lifecycle });
      while (await job.batch(node.stores.maintenance));
    }),
  );
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

async function steady(db: Db, node: Node, service: { accountSid: string; serviceSid: string }): Promise<{ created: number; expired: number; left: number; seconds: number }> {
  const scheduler = new MaintenanceScheduler({ store: node.stores.maintenance, logger: { error: (o: unknown) => console.error(o), info: () => undefined }, jobs: [expiryJob({ clock, verificationLifecycle: node.lifecycle })] });
  const before = await countExpired(db);
  scheduler.start();
  const start = performance.now();
  let created = 0;
  // Creates at the target rate, each through the lifecycle (its own transaction), already due.
  while (performance.now() - start < DURATION_S * 1000) {
    const due = Math.floor(((performance.now() - start) / 1000) * CREATE_RATE);
    const burst = [];
    for (; created < due; created++) burst.push(node.lifecycle.transaction((tx) => tx.create(pendingRow(service.serviceSid, service.accountSid, clock.now() - 1))));
    await Promise.all(burst);
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = (performance.now() - start) / 1000;
  await scheduler.stop();
  const expired = (await countExpired(db)) - before;
  const left = Number((await db.kysely.selectFrom('verifications').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);
  return { created, expired, left, seconds };
}

async function countExpired(db: Db): Promise<number> {
  return Number((await db.kysely.selectFrom('verifications').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'expired').executeTakeFirstOrThrow()).n);
}

async function run(name: string, open: () => Db, extraNode: (() => Db) | undefined): Promise<void> {
  const db = open();
  await migrateToLatest(db);
  const node = nodeOn(db);
  const service = await seedService(db);
  const rows: string[] = [];
  const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en')}/s`;

  await seedBacklog(db, service, BACKLOG);
  const baseline = await timed(() => oldSweep(node));
  rows.push(`| ${name} | baseline: old sweep back to back (1 node) | ${BACKLOG} | ${baseline.toFixed(2)} s | ${rate(BACKLOG, baseline)} | 1.00× |`);
  await seedBacklog(db, service, BACKLOG);
  const job = await timed(() => drainWithJob([node]));
  rows.push(`| ${name} | scheduler expiry job (1 node) | ${BACKLOG} | ${job.toFixed(2)} s | ${rate(BACKLOG, job)} | ${(baseline / job).toFixed(2)}× |`);
  let second: Db | undefined;
  if (extraNode) {
    second = extraNode();
    await seedBacklog(db, service, BACKLOG);
    const two = await timed(() => drainWithJob([node, nodeOn(second!)]));
    rows.push(`| ${name} | scheduler expiry job (2 nodes) | ${BACKLOG} | ${two.toFixed(2)} s | ${rate(BACKLOG, two)} | ${(baseline / two).toFixed(2)}× |`);
  }
  console.log(`\n### ${name}: draining a backlog of expired verifications\n`);
  console.log('| database | sweep | rows | time | expirations/s | vs baseline |\n|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);

  const s = await steady(db, node, service);
  console.log(`\n### ${name}: creates at ${CREATE_RATE}/s (already due) with the scheduler running, ${DURATION_S} s\n`);
  console.log('| creates/s (achieved) | expirations/s | pending left at the end | old sweep ceiling |\n|---|---|---|---|');
  console.log(`| ${rate(s.created, s.seconds)} | ${rate(s.expired, s.seconds)} | ${s.left} | 100/s per cluster |`);
  await second?.close();
  await db.close();
}

const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`# bench/expiry: ${os.cpus().length} CPUs, load average ${load} at start (the machine is shared: compare rows of one run)`);

const dir = mkdtempSync(join(os.tmpdir(), 'verity-bench-expiry-'));
try {
  await run('SQLite', () => openDatabase(`sqlite:${join(dir, 'bench.db')}`), undefined);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (POSTGRES_URL) {
  const schema = `bench_expiry_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    const u = new URL(POSTGRES_URL);
    u.searchParams.set('options', `-c search_path=${schema}`);
    await run('PostgreSQL', () => openDatabase(u.toString()), () => openDatabase(u.toString()));
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}
console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
