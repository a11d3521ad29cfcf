import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * The hosted hand-off pages keep their session on the server (docs/handoff.md, "Pages, Back and
 * reload"): one row per hand-off, bound to the browser that opened it by a cookie (only its SHA-256
 * is stored), with the sealed step state the pages are rendered from, the form nonce a POST must
 * claim, and when a result was issued.
 */
export function handoffSessions(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('handoff_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('browser_hash', 'text', (c) => c.notNull())
        .addColumn('request_key', 'text', (c) => c.notNull())
        .addColumn('form_nonce', 'text')
        .addColumn('claimed_at', bigint)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('completed_at', bigint)
        .addColumn('expires_at', bigint, (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('handoff_sessions_by_request').on('handoff_sessions').column('request_key').execute();
      await db.schema.createIndex('handoff_sessions_by_expiry').on('handoff_sessions').column('expires_at').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('handoff_sessions').ifExists().execute();
    },
  };
}
