import type { Kysely } from 'kysely';
import type { Database, MessagingConfigurationRow } from './schema.ts';

/** The `messaging_configurations` table: a service's route per destination country (src/messaging/routing/). */
export class MessagingConfigurationsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts `row` unless the service has one for that country; false when it had. */
  async insert(row: MessagingConfigurationRow): Promise<boolean> {
    const result = await this.db.insertInto('messaging_configurations').values(row).onConflict((oc) => oc.columns(['service_sid', 'country']).doNothing()).executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async find(serviceSid: string, country: string): Promise<MessagingConfigurationRow | undefined> {
    return this.db.selectFrom('messaging_configurations').selectAll().where('service_sid', '=', serviceSid).where('country', '=', country).executeTakeFirst();
  }

  /** Oldest first, with the country as a tie-breaker so pages are stable. */
  async list(serviceSid: string, { limit, offset }: { limit: number; offset: number }): Promise<MessagingConfigurationRow[]> {
    return this.db.selectFrom('messaging_configurations').selectAll().where('service_sid', '=', serviceSid).orderBy('date_created', 'asc').orderBy('country', 'asc').limit(limit).offset(offset).execute();
  }

  /** Every service's choices: what each node's router keeps in memory (a handful of rows per service that has any). */
  async all(): Promise<Pick<MessagingConfigurationRow, 'service_sid' | 'country' | 'route_id'>[]> {
    return this.db.selectFrom('messaging_configurations').select(['service_sid', 'country', 'route_id']).execute();
  }

  /** The updated row, or undefined if there is none. */
  async update(serviceSid: string, country: string, changes: Pick<MessagingConfigurationRow, 'route_id' | 'date_updated'>): Promise<MessagingConfigurationRow | undefined> {
    return this.db.updateTable('messaging_configurations').set(changes).where('service_sid', '=', serviceSid).where('country', '=', country).returningAll().executeTakeFirst();
  }

  async delete(serviceSid: string, country: string): Promise<boolean> {
    const result = await this.db.deleteFrom('messaging_configurations').where('service_sid', '=', serviceSid).where('country', '=', country).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
