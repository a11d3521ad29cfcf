import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** Verify's Entities (YE), Factors (YF) and Challenges (YC): the authenticator-factor slice. */
export function factors(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('entities')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull().references('services.sid').onDelete('cascade'))
        .addColumn('identity', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('entities_by_identity').on('entities').columns(['service_sid', 'identity']).unique().execute();

      await db.schema
        .createTable('factors')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('entity_sid', 'text', (c) => c.notNull().references('entities.sid').onDelete('cascade'))
        .addColumn('identity', 'text', (c) => c.notNull())
        .addColumn('friendly_name', 'text', (c) => c.notNull())
        .addColumn('factor_type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('metadata', 'text')
        .addColumn('last_used_step', bigint)
        .addColumn('verify_attempts', 'integer', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('factors_by_entity').on('factors').columns(['entity_sid', 'date_created']).execute();

      await db.schema
        .createTable('challenges')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('entity_sid', 'text', (c) => c.notNull().references('entities.sid').onDelete('cascade'))
        .addColumn('identity', 'text', (c) => c.notNull())
        .addColumn('factor_sid', 'text', (c) => c.notNull().references('factors.sid').onDelete('cascade'))
        .addColumn('factor_type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('responded_reason', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('hidden_details', 'text')
        .addColumn('metadata', 'text')
        .addColumn('expiration_date', bigint, (c) => c.notNull())
        .addColumn('date_responded', bigint)
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('challenges_by_entity').on('challenges').columns(['entity_sid', 'date_created']).execute();
      await db.schema.createIndex('challenges_by_factor').on('challenges').column('factor_sid').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['challenges', 'factors', 'entities']) await db.schema.dropTable(table).ifExists().execute();
    },
  };
}
