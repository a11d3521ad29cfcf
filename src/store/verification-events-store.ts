import { sql, type Kysely } from 'kysely';
import { decodeVerificationEvent, eventData } from './codecs/verification-events-codec.ts';
import type { Database, VerificationEventRow, VerificationEventsTable } from './schema.ts';
import { adHoc, type Steps } from './steps.ts';

/**
 * A verification's progress events. Sequence numbers come from a counter on the verification row,
 * incremented by one UPDATE: the row lock hands them out uniquely and in commit order per
 * verification, on SQLite and PostgreSQL.
 */
export class VerificationEventsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async append(verificationSid: string, event: string, callSid: string | null, data: Record<string, unknown>, now: number): Promise<VerificationEventRow> {
    const counter = await this.db
      .updateTable('verifications')
      .set({ progress_seq: sql`progress_seq + 1` })
      .where('sid', '=', verificationSid)
      .returning('progress_seq')
      .executeTakeFirstOrThrow();
    const row: VerificationEventsTable = { verification_sid: verificationSid, sequence: counter.progress_seq, event, call_sid: callSid, data: eventData.encode(data), date_created: now };
    await this.db.insertInto('verification_events').values(row).execute();
    // Read back as stored (what a stream that reconnects gets from listAfter), not the caller's object.
    return decodeVerificationEvent(row);
  }

  async listAfter(verificationSid: string, sequence: number): Promise<VerificationEventRow[]> {
    return (await this.db.selectFrom('verification_events').selectAll().where('verification_sid', '=', verificationSid).where('sequence', '>', sequence).orderBy('sequence').execute()).map(decodeVerificationEvent);
  }
}

/** Progress events as steps of a transaction (src/store/steps.ts). */
export const verificationEventSteps = {
  /** VerificationEventsStore.append as steps. */
  *append(verificationSid: string, event: string, callSid: string | null, data: Record<string, unknown>, now: number): Steps<VerificationEventRow> {
    const { rows } = yield* adHoc((db) => db.updateTable('verifications').set({ progress_seq: sql`progress_seq + 1` }).where('sid', '=', verificationSid).returning('progress_seq'));
    const [counter] = rows;
    if (!counter) throw new Error(`no verification ${verificationSid} to append a progress event to`);
    const row: VerificationEventsTable = { verification_sid: verificationSid, sequence: counter.progress_seq, event, call_sid: callSid, data: eventData.encode(data), date_created: now };
    yield* adHoc((db) => db.insertInto('verification_events').values(row));
    return decodeVerificationEvent(row);
  },
};
