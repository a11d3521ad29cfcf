import type { Kysely } from 'kysely';
import { decodeService, encodeService, encodeServicePatch } from './codecs/services-codec.ts';
import { prepared } from './prepared.ts';
import type { Database, ServiceRow } from './schema.ts';

const findQuery = prepared((db, accountSid: string, sid: string) => db.selectFrom('services').selectAll().where('sid', '=', sid).where('account_sid', '=', accountSid));

export class ServicesStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: ServiceRow): Promise<void> {
    await this.db.insertInto('services').values(encodeService(row)).execute();
  }

  async find(accountSid: string, sid: string): Promise<ServiceRow | undefined> {
    const row = (await findQuery(this.db, accountSid, sid))[0];
    return row && decodeService(row);
  }

  async list(accountSid: string, limit: number, offset: number): Promise<ServiceRow[]> {
    const rows = await this.db
      .selectFrom('services')
      .selectAll()
      .where('account_sid', '=', accountSid)
      .orderBy('date_created')
      .orderBy('sid')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map(decodeService);
  }

  async update(accountSid: string, sid: string, patch: Partial<ServiceRow>): Promise<void> {
    await this.db.updateTable('services').set(encodeServicePatch(patch)).where('sid', '=', sid).where('account_sid', '=', accountSid).execute();
  }

  async delete(accountSid: string, sid: string): Promise<boolean> {
    const r = await this.db.deleteFrom('services').where('sid', '=', sid).where('account_sid', '=', accountSid).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
}
