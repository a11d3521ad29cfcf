import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** Issue 17: short push enrolment codes a phone scans from a QR code. */
export function pushEnrollmentCodes(dialect: Dialect) {
  void dialect;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      void db;
    },
    async down(db: Kysely<unknown>): Promise<void> {
      void db;
    },
  };
}
