import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Issue 17: the audit log of every operator action in the admin console (src/admin/audit-log.ts).
 * No foreign key to `accounts`: a failed sign-in names the Account SID typed, which may not exist,
 * and the log outlives what it describes. `detail` is JSON text (never a secret). Read newest first,
 * per account and optionally per action: both indexes end with the time.
 */
export function adminAuditLog(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('admin_audit_log')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_sid', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('date_created', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('admin_audit_log_by_account').on('admin_audit_log').columns(['account_sid', 'date_created']).execute();
      await db.schema.createIndex('admin_audit_log_by_action').on('admin_audit_log').columns(['account_sid', 'action', 'date_created']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('admin_audit_log').ifExists().execute();
    },
  };
}
