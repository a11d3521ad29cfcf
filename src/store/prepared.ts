import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Slot = { arg: number } | { value: unknown };

/**
 * A query of fixed shape, built and compiled by Kysely once per dialect and then only re-bound:
 * building and compiling cost more than running a point query on SQLite. `build` is called once
 * with placeholder arguments; their positions among the compiled parameters are remembered, so
 * the order of parameters is Kysely's, never hand-written.
 */
/** Query builders compile with no argument, `sql` templates with the executor provider. */
type Compilable<R> = { compile(provider: Kysely<Database>): CompiledQuery<R> };

export function prepared<A extends unknown[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R>): (db: Kysely<Database>, ...args: A) => Promise<R[]> {
  const byAdapter = new WeakMap<object, { sql: string; slots: Slot[] }>();
  return async (db, ...args) => {
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
    const parameters = plan.slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
    const result = await db.executeQuery<R>(CompiledQuery.raw(plan.sql, parameters));
    return result.rows;
  };
}
