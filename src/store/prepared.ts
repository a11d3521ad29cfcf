import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Slot = { arg: number } | { value: unknown };

/** Query builders compile with no argument, `sql` templates with the executor provider. */
export type Compilable<R> = { compile(provider: Kysely<Database>): CompiledQuery<R> };

/** A prepared query's SQL for one dialect, and where each compiled parameter comes from. */
interface Plan {
  sql: string;
  slots: Slot[];
}

/**
 * A query of fixed shape (see `prepared`): run it with a Kysely handle (a promise), or take its
 * compiled SQL and parameters for a synchronous runner (src/store/steps.ts).
 */
export interface PreparedQuery<A extends unknown[], R> {
  (db: Kysely<Database>, ...args: A): Promise<R[]>;
  /** The SQL for `db`'s dialect (compiled on first use) and the parameters for `args`, in Kysely's order. */
  bind(db: Kysely<Database>, args: A): { sql: string; parameters: unknown[] };
}

/**
 * A query of fixed shape, built and compiled by Kysely once per dialect and then only re-bound:
 * building and compiling cost more than running a point query on SQLite. `build` is called once
 * with placeholder arguments; their positions among the compiled parameters are remembered, so
 * the order of parameters is Kysely's, never hand-written.
 */
export function prepared<A extends unknown[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R>): PreparedQuery<A, R> {
  const byAdapter = new WeakMap<object, Plan>();
  const planFor = (db: Kysely<Database>, args: A): Plan => {
    const adapter = db.getExecutor().adapter;
    let plan = byAdapter.get(adapter);
    if (!plan) {
      const marks = args.map((_, i) => `\u0000prepared-arg-${i}\u0000`);
      const compiled = build(db, ...(marks as A)).compile(db);
      const slots = compiled.parameters.map((p): Slot => {
        const i = typeof p === 'string' ? marks.indexOf(p) : -1;
        return i >= 0 ? { arg: i } : { value: p };
      });
      plan = { sql: compiled.sql, slots };
      byAdapter.set(adapter, plan);
    }
    return plan;
  };
  const bind = (db: Kysely<Database>, args: A) => {
    const plan = planFor(db, args);
    return { sql: plan.sql, parameters: plan.slots.map((s) => ('arg' in s ? args[s.arg] : s.value)) };
  };
  const run = async (db: Kysely<Database>, ...args: A): Promise<R[]> => {
    const { sql, parameters } = bind(db, args);
    const result = await db.executeQuery<R>(CompiledQuery.raw(sql, parameters));
    return result.rows;
  };
  return Object.assign(run, { bind });
}
