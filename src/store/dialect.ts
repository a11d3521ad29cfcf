import { PostgresAdapter, type Kysely } from 'kysely';
import type { DialectName } from './database.ts';
import type { Database } from './schema.ts';

/**
 * The dialect a Kysely handle (the database or a transaction) speaks, read from its adapter, so a
 * store bound to either needs no `dialect` argument and the difference stays inside src/store/.
 */
export function dialectOf(db: Kysely<Database>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
