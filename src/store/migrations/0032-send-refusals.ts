import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Issue 17: what the send gate refused, per account and UTC day (src/send-gate/, the console's
 * "Fraud blocks"): one counter row per (account, day, service, reason, country), bumped by an upsert,
 * so a flood of refusals costs one small row per range of days, not one row each. `day` is the UTC
 * midnight in ms, so retention ages the rows like every other table (send_refusals_by_day). The key
 * starts with the account and the day: the console reads one account's last days as a range.
 *
 * Also the admin console's list indexes: entities and challenges newest first, per account and per
 * service (the lists order by date_created DESC, sid DESC), and the audit log by date for its own
 * retention (VERITY_AUDIT_RETENTION_DAYS).
 */
const LIST_INDEXES = [
  ['entities_by_account_created', 'entities', ['account_sid', 'date_created', 'sid']],
  ['entities_by_service_created', 'entities', ['service_sid', 'date_created', 'sid']],
  ['challenges_by_account_created', 'challenges', ['account_sid', 'date_created', 'sid']],
  ['admin_audit_log_by_created', 'admin_audit_log', ['date_created']],
] as const;

export function sendRefusals(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('send_refusals')
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('day', bigint, (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        // '' when the destination has no country (an e-mail address).
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('count', bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('send_refusals_pk', ['account_sid', 'day', 'service_sid', 'reason', 'country'])
        .execute();
      await db.schema.createIndex('send_refusals_by_day').on('send_refusals').column('day').execute();
      for (const [name, table, columns] of LIST_INDEXES) await db.schema.createIndex(name).on(table).columns([...columns]).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const [name] of LIST_INDEXES) await db.schema.dropIndex(name).execute();
      await db.schema.dropTable('send_refusals').ifExists().execute();
    },
  };
}
