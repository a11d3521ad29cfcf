/**
 * Is a check or a create as cheap with a million stored verifications as with a thousand?
 *
 *   npm run bench:rows                                    # SQLite, 1k and 1M
 *   npm run bench:rows -- --db postgres://…/db            # also PostgreSQL (or VERITY_TEST_POSTGRES_URL)
 *   npm run bench:rows -- --sizes 1000,100000 --duration 3
 *
 * For each database and each size N: a fresh database (a SQLite file, or a PostgreSQL schema),
 * migrated by `verity accounts create`; one real verification created and approved through the
 * API (with its events, delivery and attempt rows); then N-1 copies of every row that names it
 * (found by looking for its SID in every table), each with its own SIDs and destination, decided
 * (approved), dated over the hours before now, written directly in SQL; then Verity is started on
 * it and its create and check rates measured (bench/support/verity-load.ts). The table gives each
 * size's rates and the largest size's as a share of the smallest's (goal: ≤ 10 % slower).
 */
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Numbers, table, type Measured, type PhaseSettings } from './support/load.ts';
import { basicAuth, benchEnv, createService, inboxCodes, verityPhases, type BenchAccount } from './support/verity-load.ts';
import { freePort, runCli, startServer, tempDirs } from './support/verity-process.ts';

const HELP = `Usage: npm run bench:rows -- [options]

  --sizes N,N,…          stored verifications per run (default 1000,1000000)
  --db postgres://…      also PostgreSQL (default: env VERITY_TEST_POSTGRES_URL); a fresh schema per run
  --sqlite-only          skip PostgreSQL
  --postgres-only        skip SQLite (needs --db or VERITY_TEST_POSTGRES_URL)
  --duration SECONDS     the create phase (default 3)
  --warmup SECONDS       warm-up before it (default 1)
  --connections N        default 50
  --pool N               verifications the check phase measures (default 2000)
  --verity-root DIR      checkout whose bin/verity.js is measured (default: this one)
`;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,1000000' },
    db: { type: 'string' },
    'sqlite-only': { type: 'boolean', default: false },
    'postgres-only': { type: 'boolean', default: false },
    duration: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '50' },
    pool: { type: 'string', default: '2000' },
    'verity-root': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const SIZES = (args.sizes ?? '').split(',').map(Number);
