import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * The signed hand-off between trust domains: the applications (clients) allowed to send their users
 * to Verity with a signed request, and Verity's own ES256 keys that sign the results it sends back.
 */
export function handoff(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('handoff_clients')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull().references('services.sid').onDelete('cascade'))
        .addColumn('friendly_name', 'text', (c) => c.notNull())
        .addColumn('return_urls', 'text', (c) => c.notNull())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', 'text')
        .addColumn('jwks', 'text')
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('handoff_clients_by_service').on('handoff_clients').columns(['service_sid', 'date_created']).execute();
      await db.schema
        .createTable('handoff_signing_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('private_jwk_sealed', 'text', (c) => c.notNull())
        .addColumn('public_jwk', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('retired_at', bigint)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('handoff_signing_keys').ifExists().execute();
      await db.schema.dropTable('handoff_clients').ifExists().execute();
    },
  };
}
