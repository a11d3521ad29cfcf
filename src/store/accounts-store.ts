import type { Kysely } from 'kysely';
import type { AccountRow, Database } from './schema.ts';

export class AccountsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: AccountRow): Promise<void> {
    await this.db.insertInto('accounts').values(row).execute();
  }

  async find(sid: string): Promise<AccountRow | undefined> {
    return this.db.selectFrom('accounts').selectAll().where('sid', '=', sid).executeTakeFirst();
  }

  async updateTokenDigest(sid: string, digest: string, now: number): Promise<boolean> {
    const r = await this.db.updateTable('accounts').set({ auth_token_digest: digest, date_updated: now }).where('sid', '=', sid).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async list(): Promise<AccountRow[]> {
    return this.db.selectFrom('accounts').selectAll().orderBy('date_created').execute();
  }
}
