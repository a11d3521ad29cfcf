import type { Kysely, Updateable } from 'kysely';
import { prepared } from './prepared.ts';
import type { Database, ServiceRow } from './schema.ts';

const findQuery = prepared((db, accountSid: string, sid: string) => db.selectFrom('services').selectAll().where('sid', '=', sid).where('account_sid', '=', accountSid));

export class ServicesStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: ServiceRow): Promise<void> {
    await this.db.insertInto('services').values(row).execute();
  }

  async find(accountSid: string, sid: string): Promise<ServiceRow | undefined> {
    return (await findQuery(this.db, accountSid, sid))[0];
  }

  async list(accountSid: string, limit: number, offset: number): Promise<ServiceRow[]> {
    return this.db
      .selectFrom('services')
      .selectAll()
      .where('account_sid', '=', accountSid)
      .orderBy('date_created')
      .orderBy('sid')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  async update(accountSid: string, sid: string, patch: Updateable<ServiceRow>): Promise<void> {
    await this.db.updateTable('services').set(patch).where('sid', '=', sid).where('account_sid', '=', accountSid).execute();
  }

  async delete(accountSid: string, sid: string): Promise<boolean> {
    const r = await this.db.deleteFrom('services').where('sid', '=', sid).where('account_sid', '=', accountSid).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
}
