import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { newSid } from '../../src/crypto/random.ts';
import { AccountsStore } from '../../src/store/accounts-store.ts';
import { AdminQueries, DAY_MS } from '../../src/store/admin-queries.ts';
import { CallsStore } from '../../src/store/calls-store.ts';
import { encodeVerification } from '../../src/store/codecs/verifications-codec.ts';
import { MaintenanceStore } from '../../src/store/maintenance-store.ts';
import type { Database } from '../../src/store/schema.ts';
import { ServicesStore } from '../../src/store/services-store.ts';
import { SpentTokensStore } from '../../src/store/spent-tokens-store.ts';
import { DATABASE_KINDS, accountRow, openTestDatabase, serviceRow, verificationRow, type TestDatabase } from '../store/test-database.ts';

/**
 * Every admin view and every sweep reads an index at a size where a full scan would show (PostgreSQL,
 * fresh statistics after ANALYZE): each statement a method sends is captured and EXPLAINed, and its
 * plan must name the expected index and scan no big table sequentially.
 */
const postgres = DATABASE_KINDS.find((k) => k.name === 'postgres');
const ROWS = 60_000;
const NOW = 1_900_000_000_000;
const BIG_TABLES = ['verifications', 'events', 'webhook_deliveries', 'rate_buckets', 'check_failures', 'calls', 'spent_tokens'];

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const walk = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(walk)];

