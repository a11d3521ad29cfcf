import { sql, type Kysely } from 'kysely';
import { decodeChallenge, encodeChallenge, encodeChallengePatch } from './codecs/challenges-codec.ts';
import type { ChallengeRow, ChallengesTable, ChallengeStatus, Database } from './schema.ts';

const decodeOne = (row: ChallengesTable | undefined): ChallengeRow | undefined => row && decodeChallenge(row);

/**
 * Challenges (`YC`). Every state change is one conditional UPDATE (`WHERE status = 'pending'`),
 * so concurrent responses can never approve twice or lose a counted attempt.
 */
export class ChallengesStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: ChallengeRow): Promise<void> {
    await this.db.insertInto('challenges').values(encodeChallenge(row)).execute();
  }

  async find(entitySid: string, sid: string): Promise<ChallengeRow | undefined> {
    return decodeOne(await this.db.selectFrom('challenges').selectAll().where('sid', '=', sid).where('entity_sid', '=', entitySid).executeTakeFirst());
  }

  async list(entitySid: string, filter: { factorSid?: string | undefined; status?: string | undefined; order: 'asc' | 'desc' }, limit: number, offset: number): Promise<ChallengeRow[]> {
    let query = this.db.selectFrom('challenges').selectAll().where('entity_sid', '=', entitySid);
    if (filter.factorSid !== undefined) query = query.where('factor_sid', '=', filter.factorSid);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    return (await query.orderBy('date_created', filter.order).orderBy('sid', filter.order).limit(limit).offset(offset).execute()).map(decodeChallenge);
  }

  /** Challenges of one factor type for the entity created after `since` (the push-fatigue and voiceprint caps). */
  async countSince(entitySid: string, factorType: string, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('challenges')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('entity_sid', '=', entitySid)
      .where('factor_type', '=', factorType)
      .where('date_created', '>', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** When the entity last had a challenge approved, or undefined. */
  async lastApproval(entitySid: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('challenges')
      .select((eb) => eb.fn.max('date_responded').as('last'))
      .where('entity_sid', '=', entitySid)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    return row?.last === null || row?.last === undefined ? undefined : Number(row.last);
  }

  /** The factor's challenges, newest first, optionally only those with `status`. */
  async listForFactor(factorSid: string, status: string | undefined, limit: number): Promise<ChallengeRow[]> {
    let query = this.db.selectFrom('challenges').selectAll().where('factor_sid', '=', factorSid);
    if (status !== undefined) query = query.where('status', '=', status);
    return (await query.orderBy('date_created', 'desc').orderBy('sid', 'desc').limit(limit).execute()).map(decodeChallenge);
  }

  /** Records the first delivery of pending challenges to the device. */
  async markDelivered(sids: string[], now: number): Promise<void> {
    if (sids.length === 0) return;
    await this.db.updateTable('challenges').set({ date_delivered: now }).where('sid', 'in', sids).where('status', '=', 'pending').where('date_delivered', 'is', null).execute();
  }

  /**
   * Counts one re-send of a pending push challenge (one atomic UPDATE, so concurrent re-sends on
   * different nodes each count); the row after it, or undefined if it is no longer pending.
   */
  async countNotification(sid: string): Promise<ChallengeRow | undefined> {
    return decodeOne(
      await this.db
        .updateTable('challenges')
        .set({ notification_seq: sql`notification_seq + 1` })
        .where('sid', '=', sid)
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst(),
    );
  }

  async findBySid(sid: string): Promise<ChallengeRow | undefined> {
    return decodeOne(await this.db.selectFrom('challenges').selectAll().where('sid', '=', sid).executeTakeFirst());
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
    return decodeOne(
      await this.db
        .updateTable('challenges')
        .set({ attempts: sql`attempts + 1`, date_updated: now })
        .where('sid', '=', sid)
        .where('status', '=', 'pending')
        .where('attempts', '<', max)
        .where('expiration_date', '>', now)
        .returningAll()
        .executeTakeFirst(),
    );
  }

  /** Moves a challenge from `pending` to `status`; undefined if it was no longer pending. */
  async completePending(sid: string, status: ChallengeStatus, now: number, extra: Omit<Partial<ChallengeRow>, 'status'> = {}): Promise<ChallengeRow | undefined> {
    return decodeOne(
      await this.db
        .updateTable('challenges')
        .set({ ...encodeChallengePatch(extra), status, date_updated: now })
        .where('sid', '=', sid)
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst(),
    );
  }
}
