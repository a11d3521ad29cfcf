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

  /** A new auth token: its digest (authentication) and its sealed form (X-Twilio-Signature), together. */
  async updateToken(sid: string, digest: string, sealed: string, now: number): Promise<boolean> {
    const r = await this.db.updateTable('accounts').set({ auth_token_digest: digest, auth_token_sealed: sealed, date_updated: now }).where('sid', '=', sid).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Seals the current token of an account that has none sealed yet (only while the digest is still `digest`). */
  async fillSealedToken(sid: string, digest: string, sealed: string): Promise<boolean> {
    const r = await this.db.updateTable('accounts').set({ auth_token_sealed: sealed }).where('sid', '=', sid).where('auth_token_digest', '=', digest).where('auth_token_sealed', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async list(): Promise<AccountRow[]> {
    return this.db.selectFrom('accounts').selectAll().orderBy('date_created').execute();
  }
}
