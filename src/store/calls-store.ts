import { sql, type Kysely } from 'kysely';
import { decodeCall, encodeCall, encodeCallPatch } from './codecs/calls-codec.ts';
import { dialectOf } from './dialect.ts';
import type { CallRow, CallsTable, Database } from './schema.ts';

const decodeOne = (row: CallsTable | undefined): CallRow | undefined => row && decodeCall(row);

/** Calls (`CL`). A live call holds `active = 1` (`active: true` in its record); the unique index allows one per destination. */
export class CallsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts a live call; false if the destination already has one (the unique index said no). */
  async insertLive(row: CallRow): Promise<boolean> {
    const r = await this.db
      .insertInto('calls')
      .values(encodeCall(row))
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async find(sid: string): Promise<CallRow | undefined> {
    return decodeOne(await this.db.selectFrom('calls').selectAll().where('sid', '=', sid).executeTakeFirst());
  }

  /** Row-locks the call for the rest of the transaction on PostgreSQL (SQLite serializes anyway). */
  async findForUpdate(sid: string): Promise<CallRow | undefined> {
    const query = this.db.selectFrom('calls').selectAll().where('sid', '=', sid);
    return decodeOne(await (dialectOf(this.db) === 'postgres' ? query.forUpdate() : query).executeTakeFirst());
  }

  async liveFor(destination: string): Promise<CallRow | undefined> {
    return decodeOne(await this.db.selectFrom('calls').selectAll().where('destination', '=', destination).where('active', '=', 1).executeTakeFirst());
  }

  async listForVerification(verificationSid: string): Promise<CallRow[]> {
    return (await this.db.selectFrom('calls').selectAll().where('verification_sid', '=', verificationSid).orderBy('date_created').execute()).map(decodeCall);
  }

  async update(sid: string, patch: Partial<CallRow>): Promise<CallRow | undefined> {
    return decodeOne(await this.db.updateTable('calls').set(encodeCallPatch(patch)).where('sid', '=', sid).returningAll().executeTakeFirst());
  }

  /** Ends a live call; undefined if it had ended already (ends are reported once, even if repeated). */
  async end(sid: string, status: string, reason: string | null, now: number): Promise<CallRow | undefined> {
    return decodeOne(
      await this.db
        .updateTable('calls')
        .set({ status, end_reason: reason, active: null, date_ended: now, date_updated: now })
        .where('sid', '=', sid)
        .where('active', '=', 1)
        .returningAll()
        .executeTakeFirst(),
    );
  }

  /**
   * Live calls not updated since `before`, stalest first: their provider stopped reporting. `active = 1`
   * is a literal so the partial index calls_live_by_update (date_updated) WHERE active = 1 matches it.
   */
  async findStale(before: number, limit: number): Promise<CallRow[]> {
    return (await this.db.selectFrom('calls').selectAll().where('active', '=', sql.lit(1)).where('date_updated', '<', before).orderBy('date_updated').limit(limit).execute()).map(decodeCall);
  }
}
