import type { Kysely } from 'kysely';
import type { AdminSessionRow, Database } from './schema.ts';

/** The admin console's sessions (migration 0010). Every change is one conditional statement. */
export class AdminSessionsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: AdminSessionRow): Promise<void> {
    await this.db.insertInto('admin_sessions').values(row).execute();
  }

  /** The session whose current id, or previous id still within its grace (rotated at or after `previousSince`), has this digest. */
  async findByIdDigest(digest: string, previousSince: number): Promise<AdminSessionRow | undefined> {
    return this.db
      .selectFrom('admin_sessions')
      .selectAll()
      .where((eb) => eb.or([eb('id_digest', '=', digest), eb.and([eb('previous_id_digest', '=', digest), eb('rotated_at', '>=', previousSince)])]))
      .executeTakeFirst();
  }

  /**
   * Marks the session used at `now`, only if it is still within both timeouts (idle: last used at or
   * after `idleSince`; absolute: opened after `openedAfter`); false when it has expired.
   */
  async touch(sid: string, now: number, idleSince: number, openedAfter: number): Promise<boolean> {
    const result = await this.db
      .updateTable('admin_sessions')
      .set({ last_seen_at: now })
      .where('sid', '=', sid)
      .where('last_seen_at', '>=', idleSince)
      .where('created_at', '>', openedAfter)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * Replaces the current id `fromDigest` by `toDigest` (the old one becomes the previous id). False when
   * another request rotated it first: then that request's cookie wins and this one keeps the old id.
   */
  async rotate(sid: string, fromDigest: string, toDigest: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('admin_sessions')
      .set({ id_digest: toDigest, previous_id_digest: fromDigest, rotated_at: now, last_seen_at: now })
      .where('sid', '=', sid)
      .where('id_digest', '=', fromDigest)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async delete(sid: string): Promise<void> {
    await this.db.deleteFrom('admin_sessions').where('sid', '=', sid).execute();
  }

  /** Drops every session past either timeout. */
  async deleteExpired(idleSince: number, openedAfter: number): Promise<number> {
    const result = await this.db
      .deleteFrom('admin_sessions')
      .where((eb) => eb.or([eb('last_seen_at', '<', idleSince), eb('created_at', '<=', openedAfter)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
