import type { Kysely } from 'kysely';
import type { Database, PushEnrollmentCodeRow } from './schema.ts';

/**
 * Short push enrolment codes (migration 0029), by the SHA-256 of the code. A code is claimed by one
 * DELETE … RETURNING, so of two devices presenting it at once exactly one gets its token.
 */
export class PushEnrollmentCodesStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: PushEnrollmentCodeRow): Promise<void> {
    await this.db.insertInto('push_enrollment_codes').values(row).execute();
  }

  /** Takes the code (it is gone after this call) if it is still valid at `now`; undefined if unknown, used or expired. */
  async claim(codeDigest: string, now: number): Promise<PushEnrollmentCodeRow | undefined> {
    return this.db.deleteFrom('push_enrollment_codes').where('code_digest', '=', codeDigest).where('expires_at', '>', now).returningAll().executeTakeFirst();
  }

  /** Forgets up to `limit` codes past their expiry, oldest first (index push_enrollment_codes_by_expiry). */
  async purgeExpired(now: number, limit = 100): Promise<number> {
    const oldest = this.db.selectFrom('push_enrollment_codes').select('code_digest').where('expires_at', '<=', now).orderBy('expires_at').limit(limit);
    const result = await this.db.deleteFrom('push_enrollment_codes').where('code_digest', 'in', oldest).where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
