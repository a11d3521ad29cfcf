import type { Kysely } from 'kysely';
import { decodeHandoffClient, encodeHandoffClient } from './codecs/handoff-codecs.ts';
import type { Database, HandoffClientLogoRow, HandoffClientRow, HandoffClientsTable } from './schema.ts';

/** What an update of a client may change: its name and branding (secrets and keys never change). */
export type HandoffClientChange = Partial<Pick<HandoffClientRow, 'friendly_name' | 'primary_color' | 'background_color' | 'support_url' | 'logo_version' | 'logo_width' | 'logo_height'>> & { date_updated: number };

const decodeOne = (row: HandoffClientsTable | undefined): HandoffClientRow | undefined => row && decodeHandoffClient(row);

/** Hand-off clients (`HC…`) of a service; callers validate input and seal the secret. */
export class HandoffClientsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** A new client, with its logo when it has one (`row.logo_version` names it). */
  async insert(row: HandoffClientRow, logo?: Omit<HandoffClientLogoRow, 'client_sid'>): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('handoff_clients').values(encodeHandoffClient(row)).execute();
      if (logo) await tx.insertInto('handoff_client_logos').values({ ...logo, client_sid: row.sid }).execute();
    });
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

  /**
   * Changes the client's name or branding; `logo` replaces (an object) or drops (null) its logo, in
   * the same transaction, so its version on the client always names the stored image.
   */
  async update(serviceSid: string, sid: string, change: HandoffClientChange, logo?: Omit<HandoffClientLogoRow, 'client_sid'> | null): Promise<HandoffClientRow | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const result = await tx.updateTable('handoff_clients').set(change).where('service_sid', '=', serviceSid).where('sid', '=', sid).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return undefined;
      if (logo !== undefined) await tx.deleteFrom('handoff_client_logos').where('client_sid', '=', sid).execute();
      if (logo) await tx.insertInto('handoff_client_logos').values({ ...logo, client_sid: sid }).execute();
      return decodeOne(await tx.selectFrom('handoff_clients').selectAll().where('sid', '=', sid).executeTakeFirst());
    });
  }

  /** The client's logo (any service: the hosted pages name the client only). */
  async getLogo(clientSid: string): Promise<HandoffClientLogoRow | undefined> {
    return this.db.selectFrom('handoff_client_logos').selectAll().where('client_sid', '=', clientSid).executeTakeFirst();
  }

  async delete(serviceSid: string, sid: string): Promise<boolean> {
    await this.db.deleteFrom('handoff_client_logos').where('client_sid', '=', sid).where((eb) => eb.exists(eb.selectFrom('handoff_clients').select('sid').where('sid', '=', sid).where('service_sid', '=', serviceSid))).execute();
    const result = await this.db.deleteFrom('handoff_clients').where('service_sid', '=', serviceSid).where('sid', '=', sid).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
