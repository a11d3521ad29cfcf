import type { Kysely } from 'kysely';
import { EntitiesStore } from './entities-store.ts';
import type { Database, RecoveryCodeRow } from './schema.ts';

export class RecoveryCodesStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Replaces the entity's codes with a new batch (the old ones stop working at once); call it in a
   * transaction. The entity row is locked first (PostgreSQL; SQLite transactions run one at a time):
   * without it, two regenerations at once each delete only the rows committed before they began, and
   * both batches stay valid.
   */
  async replaceBatch(entitySid: string, rows: RecoveryCodeRow[]): Promise<void> {
    await new EntitiesStore(this.db).lock(entitySid);
    await this.db.deleteFrom('recovery_codes').where('entity_sid', '=', entitySid).execute();
    await this.db.insertInto('recovery_codes').values(rows).execute();
  }

  /** Deletes every code of the entity (the console's revoke; call it in a transaction); how many there were. */
  async revokeAll(entitySid: string): Promise<number> {
    await new EntitiesStore(this.db).lock(entitySid);
    const result = await this.db.deleteFrom('recovery_codes').where('entity_sid', '=', entitySid).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async findUnused(entitySid: string, lookup: string): Promise<RecoveryCodeRow | undefined> {
    return this.db.selectFrom('recovery_codes').selectAll().where('entity_sid', '=', entitySid).where('lookup', '=', lookup).where('used_at', 'is', null).executeTakeFirst();
  }

  /** Marks a code used with one conditional UPDATE: of concurrent uses of one code, exactly one wins. */
  async consume(sid: string, now: number): Promise<boolean> {
    const r = await this.db.updateTable('recovery_codes').set({ used_at: now }).where('sid', '=', sid).where('used_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async summary(entitySid: string): Promise<{ total: number; remaining: number; dateCreated: number | null; lastUsed: number | null }> {
    const rows = await this.db.selectFrom('recovery_codes').select(['used_at', 'date_created']).where('entity_sid', '=', entitySid).execute();
    const used = rows.flatMap((r) => (r.used_at === null ? [] : [r.used_at]));
    return {
      total: rows.length,
      remaining: rows.filter((r) => r.used_at === null).length,
      dateCreated: rows.length ? Math.min(...rows.map((r) => r.date_created)) : null,
      lastUsed: used.length ? Math.max(...used) : null,
    };
  }
}
