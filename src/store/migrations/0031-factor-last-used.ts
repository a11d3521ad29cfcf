import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Issue 17: when each factor last proved a sign-in (ms, null: never), set when a challenge of it is
 * approved (src/factors/record-factor-event.ts); the enrollment hub and the admin console show it.
 */
export function factorLastUsed(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('factors').addColumn('date_last_used', bigint).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('factors').dropColumn('date_last_used').execute();
    },
  };
}
