import type { Kysely } from 'kysely';
import { decodeHandoffClient, encodeHandoffClient } from './codecs/handoff-codecs.ts';
import type { Database, HandoffClientRow, HandoffClientsTable } from './schema.ts';

const decodeOne = (row: HandoffClientsTable | undefined): HandoffClientRow | undefined => row && decodeHandoffClient(row);

/** Hand-off clients (`HC…`) of a service; callers validate input and seal the secret. */
export class HandoffClientsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: HandoffClientRow): Promise<void> {
    await this.db.insertInto('handoff_clients').values(encodeHandoffClient(row)).execute();
  }

  /** Any client by its sid: a request token names its client, not its service. */
  async get(sid: string): Promise<HandoffClientRow | undefined> {
    return decodeOne(await this.db.selectFrom('handoff_clients').selectAll().where('sid', '=', sid).executeTakeFirst());
  }

  async getInService(serviceSid: string, sid: string): Promise<HandoffClientRow | undefined> {
    return decodeOne(await this.db.selectFrom('handoff_clients').selectAll().where('service_sid', '=', serviceSid).where('sid', '=', sid).executeTakeFirst());
  }

  async list(serviceSid: string, page: { limit: number; offset: number }): Promise<HandoffClientRow[]> {
    const rows = await this.db
      .selectFrom('handoff_clients')
      .selectAll()
      .where('service_sid', '=', serviceSid)
      .orderBy('date_created')
      .orderBy('sid')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map(decodeHandoffClient);
  }

  async delete(serviceSid: string, sid: string): Promise<boolean> {
    const result = await this.db.deleteFrom('handoff_clients').where('service_sid', '=', serviceSid).where('sid', '=', sid).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
