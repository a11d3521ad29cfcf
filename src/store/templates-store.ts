import { sql, type Kysely } from 'kysely';
import type { Database, TemplatesTable } from './schema.ts';

/** The `templates` table: Verify Templates accounts created (src/verify/templates/). */
export class TemplatesStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Inserts `row` unless its account already has `max` templates; false when it has. One statement:
   * SQLite serialises writers, so the cap holds exactly; on PostgreSQL two creates racing at the cap
   * may both pass (READ COMMITTED), overshooting it by the number of concurrent requests.
   */
  async insertCapped(row: TemplatesTable, max: number): Promise<boolean> {
    // INSERT … SELECT … WHERE count < max: one statement on both dialects (CAST, not `::`, for SQLite).
    const result = await sql`
      insert into templates (sid, account_sid, friendly_name, channels, translations, date_created, date_updated)
      select ${row.sid}, ${row.account_sid}, ${row.friendly_name}, ${row.channels}, ${row.translations}, cast(${row.date_created} as bigint), cast(${row.date_updated} as bigint)
      where (select count(*) from templates where account_sid = ${row.account_sid}) < ${max}`.execute(this.db);
    return (result.numAffectedRows ?? 0n) > 0n;
  }

  async find(accountSid: string, sid: string): Promise<TemplatesTable | undefined> {
    return this.db.selectFrom('templates').selectAll().where('account_sid', '=', accountSid).where('sid', '=', sid).executeTakeFirst();
  }

  /** Every template of the account, oldest first (an account has at most a hundred). */
  async listForAccount(accountSid: string): Promise<TemplatesTable[]> {
    return this.db.selectFrom('templates').selectAll().where('account_sid', '=', accountSid).orderBy('date_created', 'asc').orderBy('sid', 'asc').execute();
  }

  async delete(accountSid: string, sid: string): Promise<boolean> {
    const result = await this.db.deleteFrom('templates').where('account_sid', '=', accountSid).where('sid', '=', sid).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
