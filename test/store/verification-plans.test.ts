import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/store/schema.ts';
import { VerificationsStore } from '../../src/store/verifications-store.ts';
import { insertAccountAndService, openTestDatabase, verificationRow, type TestDatabase } from './test-database.ts';

/**
 * Plans that hold whatever the statistics (PostgreSQL). Statistics taken while no verification was
 * pending (ANALYZE right after a benchmark approved everything) make the partial index
 * `verifications_one_pending` look empty; a statement keyed by `sid` whose guard is the literal
 * `status = 'pending'` then scans that whole index for the sid (measured: 0.3 → 53 ms per check).
 * The statements keyed by `sid` spell the guard `(status = 'pending') IS TRUE`, which no partial
 * index's predicate matches: they must stay on the primary key. Skipped without VERITY_TEST_POSTGRES_URL.
 */

const T0 = Date.UTC(2026, 0, 1);
const url = process.env.VERITY_TEST_POSTGRES_URL;

describe('verification plans under stale statistics (postgres)', { skip: url ? false : 'VERITY_TEST_POSTGRES_URL is not set' }, () => {
  let t: TestDatabase;
  let service: { sid: string; account_sid: string };
  let pendingSid = '';

  before(async () => {
    t = await openTestDatabase({ name: 'postgres', postgresUrl: url as string });
    service = await insertAccountAndService(t.db, T0);
    const store = new VerificationsStore(t.db.kysely);
    const template = verificationRow(service, '+14155550000', T0, { status: 'approved' });
    await store.insertPending({ ...template, status: 'pending' });
    await sql`UPDATE verifications SET status = 'approved'`.execute(t.db.kysely);
    // 20,000 verifications, none pending, as statistics see them…
    const columns = (await sql<{ name: string }>`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'verifications' ORDER BY ordinal_position`.execute(t.db.kysely)).rows.map((r) => r.name);
    const copy = (status: string, count: number) =>
      sql`INSERT INTO verifications (${sql.join(columns.map((c) => sql.ref(c)))})
          SELECT ${sql.join(columns.map((c) => (c === 'sid' ? sql`'VE' || md5(${status} || n::text)` : c === 'destination' ? sql`'+1415' || lpad(n::text, 7, '0')` : c === 'status' ? sql`${status}` : c === 'expires_at' ? sql`${T0 + 600_000}::bigint` : sql.ref(`v.${c}`))))}
          FROM verifications v, generate_series(1, ${count}) AS n WHERE v.sid = ${template.sid}`.execute(t.db.kysely);
    await copy('approved', 20_000);
    await sql`ANALYZE verifications`.execute(t.db.kysely);
    // …then 5,000 pending ones arrive before the next ANALYZE.
    await copy('pending', 5_000);
    pendingSid = (await sql<{ sid: string }>`SELECT sid FROM verifications WHERE status = 'pending' ORDER BY sid LIMIT 1`.execute(t.db.kysely)).rows[0]?.sid ?? '';
    assert.match(pendingSid, /^VE/, 'a pending verification to plan for');
  });
  after(() => t?.close());

  /** The plan of every statement `run` sends, as text (run in a transaction rolled back, then EXPLAINed). */
  async function plansOf(run: (store: VerificationsStore) => Promise<unknown>): Promise<string[]> {
    const queries: CompiledQuery[] = [];
    const logged = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: t.url, max: 1 }) }), log: (event) => void (/^(begin|commit|rollback)/i.test(event.query.sql) || queries.push(event.query)) });
    try {
      await logged
        .transaction()
        .execute(async (trx) => {
          await run(new VerificationsStore(trx));
          throw new RollBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RollBack)) throw error;
        });
    } finally {
      await logged.destroy();
    }
    assert.ok(queries.length > 0, 'the store ran a statement');
    const plans: string[] = [];
    for (const q of queries) {
      const { rows } = await t.db.kysely.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${q.sql}`, [...q.parameters]));
      plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    return plans;
  }

  /** Every scan of the plan is on the primary key: no partial index of pending rows, no table scan. */
  const onPrimaryKey = (plan: string) => {
    const scans = plan.split('\n').filter((line) => /Scan/.test(line));
    assert.ok(scans.length > 0, `expected a scan in:\n${plan}`);
    for (const scan of scans) assert.match(scan, /Index Scan using verifications_pkey/, `expected the primary key:\n${plan}`);
  };

  it('the statistics believe nothing is pending (the trap is set)', async () => {
    const { rows } = await sql<{ reltuples: number }>`SELECT reltuples FROM pg_class WHERE relname = 'verifications_one_pending' AND relnamespace = current_schema()::regnamespace`.execute(t.db.kysely);
    assert.equal(Number(rows[0]?.reltuples), 0);
  });

  it('records the statements it plans (and only the ones run)', async () => {
    assert.equal((await plansOf((s) => s.find(service.sid, pendingSid))).length, 1);
  });

  it('counts a check by sid on the primary key', async () => {
    for (const plan of await plansOf((s) => s.countCheckAttempt(pendingSid, T0 + 1, 5))) onPrimaryKey(plan);
  });

  it('ends a verification by sid on the primary key (with and without extra columns)', async () => {
    for (const plan of await plansOf((s) => s.completePending(pendingSid, 'approved', T0 + 1))) onPrimaryKey(plan);
    for (const plan of await plansOf((s) => s.completePending(pendingSid, 'failed', T0 + 1, { failure_code: 30008 }))) onPrimaryKey(plan);
  });

  it('the literal spelling would have scanned the pending index (why the guard is spelled so)', async () => {
    const { rows } = await t.db.kysely.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`EXPLAIN UPDATE verifications SET check_attempts = check_attempts + 1 WHERE sid = $1 AND status = 'pending' AND check_attempts < 5 AND expires_at > $2 RETURNING *`, [pendingSid, T0 + 1]),
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    // The flip the research measured (PostgreSQL 15): a partial index of pending rows, believed empty, instead of the key.
    assert.doesNotMatch(plan, /verifications_pkey/, `expected the literal guard to leave the primary key:\n${plan}`);
  });
});

class RollBack extends Error {}
