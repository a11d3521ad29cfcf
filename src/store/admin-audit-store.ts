import type { Kysely } from 'kysely';
import type { AdminAuditRow, Database } from './schema.ts';

/** How many entries one page of the audit log holds. */
const AUDIT_PAGE_SIZE = 50;

/** The admin console's audit log (migration 0030): append-only, read newest first per account. */
export class AdminAuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: AdminAuditRow): Promise<void> {
    await this.db.insertInto('admin_audit_log').values(row).execute();
  }

  /** One page of an account's entries, newest first, optionally of one action only. */
  async list(accountSid: string, options: { action?: string | undefined; page: number }): Promise<{ rows: AdminAuditRow[]; more: boolean }> {
    let query = this.db.selectFrom('admin_audit_log').selectAll().where('account_sid', '=', accountSid);
    if (options.action) query = query.where('action', '=', options.action);
    const rows = await query
      .orderBy('date_created', 'desc')
      .orderBy('sid', 'desc')
      .limit(AUDIT_PAGE_SIZE + 1)
      .offset(options.page * AUDIT_PAGE_SIZE)
      .execute();
    return { rows: rows.slice(0, AUDIT_PAGE_SIZE).map((r) => ({ ...r, date_created: Number(r.date_created) })), more: rows.length > AUDIT_PAGE_SIZE };
  }

  /** The actions this account's log holds (for the filter), alphabetical. */
  async actions(accountSid: string): Promise<string[]> {
    const rows = await this.db.selectFrom('admin_audit_log').select('action').distinct().where('account_sid', '=', accountSid).orderBy('action').limit(200).execute();
    return rows.map((r) => r.action);
  }
}
