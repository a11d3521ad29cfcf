import type { Kysely } from 'kysely';
import type { Database, HandoffSessionRow } from './schema.ts';

/**
 * The hosted hand-off sessions (one row per hand-off, see handoff-session.ts). A POST takes the
 * session by claiming its form nonce in one conditional UPDATE, so of two submissions of the same
 * form exactly one acts; it gives the session back with its new state and nonce.
 */
export class HandoffSessionsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: HandoffSessionRow): Promise<void> {
    await this.db.insertInto('handoff_sessions').values(row).execute();
  }

  async find(id: string): Promise<HandoffSessionRow | undefined> {
    return this.db.selectFrom('handoff_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The session a request link opened in this browser, if any (a reopened link resumes it). */
  async findByRequest(requestKey: string, browserHash: string): Promise<HandoffSessionRow | undefined> {
    return this.db.selectFrom('handoff_sessions').selectAll().where('request_key', '=', requestKey).where('browser_hash', '=', browserHash).executeTakeFirst();
  }

  /** Takes the session for one POST if `nonce` is still its form nonce; false when another submission took it or the form is stale. */
  async claim(id: string, nonce: string, now: number): Promise<boolean> {
    const result = await this.db.updateTable('handoff_sessions').set({ form_nonce: null, claimed_at: now }).where('id', '=', id).where('form_nonce', '=', nonce).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Gives a claimed session back: its new state and form nonce, and when a result was issued. A step
   * only sealed (`state` given) always lands, even after its claim was recovered as stale: what it
   * did happened. Without a state (a refused step) it lands only on a session still claimed.
   */
  async release(id: string, update: { state?: string; nonce: string; completedAt?: number | undefined }): Promise<boolean> {
    const result = await this.db
      .updateTable('handoff_sessions')
      .set((eb) => ({
        form_nonce: update.nonce,
        claimed_at: null,
        version: eb('version', '+', 1),
        ...(update.state !== undefined ? { state: update.state } : {}),
        ...(update.completedAt !== undefined ? { completed_at: update.completedAt } : {}),
      }))
      .where('id', '=', id)
      .$if(update.state === undefined, (qb) => qb.where('form_nonce', 'is', null))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A claim older than `before` (its request died mid-way): the session gets a fresh nonce so its pages work again. */
  async recoverStaleClaim(id: string, before: number, nonce: string): Promise<boolean> {
    const result = await this.db
      .updateTable('handoff_sessions')
      .set({ form_nonce: nonce, claimed_at: null })
      .where('id', '=', id)
      .where('form_nonce', 'is', null)
      .where('claimed_at', '<', before)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Forgets sessions that expired before `before` (their pages then say they are gone). */
  async purgeExpired(before: number): Promise<number> {
    const result = await this.db.deleteFrom('handoff_sessions').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
