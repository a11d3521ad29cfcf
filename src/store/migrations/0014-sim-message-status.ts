import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * The simulated carrier reports delivery statuses (issue 13): each of its messages gets the carrier's
 * message id it answered the send with (`SIM…`), the provider instance and Verity attempt it came
 * from, and where it is (queued → sent → delivered | undelivered | failed) with the simulated
 * carrier's error code. Messages stored before this were all delivered at once.
 */
export function simMessageStatus(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('sim_messages').addColumn('message_id', 'text').execute();
      await db.schema.alterTable('sim_messages').addColumn('instance', 'text').execute();
      await db.schema.alterTable('sim_messages').addColumn('attempt_id', 'text').execute();
      await db.schema.alterTable('sim_messages').addColumn('status', 'text', (c) => c.notNull().defaultTo('delivered')).execute();
      await db.schema.alterTable('sim_messages').addColumn('error_code', 'text').execute();
      await db.schema.alterTable('sim_messages').addColumn('date_updated', bigint).execute();
      await db.schema.createIndex('sim_messages_by_message_id').on('sim_messages').column('message_id').unique().execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('sim_messages_by_message_id').execute();
      for (const column of ['date_updated', 'error_code', 'status', 'attempt_id', 'instance', 'message_id']) {
        await db.schema.alterTable('sim_messages').dropColumn(column).execute();
      }
    },
  };
}
