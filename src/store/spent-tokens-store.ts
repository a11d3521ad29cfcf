import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Single-use tokens: a `jti` is spent by one INSERT, so of two concurrent uses exactly one wins. */
export class SpentTokensStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** True if this call spent the token; false if it was spent before. */
  async spend(jti: string, expiresAt: number): Promise<boolean> {
    const row = await this.db
      .insertInto('spent_tokens')
      .values({ jti, expires_at: expiresAt })
      .onConflict((oc) => oc.column('jti').doNothing())
      .returning('jti')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** True once the token was spent. */
  async isSpent(jti: string): Promise<boolean> {
    return (await this.db.selectFrom('spent_tokens').select('jti').where('jti', '=', jti).executeTakeFirst()) !== undefined;
  }

  /**
   * Forgets up to `limit` tokens past their expiry, oldest first (index spent_tokens_by_expiry): they
   * are refused by their `exp` anyway. The maintenance scheduler calls it until it returns less than `limit`.
   */
  async purgeExpired(now: number, limit = 1000): Promise<number> {
    const oldest = this.db.selectFrom('spent_tokens').select('jti').where('expires_at', '<', now).orderBy('expires_at').limit(limit);
    const result = await this.db.deleteFrom('spent_tokens').where('jti', 'in', oldest).where('expires_at', '<', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
