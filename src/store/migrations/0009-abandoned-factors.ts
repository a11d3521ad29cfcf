import type { Kysely } from 'kysely';

/**
 * The maintenance sweep looks for factors left `unverified` past their time (abandoned
 * enrolments) every few seconds: an index keeps that a range read, however many factors exist.
 */
export function abandonedFactors() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('factors_by_status_created').on('factors').columns(['status', 'date_created']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('factors_by_status_created').ifExists().execute();
    },
  };
}