if (SIZES.length === 0 || SIZES.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000_000)) {
  process.stderr.write(`--sizes: integers from 1 to 100000000\n${HELP}`);
  process.exit(2);
}
const CONNECTIONS = Number(args.connections);
const GROUP = Math.max(1000, CONNECTIONS * 20);
const settings: PhaseSettings = { connections: CONNECTIONS, duration: Number(args.duration), warmup: Number(args.warmup), checksPerCode: 4, group: GROUP, log: (m) => void process.stderr.write(`${m}\n`) };
const POOL = Math.max(GROUP, Math.ceil(Number(args.pool) / GROUP) * GROUP);
const POSTGRES_URL = args['sqlite-only'] ? undefined : (args.db ?? process.env.VERITY_TEST_POSTGRES_URL);
const VERITY_ROOT = resolve(args['verity-root'] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const log = settings.log;

// ---------------------------------------------------------------------------------------------
// Seeding by copying the rows of one real verification

const SID = /^([A-Z]{2})[0-9a-f]{32}$/;
/** Tables whose rows are counters or locks, not history: a decided verification leaves none behind that grow. */
const SKIP_TABLES = new Set(['rate_buckets', 'rate_limit_buckets', 'check_failures', 'kysely_migration', 'kysely_migration_lock']);
/** Spacing of the copies' timestamps: N copies span N × 10 ms before the template (1M ≈ 2.8 h). */
const STEP_MS = 10;

/**
 * The SQL expression of column `column` of copy `i` (a bound series) of template row `j`: its own
 * SID (column `sid`) and every other SID it carries (except the account's and the service's) get
 * the same prefix and a number derived from i (and j for a table's own rows), so copies refer to
 * each other as the template rows did; the destination is copy i's own number; times move back.
 */
function copyExpression(dialect: 'sqlite' | 'postgres', column: string, value: unknown, j: number, keep: Set<string>, destination: string, templateTime: number): string {
  const hex = (n: string): string => (dialect === 'sqlite' ? `printf('%032x', ${n})` : `lpad(to_hex(${n}), 32, '0')`);
  const q = (c: string): string => `"${c}"`;
  if (typeof value === 'string') {
    const sid = SID.exec(value);
    if (sid && !keep.has(value)) return column === 'sid' ? `'${sid[1]}' || ${hex(`(i * 16 + ${j + 1})`)}` : `'${sid[1]}' || ${hex(`(i * 16 + 1)`)}`;
    if (value === destination) return dialect === 'sqlite' ? `'+4477' || printf('%09d', i)` : `'+4477' || lpad(i::text, 9, '0')`;
    if (column === 'status' && value === 'pending') return `'approved'`;
  }
  // Milliseconds since the epoch near the template's time: moved back by STEP_MS per copy.
  if (typeof value === 'number' && Math.abs(value - templateTime) < 86_400_000 * 30) return `${q(column)} - (i * ${STEP_MS})`;
  if (typeof value === 'bigint' || (typeof value === 'string' && /^\d{13}$/.test(value) && Math.abs(Number(value) - templateTime) < 86_400_000 * 30)) return `${q(column)} - (i * ${STEP_MS})`;
  return q(column);
}

interface SeedDb {
  dialect: 'sqlite' | 'postgres';
  tables(): Promise<Array<{ table: string; columns: string[] }>>;
  rowsNaming(table: string, columns: string[], sid: string): Promise<Array<Record<string, unknown>>>;
  /** INSERT INTO table SELECT <expressions> FROM <series i = 1..copies> CROSS JOIN (template row). */
  copy(table: string, columns: string[], expressions: string[], where: string, whereValues: unknown[], copies: number): Promise<number>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

function sqliteSeed(path: string): SeedDb {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  return {
    dialect: 'sqlite',
    tables: async () =>
      (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string }>).map(({ name }) => ({
        table: name,
        columns: (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as Array<{ name: string }>).map((c) => c.name),
      })),
    rowsNaming: async (t, columns, sid) => db.prepare(`SELECT rowid AS "__row", * FROM "${t}" WHERE ${columns.map((c) => `"${c}" = ?`).join(' OR ')}`).all(...columns.map(() => sid)) as Array<Record<string, unknown>>,
    copy: async (t, columns, expressions, where, whereValues, copies) =>
      db
        .prepare(
          `WITH RECURSIVE series(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM series WHERE i < ${copies})
           INSERT INTO "${t}" (${columns.map((c) => `"${c}"`).join(', ')}) SELECT ${expressions.join(', ')} FROM series CROSS JOIN (SELECT * FROM "${t}" WHERE ${where}) AS tmpl`,
        )
        .run(...whereValues).changes,
    count: async (t) => (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n,
    close: async () => void db.close(),
  };
}

async function postgresSeed(url: string): Promise<SeedDb> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    dialect: 'postgres',
    tables: async () => {
      const { rows } = await client.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
      );
      const byTable = new Map<string, string[]>();
      for (const r of rows) byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r.column_name]);
      return [...byTable].map(([table, columns]) => ({ table, columns }));
    },
    rowsNaming: async (t, columns, sid) => (await client.query(`SELECT ctid::text AS "__row", * FROM "${t}" WHERE ${columns.map((c) => `"${c}"::text = $1`).join(' OR ')}`, [sid])).rows as Array<Record<string, unknown>>,
    copy: async (t, columns, expressions, where, whereValues, copies) =>
      (
        await client.query(
          `INSERT INTO "${t}" (${columns.map((c) => `"${c}"`).join(', ')}) SELECT ${expressions.join(', ')} FROM generate_series(1, ${copies}) AS series(i) CROSS JOIN (SELECT * FROM "${t}" WHERE ${where}) AS tmpl`,
          whereValues,
        )
      ).rowCount ?? 0,
    count: async (t) => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${t}"`)).rows[0]!.n),
    close: () => client.end(),
  };
}

/** Copies every row that names `verificationSid` `copies` times; answers rows written per table. */
async function seed(db: SeedDb, verificationSid: string, keep: Set<string>, destination: string, templateTime: number, copies: number): Promise<Record<string, number>> {
  const written: Record<string, number> = {};
  for (const { table: t, columns } of await db.tables()) {
    if (SKIP_TABLES.has(t)) continue;
    const rows = await db.rowsNaming(t, columns, verificationSid);
    for (const [j, row] of rows.entries()) {
      // The template row, found again by its physical row id (rowid, ctid).
      const where = db.dialect === 'sqlite' ? 'rowid = ?' : 'ctid = $1::tid';
      const expressions = columns.map((c) => copyExpression(db.dialect, c, row[c], j, keep, destination, templateTime));
      written[t] = (written[t] ?? 0) + (await db.copy(t, columns, expressions, where, [row.__row], copies));
    }
  }
  return written;
}

// ---------------------------------------------------------------------------------------------

interface SizeRun {
  database: string;
  size: number;
  seeded: Record<string, number>;
  seedSeconds: number;
  create: Measured;
  check: Measured;
}

