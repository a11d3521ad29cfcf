import type { Kysely } from 'kysely';
import { dialectOf } from './dialect.ts';
import type { Database, EntityRow } from './schema.ts';

/** Entities (`YE`): one per application user and service, named by `identity`. */
export class EntitiesStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts the entity unless one with this identity exists; returns the stored row either way. */
  async findOrInsert(row: EntityRow): Promise<{ row: EntityRow; created: boolean }> {
    const r = await this.db
      .insertInto('entities')
      .values(row)
      .onConflict((oc) => oc.columns(['service_sid', 'identity']).doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 1) return { row, created: true };
    const existing = await this.find(row.service_sid, row.identity);
    if (!existing) throw new Error('entity vanished while being created');
    return { row: existing, created: false };
  }

  async find(serviceSid: string, identity: string): Promise<EntityRow | undefined> {
    return this.db.selectFrom('entities').selectAll().where('service_sid', '=', serviceSid).where('identity', '=', identity).executeTakeFirst();
  }

  /**
   * Row-locks the entity for the rest of the transaction (PostgreSQL), so checks that count its
   * challenges and then insert one cannot interleave. SQLite transactions are serialized already.
   */
  async lock(sid: string): Promise<void> {
    if (dialectOf(this.db) === 'postgres') await this.db.selectFrom('entities').select('sid').where('sid', '=', sid).forUpdate().execute();
  }

  async list(serviceSid: string, limit: number, offset: number): Promise<EntityRow[]> {
    return this.db.selectFrom('entities').selectAll().where('service_sid', '=', serviceSid).orderBy('date_created').orderBy('sid').limit(limit).offset(offset).execute();
  }

  /** Deletes the entity; its factors and challenges go with it (ON DELETE CASCADE). */
  async delete(sid: string): Promise<void> {
    await this.db.deleteFrom('entities').where('sid', '=', sid).execute();
  }
}
