import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Verify's MessagingConfigurations: per service and destination country (ISO 3166 alpha-2, or
 * `all`), the messaging route (VERITY_MESSAGING_CONFIG) its SMS go through. In the database so every
 * Verity node routes alike; deleting the service deletes them. Also an index of delivery attempts
 * by creation time, from which a starting node rebuilds its circuit breakers.
 */
export function messagingConfigurations(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('messaging_configurations')
        .addColumn('service_sid', 'text', (c) => c.notNull().references('services.sid').onDelete('cascade'))
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('route_id', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('messaging_configurations_pk', ['service_sid', 'country'])
        .execute();
      // The routers' circuit breakers read the last minutes of attempts at boot (DeliveryAttemptsStore.recentOutcomes).
      await db.schema.createIndex('delivery_attempts_by_date').on('delivery_attempts').column('date_created').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('delivery_attempts_by_date').ifExists().execute();
      await db.schema.dropTable('messaging_configurations').ifExists().execute();
    },
  };
}