describe('admin views and sweeps use their indexes (postgres)', { skip: postgres ? false : 'needs VERITY_TEST_POSTGRES_URL' }, () => {
  let t: TestDatabase;
  let logged: Kysely<Database>;
  let pool: pg.Pool;
  let captured: CompiledQuery[] = [];
  let accountSid: string;
  let serviceSid: string;

  before(async () => {
    t = await openTestDatabase(postgres!);
    const k = t.db.kysely;
    const account = accountRow(NOW);
    await new AccountsStore(k).insert(account);
    accountSid = account.sid;
    const services = Array.from({ length: 20 }, () => serviceRow(account.sid, NOW));
    for (const s of services) await new ServicesStore(k).insert(s);
    serviceSid = services[0]!.sid;
    const template = verificationRow(services[0]!, '+15550000000', NOW, { status: 'approved' });
    await k.insertInto('verifications').values(encodeVerification(template)).execute();
    const run = (text: string, values: unknown[] = []) => pool.query(text, values);
    pool = new pg.Pool({ connectionString: t.url, max: 2 });
    const serviceList = services.map((s) => s.sid);
    // Spread over 20 services and 60 days; a twentieth still pending, some of them expired.
    await run(
      `INSERT INTO verifications SELECT (jsonb_populate_record(NULL::verifications, to_jsonb(v) || jsonb_build_object(
         'sid', 'VE' || lpad(g::text, 32, '0'), 'service_sid', ($2::text[])[1 + g % 20], 'destination', '+1' || (5550000000 + g),
         'status', CASE WHEN g % 20 = 0 THEN 'pending' ELSE 'approved' END,
         'date_created', $3::bigint - (g % 60) * ${DAY_MS}::bigint - g, 'expires_at', $3::bigint - 1000 + (g % 40) * 100))).*
       FROM verifications v, generate_series(1, $1) g WHERE v.sid = $4`,
      [ROWS, serviceList, NOW, template.sid],
    );
    const webhook = newSid('YW');
    await run(`INSERT INTO webhooks (sid, account_sid, service_sid, friendly_name, event_types, webhook_url, webhook_method, status, version, secret_sealed, date_created, date_updated)
               VALUES ($1, $2, $3, 'w', '["*"]', 'https://example.com/', 'POST', 'enabled', 'v2', 's', $4, $4)`, [webhook, accountSid, serviceSid, NOW]);
    await run(`INSERT INTO events (sid, account_sid, service_sid, type, resource_sid, payload, date_created)
               SELECT 'EV' || lpad(g::text, 32, '0'), $2, ($3::text[])[1 + g % 20], 'verification.approved', 'VE' || g, '{}', $4::bigint - g * 1000 FROM generate_series(1, $1) g`, [ROWS, accountSid, serviceList, NOW]);
    await run(`INSERT INTO webhook_deliveries (sid, event_sid, webhook_sid, service_sid, status, attempts, next_attempt_at, lease_until, date_created, date_updated)
               SELECT 'WD' || lpad(g::text, 32, '0'), 'EV' || lpad(g::text, 32, '0'), $2, ($3::text[])[1 + g % 20], 'delivered', 1, 0, 0, $4::bigint - g * 1000, $4::bigint FROM generate_series(1, $1) g`,
      [ROWS, webhook, serviceList, NOW]);
    await run(`INSERT INTO rate_buckets (key, tokens, updated_at) SELECT (CASE WHEN g % 2 = 0 THEN 'send:' ELSE 'prefix:' END) || ($2::text[])[1 + g % 20] || ':+1' || g, g % 7, $3 FROM generate_series(1, $1) g`, [ROWS, serviceList, NOW]);
    await run(`INSERT INTO check_failures (key, consecutive, locked_until, date_updated) SELECT ($2::text[])[1 + g % 20] || ':+1' || g, g % 5, 0, $3 FROM generate_series(1, $1) g`, [ROWS, serviceList, NOW]);
    await run(`INSERT INTO calls (sid, account_sid, service_sid, verification_sid, destination, caller_id, provider, flow, flow_state, secret_sealed, status, active, date_created, date_updated)
               SELECT 'CL' || g, $2, $3, 'VE' || g, '+1' || g, '+1555', 'sim', 'code', '{}', 's', 'completed', CASE WHEN g % 1000 = 0 THEN 1 ELSE NULL END, $4::bigint - g, $4::bigint - g
               FROM generate_series(1, $1) g`, [ROWS, accountSid, serviceSid, NOW]);
    await run(`INSERT INTO spent_tokens (jti, expires_at) SELECT 'jti' || g, $2::bigint + g FROM generate_series(1, $1) g`, [ROWS, NOW - ROWS / 2]);
    for (const table of BIG_TABLES) await run(`ANALYZE ${table}`);
    logged = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (event) => void (event.level === 'query' && captured.push(event.query)) });
  });
  after(async () => {
    await logged?.destroy();
    await t?.close();
  });

  /** Runs `call`, EXPLAINs every statement it sent, and returns the plans' nodes. */
  async function plansOf(call: () => Promise<unknown>): Promise<PlanNode[]> {
    captured = [];
    await call();
    assert.ok(captured.length > 0, 'the call sent a statement');
    const nodes: PlanNode[] = [];
    for (const query of captured) {
      const { rows } = await pool.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${query.sql}`, query.parameters as unknown[]);
      nodes.push(...walk(rows[0]!['QUERY PLAN'][0]!.Plan));
    }
    return nodes;
  }

  function assertIndexed(nodes: PlanNode[], index: string | string[]): void {
    const accepted = typeof index === 'string' ? [index] : index;
    const seq = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && BIG_TABLES.includes(n['Relation Name'] ?? ''));
    assert.deepEqual(seq.map((n) => n['Relation Name']), [], 'no sequential scan of a big table');
    const indexes = nodes.map((n) => n['Index Name']).filter(Boolean);
    assert.ok(indexes.some((i) => accepted.includes(i!)), `reads ${accepted.join(' or ')} (plan used: ${indexes.join(', ') || 'no index'}; ${captured.map((q) => q.sql).join(' / ')})`);
  }

  it('admin verifications list and daily chart', async () => {
    const admin = new AdminQueries(logged);
    assertIndexed(await plansOf(() => admin.verifications(accountSid, serviceSid, undefined, 0)), 'verifications_by_service_created');
    // A destination prefix: newest first on the date index, or the prefix's rows on the destination index, as the statistics say.
    assertIndexed(await plansOf(() => admin.verifications(accountSid, serviceSid, '+1555', 2)), ['verifications_by_service_created', 'verifications_by_destination']);
    assertIndexed(await plansOf(() => admin.dailyCounts(accountSid, serviceSid, Math.floor(NOW / DAY_MS) - 13)), 'verifications_by_service_created');
  });

  it('admin deliveries page', async () => {
    assertIndexed(await plansOf(() => new AdminQueries(logged).deliveries(accountSid, serviceSid)), 'webhook_deliveries_by_service');
  });

  it('admin low buckets and check failures: a key range of the primary key', async () => {
    const admin = new AdminQueries(logged);
    assertIndexed(await plansOf(() => admin.lowBuckets(serviceSid, 3)), 'rate_buckets_pkey');
    assertIndexed(await plansOf(() => admin.checkFailures(serviceSid)), 'check_failures_pkey');
  });

  it('expiry claim, stale calls, spent tokens', async () => {
    await logged.transaction().execute(async (trx) => {
      assertIndexed(await plansOf(() => new MaintenanceStore(trx).claimExpiredPending(NOW, 100)), 'verifications_pending_by_expiry');
    });
    assertIndexed(await plansOf(() => new CallsStore(logged).findStale(NOW, 100)), 'calls_live_by_update');
    await logged.transaction().execute(async (trx) => {
      const nodes = await plansOf(() => new SpentTokensStore(trx).purgeExpired(NOW - ROWS, 1000));
      assertIndexed(nodes, 'spent_tokens_by_expiry');
    });
  });

  it('retention batches and the key walks', async () => {
    const cutoff = NOW - 30 * DAY_MS;
    for (const [table, index] of [
      ['verifications', 'verifications_by_created'],
      ['events', 'events_by_created'],
      ['webhook_deliveries', 'webhook_deliveries_by_created'],
      ['calls', 'calls_by_created'],
    ] as const) {
      // Inside a transaction that is rolled back: EXPLAIN needs the statement, not its deletions.
      await logged
        .transaction()
        .execute(async (trx) => {
          assertIndexed(await plansOf(() => new MaintenanceStore(trx).pruneBatch(table, cutoff)), index);
          throw new Error('rollback');
        })
        .catch((error: Error) => assert.equal(error.message, 'rollback'));
    }
    assertIndexed(await plansOf(() => new MaintenanceStore(logged).pruneIdleBuckets('send:', NOW - DAY_MS)), 'rate_buckets_pkey');
    assertIndexed(await plansOf(() => new MaintenanceStore(logged).pruneIdleCheckFailures('', NOW - DAY_MS, NOW)), 'check_failures_pkey');
  });
});
