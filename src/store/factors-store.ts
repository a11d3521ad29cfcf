import { sql, type Kysely } from 'kysely';
import { decodeFactor, encodeFactor, encodeFactorPatch } from './codecs/factors-codec.ts';
import type { Database, FactorRow, FactorsTable } from './schema.ts';

const decodeOne = (row: FactorsTable | undefined): FactorRow | undefined => row && decodeFactor(row);

/**
 * Factors (`YF`). Single-use TOTP steps are consumed with one conditional UPDATE, so of two
 * concurrent uses of one time step at most one succeeds.
 */
export class FactorsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: FactorRow): Promise<void> {
    await this.db.insertInto('factors').values(encodeFactor(row)).execute();
  }

  async find(entitySid: string, sid: string): Promise<FactorRow | undefined> {
    return decodeOne(await this.db.selectFrom('factors').selectAll().where('sid', '=', sid).where('entity_sid', '=', entitySid).executeTakeFirst());
  }

  /** A factor by SID alone (device calls name only their factor). */
  async findBySid(sid: string): Promise<FactorRow | undefined> {
    return decodeOne(await this.db.selectFrom('factors').selectAll().where('sid', '=', sid).executeTakeFirst());
  }

  /** Marks an unverified factor verified (with `patch`, e.g. its final binding); undefined if it already was (or is gone). */
  async verify(sid: string, now: number, patch: Omit<Partial<FactorRow>, 'status' | 'date_updated'> = {}): Promise<FactorRow | undefined> {
    return decodeOne(await this.db.updateTable('factors').set({ ...encodeFactorPatch(patch), status: 'verified', date_updated: now }).where('sid', '=', sid).where('status', '=', 'unverified').returningAll().executeTakeFirst());
  }

  async list(entitySid: string, limit: number, offset: number): Promise<FactorRow[]> {
    return (await this.db.selectFrom('factors').selectAll().where('entity_sid', '=', entitySid).orderBy('date_created').orderBy('sid').limit(limit).offset(offset).execute()).map(decodeFactor);
  }

  async update(sid: string, patch: Partial<FactorRow>): Promise<FactorRow | undefined> {
    return decodeOne(await this.db.updateTable('factors').set(encodeFactorPatch(patch)).where('sid', '=', sid).returningAll().executeTakeFirst());
  }

  /**
   * Records `step` as used if no step at or after it was used before; false if another request
   * already used it (or a later one). `extra` is applied in the same statement.
   */
  async consumeStep(sid: string, step: number, now: number, extra: Partial<FactorRow> = {}): Promise<FactorRow | undefined> {
    return decodeOne(await this.db
      .updateTable('factors')
      .set({ ...encodeFactorPatch(extra), last_used_step: step, date_updated: now })
      .where('sid', '=', sid)
      .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
      .returningAll()
      .executeTakeFirst());
  }

  /** Counts one wrong verification code if the factor is unverified and under `max`; undefined otherwise. */
  async countVerifyAttempt(sid: string, now: number, max: number): Promise<FactorRow | undefined> {
    return decodeOne(await this.db
      .updateTable('factors')
      .set({ verify_attempts: sql`verify_attempts + 1`, date_updated: now })
      .where('sid', '=', sid)
      .where('status', '=', 'unverified')
      .where('verify_attempts', '<', max)
      .returningAll()
      .executeTakeFirst());
  }

  /** Records that the factor just proved a sign-in (`date_last_used`, migration 0031); never moves it back. */
  async markUsed(sid: string, now: number): Promise<void> {
    await this.db
      .updateTable('factors')
      .set({ date_last_used: now })
      .where('sid', '=', sid)
      .where((eb) => eb.or([eb('date_last_used', 'is', null), eb('date_last_used', '<', now)]))
      .execute();
  }

  /** Deletes the factor; its challenges go with it (ON DELETE CASCADE). */
  async delete(sid: string): Promise<void> {
    await this.db.deleteFrom('factors').where('sid', '=', sid).execute();
  }

  /** Factors still unverified that were created before `cutoff`, oldest first. */
  async findUnverifiedBefore(cutoff: number, limit: number): Promise<FactorRow[]> {
    return (await this.db.selectFrom('factors').selectAll().where('status', '=', 'unverified').where('date_created', '<', cutoff).orderBy('date_created').limit(limit).execute()).map(decodeFactor);
  }

  /** Deletes the factor only if it is still unverified (it may have been verified meanwhile); the deleted row, if any. */
  async deleteIfUnverified(sid: string): Promise<FactorRow | undefined> {
    return decodeOne(await this.db.deleteFrom('factors').where('sid', '=', sid).where('status', '=', 'unverified').returningAll().executeTakeFirst());
  }
}
