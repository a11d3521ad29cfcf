import type { Kysely } from 'kysely';
import type { Database, SafeListNumberRow } from './schema.ts';

/** The `safe_list_numbers` table (migration 0017): each account's SafeList, one row per E.164 number. */
export class SafeListStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds the number unless it is listed; answers the listed row (the existing one when it was). */
  async add(row: SafeListNumberRow): Promise<SafeListNumberRow> {
    await this.db.insertInto('safe_list_numbers').values(row).onConflict((oc) => oc.columns(['account_sid', 'phone_number']).doNothing()).execute();
    const listed = await this.find(row.account_sid, row.phone_number);
    if (!listed) throw new Error('safe list row vanished right after its insert');
    return listed;
  }

  async find(accountSid: string, phoneNumber: string): Promise<SafeListNumberRow | undefined> {
    return this.db.selectFrom('safe_list_numbers').selectAll().where('account_sid', '=', accountSid).where('phone_number', '=', phoneNumber).executeTakeFirst();
  }

  /** The removed row, or undefined when the number was not listed. */
  async remove(accountSid: string, phoneNumber: string): Promise<SafeListNumberRow | undefined> {
    return this.db.deleteFrom('safe_list_numbers').where('account_sid', '=', accountSid).where('phone_number', '=', phoneNumber).returningAll().executeTakeFirst();
  }
}
