import { sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * Reads the database server's clock (`now_ms()`, migration 0025) for src/crypto/clock.ts DatabaseClock.
 * Undefined on SQLite: it runs inside the node's process, so the node's clock is the database's.
 */
export function databaseTimeReader(db: Pick<Db, 'kysely' | 'dialect'>): (() => Promise<number>) | undefined {
  if (db.dialect !== 'postgres') return undefined;
  return async () => Number((await sql<{ ms: string | number }>`SELECT now_ms() AS ms`.execute(db.kysely)).rows[0]?.ms);
}
