import type { Kysely } from 'kysely';
import type { AccountRow, ApiKeyRow, Database } from './schema.ts';

/** The `api_keys` table (src/accounts/api-keys.ts holds the rules: secrets, digests, who may manage keys). */
export class ApiKeysStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: ApiKeyRow): Promise<void> {
    await this.db.insertInto('api_keys').values(row).execute();
  }

  async find(accountSid: string, sid: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('account_sid', '=', accountSid).where('sid', '=', sid).executeTakeFirst();
  }

  /** The key and its account in one read (authentication of `SK…:secret`, never cached: a deleted key fails at once on every node). */
  async findWithAccount(sid: string): Promise<{ key: ApiKeyRow; account: AccountRow } | undefined> {
    const row = await this.db
      .selectFrom('api_keys as k')
      .innerJoin('accounts as a', 'a.sid', 'k.account_sid')
      .select(['k.sid', 'k.account_sid', 'k.friendly_name', 'k.secret_digest', 'k.date_created', 'k.date_updated'])
      .select(['a.friendly_name as account_friendly_name', 'a.auth_token_digest', 'a.auth_token_sealed', 'a.status as account_status', 'a.date_created as account_date_created', 'a.date_updated as account_date_updated'])
      .where('k.sid', '=', sid)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      key: { sid: row.sid, account_sid: row.account_sid, friendly_name: row.friendly_name, secret_digest: row.secret_digest, date_created: row.date_created, date_updated: row.date_updated },
      account: {
        sid: row.account_sid,
        friendly_name: row.account_friendly_name,
        auth_token_digest: row.auth_token_digest,
        auth_token_sealed: row.auth_token_sealed,
        status: row.account_status,
        date_created: row.account_date_created,
        date_updated: row.account_date_updated,
      },
    };
  }

  /** The account's most recently created key (the console's create form is pinned to it: keys-routes.ts). */
  async newest(accountSid: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('account_sid', '=', accountSid).orderBy('date_created', 'desc').orderBy('sid', 'desc').limit(1).executeTakeFirst();
  }

  /** Oldest first, with the SID as a tie-breaker so pages are stable. */
  async list(accountSid: string, { limit, offset }: { limit: number; offset: number }): Promise<ApiKeyRow[]> {
    return this.db.selectFrom('api_keys').selectAll().where('account_sid', '=', accountSid).orderBy('date_created', 'asc').orderBy('sid', 'asc').limit(limit).offset(offset).execute();
  }

  async rename(accountSid: string, sid: string, friendlyName: string, now: number): Promise<ApiKeyRow | undefined> {
    return this.db.updateTable('api_keys').set({ friendly_name: friendlyName, date_updated: now }).where('account_sid', '=', accountSid).where('sid', '=', sid).returningAll().executeTakeFirst();
  }

  async delete(accountSid: string, sid: string): Promise<boolean> {
    const result = await this.db.deleteFrom('api_keys').where('account_sid', '=', accountSid).where('sid', '=', sid).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
