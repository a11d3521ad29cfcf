import { sql, type Kysely, type Updateable } from 'kysely';
import type { ChallengeRow, Database } from './schema.ts';

/**
 * Challenges (`YC`). Every state change is one conditional UPDATE (`WHERE status = 'pending'`),
 * so concurrent responses can never approve twice or lose a counted attempt.
 */
export class ChallengesStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: ChallengeRow): Promise<void> {
    await this.db.insertInto('challenges').values(row).execute();
  }

  async find(entitySid: string, sid: string): Promise<ChallengeRow | undefined> {
    return this.db.selectFrom('challenges').selectAll().where('sid', '=', sid).where('entity_sid', '=', entitySid).executeTakeFirst();
  }

  async list(entitySid: string, filter: { factorSid?: string | undefined; status?: string | undefined; order: 'asc' | 'desc' }, limit: number, offset: number): Promise<ChallengeRow[]> {
    let query = this.db.selectFrom('challenges').selectAll().where('entity_sid', '=', entitySid);
    if (filter.factorSid !== undefined) query = query.where('factor_sid', '=', filter.factorSid);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    return query.orderBy('date_created', filter.order).orderBy('sid', filter.order).limit(limit).offset(offset).execute();
  }

  /** Marks the entity's pending challenges whose expiration date has passed as `expired`. */
  async expireDue(entitySid: string, now: number): Promise<void> {
    await this.db
      .updateTable('challenges')
      .set({ status: 'expired', date_updated: now })
      .where('entity_sid', '=', entitySid)
      .where('status', '=', 'pending')
      .where('expiration_date', '<=', now)
      .execute();
  }

  /** Counts one response if the challenge is still pending, unexpired and under `max` attempts. */
  async countAttempt(sid: string, now: number, max: number): Promise<ChallengeRow | undefined> {
    return this.db
      .updateTable('challenges')
      .set({ attempts: sql`attempts + 1`, date_updated: now })
      .where('sid', '=', sid)
      .where('status', '=', 'pending')
      .where('attempts', '<', max)
      .where('expiration_date', '>', now)
      .returningAll()
      .executeTakeFirst();
  }

  /** Moves a challenge from `pending` to `status`; undefined if it was no longer pending. */
  async completePending(sid: string, status: string, now: number, extra: Updateable<ChallengeRow> = {}): Promise<ChallengeRow | undefined> {
    return this.db
      .updateTable('challenges')
      .set({ ...extra, status, date_updated: now })
      .where('sid', '=', sid)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
  }
}
