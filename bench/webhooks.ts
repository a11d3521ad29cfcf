/**
 * Webhook delivery throughput: how many deliveries per second dispatchers drain from a backlog to a
 * fast local receiver, with 1 and 2 dispatchers ("nodes": each its own database pool) on SQLite and
 * (with --db) PostgreSQL.
 *
 *   node --import tsx bench/webhooks.ts                        # SQLite, backlog 6,000 over 4 endpoints
 *   node --import tsx bench/webhooks.ts --db postgres://…      # also PostgreSQL (or VERITY_BENCH_POSTGRES_URL)
 *   node --import tsx bench/webhooks.ts --backlog 10000 --endpoints 8 --concurrency 16
 *
 * Each dispatcher ("node") runs in a worker thread of its own (own event loop and database pool), as
 * does the receiver (node:http, keep-alive, answers 200 at once); the machine's cores are shared by
 * the receiver, the dispatchers and the database. Every delivery is a distinct subject (no ordering wait). Each row
 * of the table drains the same backlog (reset to pending between rows) and prints deliveries/s in
 * total, per dispatcher, and the ratio of the total to one dispatcher in the same run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';
import { pino } from 'pino';
import { ManualClock } from '../src/crypto/clock.ts';
import { createKeyring } from '../src/crypto/keyring.ts';
import { newSid } from '../src/crypto/random.ts';
import { buildEventRows } from '../src/events/record-event.ts';
import { WebhookDispatcher } from '../src/events/webhook-dispatcher.ts';
import { createWebhook } from '../src/events/webhooks-store.ts';
import { migrateToLatest, openDatabase, type Db } from '../src/store/database.ts';
import { createStores } from '../src/store/unit-of-work.ts';
import { serviceRow } from '../test/store/test-database.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    backlog: { type: 'string', default: '6000' },
    endpoints: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '16' },
  },
});
const BACKLOG = Number(args.backlog);
const ENDPOINTS = Number(args.endpoints);
const CONCURRENCY = Number(args.concurrency);
const POSTGRES_URL = args.db ?? process.env.VERITY_BENCH_POSTGRES_URL;

/** A receiver on a free loopback port in a worker thread; resolves with its port. */
async function startReceiver(): Promise<{ port: number; close: () => Promise<number> }> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const http = require('node:http');
     const server = http.createServer({ keepAliveTimeout: 10000 }, (req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-length': '2' }); res.end('ok'); }); });
     server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
     parentPort.on('message', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });`,
    { eval: true },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  return { port, close: async () => (worker.postMessage('close'), await new Promise<number>((resolve) => worker.once('exit', resolve))) };
}

interface Target {
  name: string;
  /** The URL `openDatabase` accepts (each node opens its own pool). */
  url: string;
  open(): Db;
  dispose(): Promise<void>;
}

async function postgresTarget(url: string): Promise<Target> {
  const schema = `bench_webhooks_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  const handles: Db[] = [];
  return {
    name: 'PostgreSQL',
    url: u.toString(),
    open: () => {
      const db = openDatabase(u.toString(), { poolSize: 10 });
      handles.push(db);
      return db;
    },
    dispose: async () => {
      for (const h of handles) await h.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

function sqliteTarget(): Target {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-webhooks-'));
  const handles: Db[] = [];
  return {
    name: 'SQLite',
    url: `sqlite:${join(dir, 'verity.db')}`,
    open: () => {
      const db = openDatabase(`sqlite:${join(dir, 'verity.db')}`);
      handles.push(db);
      return db;
    },
    dispose: async () => {
      for (const h of handles) await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Accounts, one service + webhook per endpoint, and `BACKLOG` pending deliveries spread over them. */
async function fill(db: Db, port: number): Promise<void> {
  const clock = new ManualClock(Date.now());
  const stores = createStores(db);
  const accountSid = newSid('AC');
  const now = clock.now();
  await db.kysely.insertInto('accounts').values({ sid: accountSid, friendly_name: 'bench', auth_token_digest: 'x', status: 'active', date_created: now, date_updated: now }).execute();
  const endpoints: { serviceSid: string; webhook: { sid: string; event_types: string[] } }[] = [];
  for (let i = 0; i < ENDPOINTS; i++) {
    const service = serviceRow(accountSid, now, { enabled_channels: ['sms'] });
    await stores.services.insert(service);
    const { row } = await createWebhook(stores.webhooks, keyring, clock, { accountSid, serviceSid: service.sid, friendlyName: `e${i}`, eventTypes: ['*'], webhookUrl: `http://127.0.0.1:${port}/e${i}` });
    endpoints.push({ serviceSid: service.sid, webhook: { sid: row.sid, event_types: ['*'] } });
  }
  for (let start = 0; start < BACKLOG; start += 500) {
    const rows = Array.from({ length: Math.min(500, BACKLOG - start) }, (_, k) => {
      const e = endpoints[(start + k) % ENDPOINTS]!;
      const subject = newSid('VE');
      return buildEventRows({ accountSid, serviceSid: e.serviceSid, type: 'verification.approved', resourceSid: subject, payload: { sid: subject, status: 'approved' } }, [e.webhook], now);
    });
    await db.kysely.insertInto('events').values(rows.map((r) => r.event)).execute();
    await db.kysely.insertInto('webhook_deliveries').values(rows.flatMap((r) => r.deliveries)).execute();
  }
}

const masterKey = isMainThread ? randomBytes(32) : Buffer.from((workerData as { masterKey: Uint8Array }).masterKey);
const keyring = createKeyring(masterKey);

/**
 * A "node": a worker thread (its own event loop, so two nodes can use two cores) with its own
 * database pool and dispatcher; it posts how many deliveries it settled.
 */
if (!isMainThread) {
  const { url } = workerData as { url: string };
  const db = openDatabase(url, { poolSize: 10 });
  const deliveries = createStores(db).webhookDeliveries;
  let settled = 0;
  const counted = Object.assign(Object.create(deliveries) as typeof deliveries, {
    settle: async (...a: Parameters<typeof deliveries.settle>) => {
      const written = await deliveries.settle(...a);
      settled += written.size;
      parentPort?.postMessage({ settled });
      return written;
    },
  });
  const dispatcher = new WebhookDispatcher({
    deliveries: counted,
    keyring,
    clock: { now: () => Date.now() },
    logger: pino({ level: 'silent' }),
    timeoutMs: 5_000,
    maxAttempts: 5,
    addressPolicy: { allowLoopback: true, allowedNetworks: [] },
    concurrency: CONCURRENCY,
  });
  parentPort?.on('message', (message: string) => {
    if (message === 'start') dispatcher.start();
    else void dispatcher.stop().then(() => db.close()).then(() => process.exit(0));
  });
  parentPort?.postMessage('ready');
}

/** Drains the backlog with `nodes` dispatchers (threads); returns deliveries/s in total and each node's count. */
async function drain(target: Target, main: Db, nodes: number): Promise<{ rate: number; perNode: number[] }> {
  await main.kysely.updateTable('webhook_deliveries').set({ status: 'pending', attempts: 0, lease_until: 0, claim_token: null, next_attempt_at: 0 }).execute();
  const counts = Array.from({ length: nodes }, () => 0);
  let done!: () => void;
  const drained = new Promise<void>((resolve) => (done = resolve));
  const workers = await Promise.all(
    counts.map(async (_, i) => {
      // tsx's loader is registered in the thread before this file is imported there (execArgv --import does not reach workers on Node 20).
      const entry = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
      const worker = new Worker(entry, { eval: true, workerData: { url: target.url, masterKey }, argv: process.argv.slice(2) });
      await new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.on('message', (m: { settled: number }) => {
        counts[i] = m.settled;
        if (counts.reduce((a, b) => a + b, 0) >= BACKLOG) done();
      });
      return worker;
    }),
  );
  const started = performance.now();
  for (const w of workers) w.postMessage('start');
  await drained;
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(workers.map((w) => (w.postMessage('stop'), new Promise((resolve) => w.once('exit', resolve)))));
  const left = await main.kysely.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '<>', 'delivered').executeTakeFirstOrThrow();
  if (Number(left.n) !== 0) throw new Error(`${target.name}: ${left.n} deliveries not delivered`);
  return { rate: BACKLOG / seconds, perNode: counts };
}

if (isMainThread) {
  const receiver = await startReceiver();
  const targets: Target[] = [sqliteTarget(), ...(POSTGRES_URL ? [await postgresTarget(POSTGRES_URL)] : [])];
  console.log(`webhooks: backlog ${BACKLOG} over ${ENDPOINTS} endpoints, concurrency ${CONCURRENCY}/endpoint/node; ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('database     dispatchers  deliveries/s  per dispatcher  ratio to 1  split');
  try {
    for (const target of targets) {
      const main = target.open();
      await migrateToLatest(main);
      await fill(main, receiver.port);
      // Warm-up (connections, JIT), not reported.
      await drain(target, main, 1);
      const one = await drain(target, main, 1);
      const two = await drain(target, main, 2);
      for (const [n, r] of [[1, one], [2, two]] as const) {
        console.log(
          `${target.name.padEnd(12)} ${String(n).padStart(11)}  ${r.rate.toFixed(0).padStart(12)}  ${(r.rate / n).toFixed(0).padStart(14)}  ${(r.rate / one.rate).toFixed(2).padStart(10)}  ${r.perNode.join('/')}`,
        );
      }
    }
  } finally {
    for (const t of targets) await t.dispose();
    await receiver.close();
  }
}
