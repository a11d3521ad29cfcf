import { sql, type Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * `now_ms()`: the database server's clock in milliseconds since the Unix epoch, the unit of every time
 * column. `clock_timestamp()`, not `now()`: `now()` is the start of the transaction, which a long
 * transaction would hold still. Nodes read it to keep their clocks on the database's (src/crypto/clock.ts
 * DatabaseClock); statements may use it where the database's own time is wanted. SQLite runs inside the
 * node's process, on the node's clock: it needs none.
 */
export function databaseClock(dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`CREATE OR REPLACE FUNCTION now_ms() RETURNS bigint LANGUAGE sql VOLATILE PARALLEL SAFE AS $$ SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint $$`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`DROP FUNCTION IF EXISTS now_ms()`.execute(db);
    },
  };
}
