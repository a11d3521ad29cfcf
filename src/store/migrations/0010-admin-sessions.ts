import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * The admin console's sign-in sessions. The cookie's session id is never stored: only its SHA-256
 * digest (and, for 60 s after a rotation, the previous id's), so a copy of the database signs no one
 * in. `credential_fingerprint` ties the session to the auth token it was opened with: rotating the
 * token ends the session. Deleting an account deletes its sessions.
 */
export function adminSessions(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('admin_sessions')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull().references('accounts.sid').onDelete('cascade'))
        .addColumn('id_digest', 'text', (c) => c.notNull().unique())
        .addColumn('previous_id_digest', 'text')
        .addColumn('credential_fingerprint', 'text', (c) => c.notNull())
        .addColumn('created_at', bigint, (c) => c.notNull())
        .addColumn('last_seen_at', bigint, (c) => c.notNull())
        .addColumn('rotated_at', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('admin_sessions_by_previous_id').on('admin_sessions').column('previous_id_digest').execute();
      await db.schema.createIndex('admin_sessions_by_last_seen').on('admin_sessions').column('last_seen_at').execute();
      await db.schema.createIndex('admin_sessions_by_account').on('admin_sessions').column('account_sid').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('admin_sessions').ifExists().execute();
    },
  };
}
