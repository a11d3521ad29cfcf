import type { Kysely } from 'kysely';
import type { AccessTokenRow, Database } from './schema.ts';

/** The `access_tokens` table (migration 0017): AccessTokens as issued, each kept until it expires. */
export class AccessTokensStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records a token, and forgets the ones expired by `now` (one indexed delete: the table holds only live tokens and a few minutes' worth of dead ones). */
  async insert(row: AccessTokenRow, now: number): Promise<void> {
    await this.db.deleteFrom('access_tokens').where('expires_at', '<=', now).execute();
    await this.db.insertInto('access_tokens').values(row).execute();
  }

  /** A token of this account and service that has not expired at `now`. */
  async findLive(accountSid: string, serviceSid: string, sid: string, now: number): Promise<AccessTokenRow | undefined> {
    return this.db
      .selectFrom('access_tokens')
      .selectAll()
      .where('sid', '=', sid)
      .where('account_sid', '=', accountSid)
      .where('service_sid', '=', serviceSid)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }
}
