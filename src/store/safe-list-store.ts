import { sql, type Kysely } from 'kysely';
import { prepared } from './prepared.ts';
import type { Database, SafeListNumberRow } from './schema.ts';

// Every phone send looks its number up (the send gate's prefix cap): compiled once, a point read on the unique index.
const findQuery = prepared((db, accountSid: string, phoneNumber: string) => db.selectFrom('safe_list_numbers').selectAll().where('account_sid', '=', accountSid).where('phone_number', '=', phoneNumber));

/** The `safe_list_numbers` table (migration 0017): each account's SafeList, one row per E.164 number. */
export class SafeListStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Adds the number unless it is listed; answers the listed row (the existing one when it was).
   * With `max`, a number is added only while the account lists fewer (one statement, so concurrent
   * adds cannot pass the cap); undefined when the list is full and the number was not on it.
   */
  async add(row: SafeListNumberRow, max?: number): Promise<SafeListNumberRow | undefined> {
    if (max === undefined) {
      await this.db.insertInto('safe_list_numbers').values(row).onConflict((oc) => oc.columns(['account_sid', 'phone_number']).doNothing()).execute();
    } else {
      // INSERT … SELECT … WHERE count < max (SQLite needs the WHERE before ON CONFLICT; CAST, not `::`, for both dialects).
      await sql`
        insert into safe_list_numbers (sid, account_sid, phone_number, date_created)
        select ${row.sid}, ${row.account_sid}, ${row.phone_number}, cast(${row.date_created} as bigint)
        where (select count(*) from safe_list_numbers where account_sid = ${row.account_sid}) < ${max}
        on conflict (account_sid, phone_number) do nothing`.execute(this.db);
    }
    return this.find(row.account_sid, row.phone_number);
  }

  async find(accountSid: string, phoneNumber: string): Promise<SafeListNumberRow | undefined> {
    return (await findQuery(this.db, accountSid, phoneNumber))[0];
  }

  /** The removed row, or undefined when the number was not listed. */
  async remove(accountSid: string, phoneNumber: string): Promise<SafeListNumberRow | undefined> {
    return this.db.deleteFrom('safe_list_numbers').where('account_sid', '=', accountSid).where('phone_number', '=', phoneNumber).returningAll().executeTakeFirst();
  }
}
