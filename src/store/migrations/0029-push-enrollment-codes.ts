import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Issue 17: short push enrolment codes a phone scans from a QR code (src/factors/push/enrollment-codes.ts).
 * A code is kept only as its SHA-256 (the primary key: a redemption looks the digest up), beside the
 * enrolment token it stands for, sealed; it lives as long as that token and is deleted when redeemed.
 */
export function pushEnrollmentCodes(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('push_enrollment_codes')
        .addColumn('code_digest', 'text', (c) => c.primaryKey())
        .addColumn('token_sealed', 'text', (c) => c.notNull())
        .addColumn('expires_at', bigint, (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('push_enrollment_codes_by_expiry').on('push_enrollment_codes').column('expires_at').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('push_enrollment_codes').ifExists().execute();
    },
  };
}
