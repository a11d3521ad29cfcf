import type { Kysely } from 'kysely';
import type { AuthyAppRow, Database } from './schema.ts';

/** The `authy_apps` table: a service's Authy API key (sealed + digest), callback URL and user numbering. */
export class AuthyAppsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async findByService(serviceSid: string): Promise<AuthyAppRow | undefined> {
    return this.db.selectFrom('authy_apps').selectAll().where('service_sid', '=', serviceSid).executeTakeFirst();
  }

  /** The account of service `serviceSid` (any account's: for the operator's CLI), or undefined. */
  async accountOfService(serviceSid: string): Promise<string | undefined> {
    return (await this.db.selectFrom('services').select('account_sid').where('sid', '=', serviceSid).executeTakeFirst())?.account_sid;
  }

  async findByKeyDigest(digest: string): Promise<AuthyAppRow | undefined> {
    return this.db.selectFrom('authy_apps').selectAll().where('key_digest', '=', digest).executeTakeFirst();
  }

  /** Inserts the service's app unless it has one; false when it had. */
  async insert(row: AuthyAppRow): Promise<boolean> {
    const result = await this.db.insertInto('authy_apps').values(row).onConflict((oc) => oc.column('service_sid').doNothing()).executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /** Replaces the key (rotation or deletion); the updated row, or undefined. */
  async setKey(serviceSid: string, changes: Pick<AuthyAppRow, 'key_digest' | 'secret_sealed' | 'date_updated'>): Promise<AuthyAppRow | undefined> {
    return this.db.updateTable('authy_apps').set(changes).where('service_sid', '=', serviceSid).returningAll().executeTakeFirst();
  }

  async setCallbackUrl(serviceSid: string, url: string | null, now: number): Promise<AuthyAppRow | undefined> {
    return this.db.updateTable('authy_apps').set({ onetouch_callback_url: url, date_updated: now }).where('service_sid', '=', serviceSid).returningAll().executeTakeFirst();
  }

  /** Takes the app's next user id: one conditional UPDATE, so concurrent registrations never share one. */
  async takeUserId(serviceSid: string): Promise<number | undefined> {
    const row = await this.db
      .updateTable('authy_apps')
      .set((eb) => ({ next_user_id: eb('next_user_id', '+', 1) }))
      .where('service_sid', '=', serviceSid)
      .returning('next_user_id')
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.next_user_id) - 1;
  }
}
