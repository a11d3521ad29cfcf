import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** Recovery codes (NIST SP 800-63B look-up secrets): one row per code, argon2id-hashed. */
export function recoveryCodes(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('recovery_codes')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('entity_sid', 'text', (c) => c.notNull().references('entities.sid').onDelete('cascade'))
        .addColumn('batch_sid', 'text', (c) => c.notNull())
        .addColumn('lookup', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('used_at', bigint)
        .addColumn('date_created', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('recovery_codes_by_lookup').on('recovery_codes').columns(['entity_sid', 'lookup']).unique().execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('recovery_codes').ifExists().execute();
    },
  };
}
