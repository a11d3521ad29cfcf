import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Verify Templates an account created (a Verity extension: the hosted API only lists Twilio's
 * pre-approved ones, which Verity keeps in code, src/verify/templates/built-in-templates.ts). In the
 * database so every node renders alike; `translations` is a JSON object of locale → text.
 */
export function templates(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('templates')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull().references('accounts.sid').onDelete('cascade'))
        .addColumn('friendly_name', 'text', (c) => c.notNull())
        .addColumn('channels', 'text', (c) => c.notNull())
        .addColumn('translations', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('templates_by_account').on('templates').columns(['account_sid', 'date_created']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('templates_by_account').ifExists().execute();
      await db.schema.dropTable('templates').ifExists().execute();
    },
  };
}
