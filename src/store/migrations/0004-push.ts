import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Push approval: a challenge's number to match, when the device first received it, why it was
 * denied; and single-use tokens (enrollment tokens now, hand-off request tokens later) remembered
 * until they expire.
 */
export function push(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('challenges').addColumn('number_match', 'text').execute();
      await db.schema.alterTable('challenges').addColumn('date_delivered', bigint).execute();
      await db.schema.alterTable('challenges').addColumn('denied_reason', 'text').execute();
      await db.schema.createIndex('challenges_by_factor_status').on('challenges').columns(['factor_sid', 'status']).execute();
      await db.schema
        .createTable('spent_tokens')
        .addColumn('jti', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('spent_tokens_by_expiry').on('spent_tokens').column('expires_at').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('spent_tokens').ifExists().execute();
      await db.schema.dropIndex('challenges_by_factor_status').ifExists().execute();
      for (const column of ['number_match', 'date_delivered', 'denied_reason']) await db.schema.alterTable('challenges').dropColumn(column).execute();
    },
  };
}