async function runSize(database: 'sqlite' | 'postgres', size: number): Promise<SizeRun> {
  const dir = mkdtempSync(join(os.tmpdir(), 'verity-rows-'));
  tempDirs.add(dir);
  let dbUrl = `sqlite:${join(dir, 'verity.db')}`;
  let dropSchema: (() => Promise<void>) | undefined;
  if (database === 'postgres') {
    const pg = (await import('pg')).default;
    const schema = `rows_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const u = new URL(POSTGRES_URL!);
    u.searchParams.set('options', `-c search_path=${schema}`);
    dbUrl = u.toString();
    dropSchema = async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    };
  }
  try {
    const env = benchEnv(dir, dbUrl, await freePort());
    const account = JSON.parse((await runCli(VERITY_ROOT, env, ['accounts', 'create', '--name', 'bench'])).trim().split('\n').pop() ?? '{}') as BenchAccount;
    // The template: one verification created, delivered and approved through the API.
    let server = await startServer(VERITY_ROOT, env, join(dir, 'server-seed.log'));
    const serviceSid = await createService(server.url, account);
    const to = new Numbers(9).take();
    const headers = { authorization: basicAuth(account), 'content-type': 'application/x-www-form-urlencoded' };
    const created = (await (await fetch(`${server.url}/v2/Services/${serviceSid}/Verifications`, { method: 'POST', headers, body: `To=${encodeURIComponent(to)}&Channel=sms` })).json()) as { sid: string };
    const code = (await inboxCodes(server.url, 1, [to])).get(to);
    const checked = (await (await fetch(`${server.url}/v2/Services/${serviceSid}/VerificationCheck`, { method: 'POST', headers, body: `To=${encodeURIComponent(to)}&Code=${code}` })).json()) as { status?: string };
    if (checked.status !== 'approved') throw new Error(`the template verification was not approved: ${JSON.stringify(checked)}`);
    // Let the simulator's delivery report land, so the template has its delivered rows too.
    await new Promise((r) => setTimeout(r, 1500));
    await server.stop();

    log(`[${database} ${size.toLocaleString('en')}] seeding ${(size - 1).toLocaleString('en')} copies of ${created.sid}`);
    const started = Date.now();
    const db = database === 'sqlite' ? sqliteSeed(join(dir, 'verity.db')) : await postgresSeed(dbUrl);
    let seeded: Record<string, number>;
    try {
      seeded = size > 1 ? await seed(db, created.sid, new Set([account.account_sid, serviceSid]), to, Date.now(), size - 1) : {};
      seeded.verifications_total = await db.count('verifications');
    } finally {
      await db.close();
    }
    const seedSeconds = (Date.now() - started) / 1000;
    log(`[${database} ${size.toLocaleString('en')}] seeded in ${seedSeconds.toFixed(0)} s: ${JSON.stringify(seeded)}`);

    server = await startServer(VERITY_ROOT, env, join(dir, 'server.log'));
    try {
      const [create, check] = await verityPhases(settings, server, account, serviceSid, POOL, new Numbers(5));
      return { database, size, seeded, seedSeconds, create, check };
    } finally {
      await server.stop();
    }
  } finally {
    await dropSchema?.().catch((e: unknown) => log(`dropping the schema failed: ${String(e)}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const databases: Array<'sqlite' | 'postgres'> = [...(args['postgres-only'] ? [] : (['sqlite'] as const)), ...(POSTGRES_URL ? (['postgres'] as const) : [])];
  if (!POSTGRES_URL) log('PostgreSQL: not configured (--db or VERITY_TEST_POSTGRES_URL); SQLite only');
  const runs: SizeRun[] = [];
  for (const database of databases) for (const size of SIZES) runs.push(await runSize(database, size));

  const rows: string[][] = [['database', 'stored', 'create/s', 'create p99 ms', 'check/s', 'check p50 ms', 'check p99 ms', 'unexpected', 'vs smallest (create, check)']];
  for (const run of runs) {
    const base = runs.find((r) => r.database === run.database && r.size === Math.min(...SIZES))!;
    rows.push([
      run.database,
      run.size.toLocaleString('en'),
      run.create.perSecond.toFixed(0),
      run.create.latencyMs.p99.toFixed(1),
      run.check.perSecond.toFixed(0),
      run.check.latencyMs.p50.toFixed(1),
      run.check.latencyMs.p99.toFixed(1),
      String(run.create.unexpected + run.check.unexpected),
      `${((100 * run.create.perSecond) / base.create.perSecond).toFixed(0)} %, ${((100 * run.check.perSecond) / base.check.perSecond).toFixed(0)} %`,
    ]);
  }
  const cpus = os.cpus();
  process.stdout.write(
    [
      '',
      'Verity: cost with stored verifications (seeded decided verifications + their events, deliveries, attempts)',
      `  machine       ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} CPUs, node ${process.version}`,
      `  load average  ${loadBefore} before, ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} after (shared machine)`,
      `  load          autocannon, ${CONNECTIONS} connections; creates ${settings.duration} s after ${settings.warmup} s warm-up; checks ${POOL} × 4 (3 wrong, right) after ${GROUP} of warm-up`,
      `  Verity        ${VERITY_ROOT}`,
      '',
      table(rows),
      '',
      ...runs.map((r) => `${r.database} ${r.size.toLocaleString('en')}: seeded in ${r.seedSeconds.toFixed(0)} s ${JSON.stringify(r.seeded)}`),
      '',
    ].join('\n'),
  );
  const bad = runs.flatMap((r) => [r.create, r.check]).filter((p) => p.requests === 0 || p.unexpected / p.requests > 0.01);
  if (bad.length > 0) {
    log(`refusing the result: over 1 % unexpected answers in ${bad.map((p) => `${p.name} ${JSON.stringify(p.breakdown)}`).join('; ')}`);
    process.exit(1);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
