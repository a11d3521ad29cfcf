import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Delivery attempts (issue 13): one row per message handed to one provider instance for one send of a
 * verification's code (a failover to the next route is a new row of the same send). It keeps the
 * carrier's message id, the status and its history, the carrier's error and price, the delivery
 * deadline (`deliver_by`) and the lease the failover sweeper claims it with, and while a failover is
 * still possible the rendered message sealed with the master key (wiped once it cannot be needed).
 * `delivery_message_ids` maps each id the carrier may name the attempt by (its message id and the ids
 * of the other parts of a long message) to the attempt, per provider instance.
 */
export function deliveryAttempts(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('delivery_attempts')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('verification_sid', 'text', (c) => c.notNull())
        .addColumn('send_attempt_sid', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('destination_country', 'text')
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('route_id', 'text', (c) => c.notNull())
        .addColumn('route_position', 'integer', (c) => c.notNull())
        .addColumn('provider_message_id', 'text')
        .addColumn('parts', 'integer')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_history', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('price', 'text')
        .addColumn('price_unit', 'text')
        .addColumn('receipts', 'integer', (c) => c.notNull())
        .addColumn('message_sealed', 'text')
        .addColumn('deliver_by', bigint)
        .addColumn('lease_until', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('failover_reason', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .addColumn('date_final', bigint)
        .execute();
      await db.schema.createIndex('delivery_attempts_by_verification').on('delivery_attempts').columns(['verification_sid', 'date_created']).execute();
      await db.schema.createIndex('delivery_attempts_by_deadline').on('delivery_attempts').column('deliver_by').execute();
      await db.schema.createIndex('delivery_attempts_by_created').on('delivery_attempts').columns(['account_sid', 'date_created']).execute();
      await db.schema
        .createTable('delivery_message_ids')
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('attempt_sid', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('delivery_message_ids_pk', ['provider', 'message_id'])
        .execute();
      await db.schema.createIndex('delivery_message_ids_by_attempt').on('delivery_message_ids').column('attempt_sid').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('delivery_message_ids').ifExists().execute();
      await db.schema.dropTable('delivery_attempts').ifExists().execute();
    },
  };
}
