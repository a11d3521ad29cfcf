import type { Kysely } from 'kysely';
import { oneOf } from './codecs/column.ts';
import { DELIVERY_CHANNELS, type Database, type SimMessageRow } from './schema.ts';

const channel = oneOf('sim_messages.channel', DELIVERY_CHANNELS);

/** The simulated carrier's mailbox (`sim_messages`, development only). */
export class SimMessagesStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: Omit<SimMessageRow, 'seq'>): Promise<void> {
    await this.db.insertInto('sim_messages').values(row).execute();
  }

  /** The newest `limit` messages to `address`, newest first. */
  async listTo(address: string, limit: number): Promise<Omit<SimMessageRow, 'seq'>[]> {
    const rows = await this.db.selectFrom('sim_messages').select(['channel', 'to_address', 'from_address', 'subject', 'body', 'date_created']).where('to_address', '=', address).orderBy('seq', 'desc').limit(limit).execute();
    return rows.map((row) => ({ ...row, channel: channel(row.channel) }));
  }
}
