import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Voice: calls placed for verifications (with the state of their flow), the per-verification
 * progress events a login page follows, and which flow a verification uses.
 */
export function voice(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('verifications').addColumn('voice_flow', 'text').execute();
      await db.schema.alterTable('verifications').addColumn('progress_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema
        .createTable('calls')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('verification_sid', 'text', (c) => c.notNull())
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('caller_id', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('provider_call_id', 'text')
        .addColumn('flow', 'text', (c) => c.notNull())
        .addColumn('flow_state', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        // 1 while the call is live, NULL once it ended: the unique index below then admits one
        // live call per destination (NULLs never collide), on SQLite and PostgreSQL alike.
        .addColumn('active', 'integer')
        .addColumn('end_reason', 'text')
        .addColumn('date_answered', bigint)
        .addColumn('date_ended', bigint)
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('calls_one_live_per_destination').on('calls').columns(['destination', 'active']).unique().execute();
      await db.schema.createIndex('calls_by_verification').on('calls').column('verification_sid').execute();
      await db.schema
        .createTable('verification_events')
        .addColumn('verification_sid', 'text', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('call_sid', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('verification_events_pk', ['verification_sid', 'sequence'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('verification_events').ifExists().execute();
      await db.schema.dropTable('calls').ifExists().execute();
      for (const column of ['voice_flow', 'progress_seq']) await db.schema.alterTable('verifications').dropColumn(column).execute();
    },
  };
}
