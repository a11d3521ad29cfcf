import { z } from 'zod';
import type { Kysely } from 'kysely';
import { decodeCall } from './codecs/calls-codec.ts';
import { jsonColumn } from './codecs/column.ts';
import type { CallRow, Database, FactorCallEventRow, FactorCallEventsTable } from './schema.ts';

const eventData = jsonColumn('factor_call_events.data', z.record(z.string(), z.unknown()));

const decode = (row: FactorCallEventsTable): FactorCallEventRow => ({ ...row, data: eventData.decode(row.data) });

/**
 * The progress events of calls placed for a factor (migration 0033). Sequence numbers are the
 * call's highest plus one: callers append inside a transaction that has locked the call's row
 * (CallsStore.findForUpdate), so they are unique and in commit order per call, on SQLite and
 * PostgreSQL alike (the primary key refuses a duplicate should a caller forget).
 */
export class FactorCallEventsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async append(callSid: string, event: string, data: Record<string, unknown>, now: number): Promise<FactorCallEventRow> {
    const top = await this.db.selectFrom('factor_call_events').select((eb) => eb.fn.max('sequence').as('top')).where('call_sid', '=', callSid).executeTakeFirst();
    const row: FactorCallEventsTable = { call_sid: callSid, sequence: Number(top?.top ?? 0) + 1, event, data: eventData.encode(data), date_created: now };
    await this.db.insertInto('factor_call_events').values(row).execute();
    // Read back as stored (what a reconnecting stream gets from listAfter), not the caller's object.
    return decode(row);
  }

  async listAfter(callSid: string, sequence: number): Promise<FactorCallEventRow[]> {
    return (await this.db.selectFrom('factor_call_events').selectAll().where('call_sid', '=', callSid).where('sequence', '>', sequence).orderBy('sequence').execute()).map(decode);
  }

  /** The newest call placed for a factor (enrolment: `challengeSid` null) or for one of its challenges. */
  async latestCall(factorSid: string, challengeSid: string | null): Promise<CallRow | undefined> {
    let query = this.db.selectFrom('calls').selectAll().where('factor_sid', '=', factorSid).where('verification_sid', 'is', null);
    query = challengeSid === null ? query.where('challenge_sid', 'is', null) : query.where('challenge_sid', '=', challengeSid);
    const row = await query.orderBy('date_created', 'desc').orderBy('sid', 'desc').limit(1).executeTakeFirst();
    return row && decodeCall(row);
  }

  /** The calls of a challenge, oldest first (its stream relays their progress). */
  async callsOfChallenge(challengeSid: string): Promise<CallRow[]> {
    return (await this.db.selectFrom('calls').selectAll().where('challenge_sid', '=', challengeSid).orderBy('date_created').orderBy('sid').execute()).map(decodeCall);
  }
}
