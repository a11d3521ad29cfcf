import type { Kysely } from 'kysely';
import type { Database, SimMessageRow } from './schema.ts';

/** The simulated carrier's mailbox (`sim_messages`, development only). */
export class SimMessagesStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: Omit<SimMessageRow, 'seq'>): Promise<void> {
    await this.db.insertInto('sim_messages').values(row).execute();
  }

  /** The newest `limit` messages to `address`, newest first. */
  async listTo(address: string, limit: number): Promise<Omit<SimMessageRow, 'seq'>[]> {
    return this.db.selectFrom('sim_messages').select(['channel', 'to_address', 'from_address', 'subject', 'body', 'date_created']).where('to_address', '=', address).orderBy('seq', 'desc').limit(limit).execute();
  }
}
