import type { Kysely } from 'kysely';
import type { Database, PushDeviceMarkRow } from './schema.ts';

/** The `push_device_marks` table: push device tokens their provider refused for good (migration 0021). */
export class PushDeviceMarksStore {
  constructor(private readonly db: Kysely<Database>) {}

  async find(factorSid: string): Promise<PushDeviceMarkRow | undefined> {
    return this.db.selectFrom('push_device_marks').selectAll().where('factor_sid', '=', factorSid).executeTakeFirst();
  }

  /** Records (or replaces) the factor's mark (the factor must exist: its deletion deletes the mark). */
  async mark(row: PushDeviceMarkRow): Promise<void> {
    const { platform, token_digest, reason, provider_timestamp, date_marked } = row;
    await this.db.insertInto('push_device_marks').values(row).onConflict((oc) => oc.column('factor_sid').doUpdateSet({ platform, token_digest, reason, provider_timestamp, date_marked })).execute();
  }

  /** A new device token: whatever was marked no longer applies. */
  async clear(factorSid: string): Promise<void> {
    await this.db.deleteFrom('push_device_marks').where('factor_sid', '=', factorSid).execute();
  }
}
