import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectName } from './database.ts';
import { dialectOf } from './dialect.ts';
import type { Compilable, PreparedQuery } from './prepared.ts';
import type { Database } from './schema.ts';
import type { SyncConnection, SyncResult } from './sqlite-dialect.ts';

/**
 * Transactions written once as generators of statements ("steps"), run two ways:
 * - SQLite: every statement synchronously inside one better-sqlite3 `BEGIN IMMEDIATE … COMMIT`
 *   (`runStepsSync`), so no promise is made per statement and nothing interleaves;
 * - PostgreSQL (and any handle without a synchronous connection): each statement awaited in an
 *   ordinary Kysely transaction (`runSteps`).
 * A store operation is a generator that yields the statements it needs and returns its answer;
 * domain code composes them with `yield*` and keeps its rules in plain code between them.
 */

/**
 * One statement: a query compiled once (`prepared`), or one of variable shape compiled per run; or
 * the question which database this is (no statement), for store operations whose fewest statements
 * differ (PostgreSQL can fold writes to several tables into one statement, SQLite cannot).
 */
type Step = { readonly query: PreparedQuery<never, unknown>; readonly args: readonly unknown[] } | { readonly build: (db: Kysely<Database>) => Compilable<unknown> } | { readonly dialect: true };

/** What a statement gives back: its rows (SELECT, RETURNING) and the number of rows it changed. */
export type StepResult<R> = SyncResult<R>;

/** A store operation of one or more statements, written once for both databases. */
export type Steps<R> = Generator<Step, R, StepResult<unknown>>;

/** Runs a query compiled once (`prepared(...)`) with `args`. */
export function* query<A extends unknown[], R>(prepared: PreparedQuery<A, R>, ...args: A): Steps<StepResult<R>> {
  return (yield { query: prepared as unknown as PreparedQuery<never, unknown>, args }) as StepResult<R>;
}

/** Runs a statement of variable shape (multi-row insert, optional columns), compiled on each run: keep it off hot paths. */
export function* adHoc<R>(build: (db: Kysely<Database>) => Compilable<R>): Steps<StepResult<R>> {
  return (yield { build }) as StepResult<R>;
}

/** Which database runs the steps: for src/store only (domain code never branches on it). */
export function* dialect(): Steps<DialectName> {
  return (yield { dialect: true }).rows[0] as DialectName;
}

function compile(step: Exclude<Step, { dialect: true }>, db: Kysely<Database>): { sql: string; parameters: readonly unknown[] } {
  if ('build' in step) return step.build(db).compile(db);
  return step.query.bind(db, step.args as never);
}

const SQLITE: StepResult<unknown> = { rows: ['sqlite'], affected: 0 };

/** Drives `steps` synchronously on `connection` (inside SyncSqlite.transaction); `db` compiles the statements. */
export function runStepsSync<T>(steps: Steps<T>, db: Kysely<Database>, connection: SyncConnection): T {
  let next = steps.next();
  while (!next.done) {
    const step = next.value;
    if ('dialect' in step) {
      next = steps.next(SQLITE);
      continue;
    }
    const { sql, parameters } = compile(step, db);
    next = steps.next(connection.execute(sql, parameters));
  }
  return next.value;
}

/** Drives `steps` with `db` (a Kysely transaction), one awaited statement at a time. */
export async function runSteps<T>(steps: Steps<T>, db: Kysely<Database>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    const step = next.value;
    if ('dialect' in step) {
      next = steps.next({ rows: [dialectOf(db)], affected: 0 });
      continue;
    }
    const { sql, parameters } = compile(step, db);
    const result = await db.executeQuery(CompiledQuery.raw(sql, [...parameters]));
    next = steps.next({ rows: result.rows, affected: Number(result.numAffectedRows ?? result.rows.length) });
  }
  return next.value;
}
