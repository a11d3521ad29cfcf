import { CompiledQuery, type Insertable, type Kysely, type Updateable } from 'kysely';
import { prepared, type Compilable, type PreparedQuery } from './prepared.ts';
import type { Database } from './schema.ts';

/** More shapes than any table's code writes; past it a statement is compiled per call (as Kysely would) rather than cached. */
const MAX_SHAPES = 64;

/**
 * Statements whose shape is the list of columns a row or patch defines (undefined values are left
 * out, as Kysely does), each shape built and compiled once by `prepared` and then only re-bound.
 * The column order is the object's key order, so the SQL is the one Kysely would have built per call.
 */
function shaped<R>(build: (db: Kysely<Database>, columns: readonly string[], args: unknown[]) => Compilable<R>): (columns: readonly string[]) => PreparedQuery<unknown[], R> {
  const shapes = new Map<string, PreparedQuery<unknown[], R>>();
  return (columns) => {
    const key = columns.join(',');
    let query = shapes.get(key);
    if (!query) {
      query = prepared((db, ...args: unknown[]) => build(db, columns, args));
      if (shapes.size < MAX_SHAPES) shapes.set(key, query);
    }
    return query;
  };
}

/** The columns `row` sets (its defined values, in key order) and their values. */
function definedColumns(row: object): { columns: string[]; values: unknown[] } {
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const [column, value] of Object.entries(row)) {
    if (value === undefined) continue;
    columns.push(column);
    values.push(value);
  }
  return { columns, values };
}

const rowOf = (columns: readonly string[], values: readonly unknown[]): Record<string, unknown> => Object.fromEntries(columns.map((c, i) => [c, values[i]]));

type Table = keyof Database & string;

const inserts = new Map<Table, (columns: readonly string[]) => PreparedQuery<unknown[], unknown>>();

/** `INSERT INTO table (…) VALUES (…)` of one row, compiled once per table and shape. */
export async function insertRow<T extends Table>(db: Kysely<Database>, table: T, row: Insertable<Database[T]>): Promise<void> {
  let byShape = inserts.get(table);
  if (!byShape) {
    byShape = shaped((db, columns, args) => db.insertInto(table).values(rowOf(columns, args) as never));
    inserts.set(table, byShape);
  }
  const { columns, values } = definedColumns(row);
  await byShape(columns)(db, ...values);
}

const insertsIfAbsent = new Map<Table, (columns: readonly string[]) => PreparedQuery<unknown[], unknown>>();

/** `INSERT … ON CONFLICT DO NOTHING` of one row: the statement for its shape (compiled once) and its arguments, for a steps transaction. */
export function insertIfAbsentStatement<T extends Table>(table: T, row: Insertable<Database[T]>): { statement: PreparedQuery<unknown[], unknown>; values: unknown[] } {
  let byShape = insertsIfAbsent.get(table);
  if (!byShape) {
    byShape = shaped((db, columns, args) =>
      db
        .insertInto(table)
        .values(rowOf(columns, args) as never)
        .onConflict((oc) => oc.doNothing()),
    );
    insertsIfAbsent.set(table, byShape);
  }
  const { columns, values } = definedColumns(row);
  return { statement: byShape(columns), values };
}

/** `INSERT … ON CONFLICT DO NOTHING` of one row, compiled once per table and shape; true when the row was inserted. */
export async function insertRowIfAbsent<T extends Table>(db: Kysely<Database>, table: T, row: Insertable<Database[T]>): Promise<boolean> {
  const { statement, values } = insertIfAbsentStatement(table, row);
  const { sql, parameters } = statement.bind(db, values);
  const result = await db.executeQuery(CompiledQuery.raw(sql, parameters));
  return Number(result.numAffectedRows ?? 0n) === 1;
}

/**
 * `UPDATE table SET … WHERE key = ? AND version = ? RETURNING *` (a compare-and-swap on `version`),
 * compiled once per shape of `set`; `set`'s values come first among the arguments.
 */
export function casUpdate<T extends Table>(table: T, key: string & keyof Database[T]): (db: Kysely<Database>, set: Updateable<Database[T]>, keyValue: unknown, version: number) => Promise<Database[T][]> {
  const byShape = shaped((db, columns, args) =>
    db
      // One table's type stands for any: the shape, not the type, decides the SQL.
      .updateTable(table as 'delivery_attempts')
      .set(rowOf(columns, args.slice(0, columns.length)) as never)
      .where(key as never, '=', args[columns.length] as never)
      .where('version' as never, '=', args[columns.length + 1] as never)
      .returningAll(),
  );
  return async (db, set, keyValue, version) => {
    const { columns, values } = definedColumns(set);
    return (await byShape(columns)(db, ...values, keyValue, version)) as unknown as Database[T][];
  };
}
