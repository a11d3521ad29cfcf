import { sql, type Kysely } from 'kysely';
import { decodeDeliveryAttempt, encodeDeliveryAttempt, encodeDeliveryAttemptPatch } from './codecs/delivery-attempts-codec.ts';
import { prepared } from './prepared.ts';
import type { Database, DeliveryAttemptRow, DeliveryAttemptStatus, DeliveryAttemptsTable, FailoverReason } from './schema.ts';
import { casUpdate, insertRow } from './shaped-statements.ts';

const decodeOne = (row: DeliveryAttemptsTable | undefined): DeliveryAttemptRow | undefined => row && decodeDeliveryAttempt(row);

// Every send writes these (compiled once: building them per call cost more than running them on SQLite).
const findQuery = prepared((db, sid: string) => db.selectFrom('delivery_attempts').selectAll().where('sid', '=', sid));
const updateQuery = casUpdate('delivery_attempts', 'sid');
const addMessageIdQuery = prepared((db, provider: string, messageId: string, attemptSid: string) =>
  db
    .insertInto('delivery_message_ids')
    .values([{ provider, message_id: messageId, attempt_sid: attemptSid }])
    .onConflict((oc) => oc.columns(['provider', 'message_id']).doUpdateSet({ attempt_sid: attemptSid })),
);

/** What a status change may write (the version and lease are the store's). */
export type DeliveryAttemptPatch = Omit<Partial<DeliveryAttemptRow>, 'sid' | 'version' | 'lease_until'>;

/**
 * Delivery attempts (`DA`, migration 0013): one per message handed to one provider instance. Every
 * change is a compare-and-swap on `version`, so two receipts for one attempt arriving on two nodes
 * cannot lose one another's history; the failover sweeper claims due attempts with a lease
 * (`lease_until`, as the webhook outbox does) and a failover is taken once (`failover_reason` set
 * only while null), so several nodes never fail one attempt over twice.
 */
export class DeliveryAttemptsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: DeliveryAttemptRow): Promise<void> {
    await insertRow(this.db, 'delivery_attempts', encodeDeliveryAttempt(row));
  }

  async find(sid: string): Promise<DeliveryAttemptRow | undefined> {
    return decodeOne((await findQuery(this.db, sid))[0]);
  }

  /** The attempt a carrier's id names (its message id or any part's id) under one provider instance. */
  async findByMessageId(provider: string, messageId: string): Promise<DeliveryAttemptRow | undefined> {
    return decodeOne(
      await this.db
        .selectFrom('delivery_message_ids as m')
        .innerJoin('delivery_attempts as a', 'a.sid', 'm.attempt_sid')
        .selectAll('a')
        .where('m.provider', '=', provider)
        .where('m.message_id', '=', messageId)
        .executeTakeFirst(),
    );
  }

  /** Records the ids a carrier may report `attemptSid` by; an id seen before now names this (newer) attempt. */
  async addMessageIds(provider: string, attemptSid: string, messageIds: readonly string[]): Promise<void> {
    const unique = [...new Set(messageIds)];
    if (unique.length === 0) return;
    if (unique.length === 1) {
      await addMessageIdQuery(this.db, provider, unique[0] as string, attemptSid);
      return;
    }
    await this.db
      .insertInto('delivery_message_ids')
      .values(unique.map((message_id) => ({ provider, message_id, attempt_sid: attemptSid })))
      .onConflict((oc) => oc.columns(['provider', 'message_id']).doUpdateSet({ attempt_sid: attemptSid }))
      .execute();
  }

  /** Every attempt of one verification, oldest first. */
  async listForVerification(verificationSid: string): Promise<DeliveryAttemptRow[]> {
    return this.listForVerifications([verificationSid]);
  }

  /** Every attempt of these verifications, oldest first (one query for a page of resources). */
  async listForVerifications(verificationSids: readonly string[]): Promise<DeliveryAttemptRow[]> {
    if (verificationSids.length === 0) return [];
    const rows = await this.db
      .selectFrom('delivery_attempts')
      .selectAll()
      .where('verification_sid', 'in', [...verificationSids])
      .orderBy('date_created')
      .orderBy('route_position')
      .execute();
    return rows.map(decodeDeliveryAttempt);
  }

  /** Every attempt of one send (`VL…`), in plan order. */
  async listForSend(sendAttemptSid: string): Promise<DeliveryAttemptRow[]> {
    return (await this.db.selectFrom('delivery_attempts').selectAll().where('send_attempt_sid', '=', sendAttemptSid).orderBy('route_position').execute()).map(decodeDeliveryAttempt);
  }

  /** Applies `patch` only if the attempt is still at `version`; the updated attempt, or undefined when it changed meanwhile (read it again). */
  async update(sid: string, version: number, patch: DeliveryAttemptPatch): Promise<DeliveryAttemptRow | undefined> {
    return decodeOne((await updateQuery(this.db, { ...encodeDeliveryAttemptPatch(patch), version: version + 1 }, sid, version))[0]);
  }

  /**
   * Takes the failover of `sid` for `reason`: true for exactly one caller (a receipt and the
   * time-out sweeper racing, on any node), which then sends to the next route; only while the
   * attempt's status is one of `from` (a `delivered` that won the race is never failed over). Clears
   * the deadline and the lease.
   */
  async takeFailover(sid: string, reason: FailoverReason, from: readonly DeliveryAttemptStatus[], now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('delivery_attempts')
      .set((eb) => ({ failover_reason: reason, deliver_by: null, lease_until: 0, date_updated: now, version: eb('version', '+', 1) }))
      .where('sid', '=', sid)
      .where('failover_reason', 'is', null)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * How the attempts created since `since` ended so far (the newest `limit`), for the routers'
   * circuit breakers to rebuild their windows at boot (src/messaging/routing/).
   */
  async recentOutcomes(since: number, limit: number): Promise<Pick<DeliveryAttemptRow, 'provider' | 'channel' | 'destination_country' | 'status' | 'failover_reason' | 'date_final' | 'date_updated'>[]> {
    const rows = await this.db
      .selectFrom('delivery_attempts')
      .select(['provider', 'channel', 'destination_country', 'status', 'failover_reason', 'date_final', 'date_updated'])
      .where('date_created', '>=', since)
      .orderBy('date_created', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ ...row, status: row.status as DeliveryAttemptStatus, failover_reason: row.failover_reason as FailoverReason | null }));
  }

  /** Attempts whose delivery deadline passed and that nobody holds, earliest first. */
  async due(now: number, limit: number): Promise<DeliveryAttemptRow[]> {
    const rows = await this.db
      .selectFrom('delivery_attempts')
      .selectAll()
      .where('deliver_by', '<=', now)
      .where('lease_until', '<=', now)
      .orderBy('deliver_by')
      .limit(limit)
      .execute();
    return rows.map(decodeDeliveryAttempt);
  }

  /** The earliest delivery deadline nobody holds at `now` (maybe already due), if any: the sweeper's next fast-path wake-up. */
  async nextDeadline(now: number): Promise<number | undefined> {
    const row = await this.db.selectFrom('delivery_attempts').select((eb) => eb.fn.min('deliver_by').as('at')).where('deliver_by', 'is not', null).where('lease_until', '<=', now).executeTakeFirst();
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }

  /** Leases a due attempt until `leaseUntil`; only one process gets true. */
  async claim(sid: string, now: number, leaseUntil: number): Promise<boolean> {
    const result = await this.db
      .updateTable('delivery_attempts')
      .set({ lease_until: leaseUntil })
      .where('sid', '=', sid)
      .where('deliver_by', '<=', now)
      .where('lease_until', '<=', now)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Gives a lease back (clearing the deadline: nothing is left to do), only if it is still `leaseUntil`. */
  async release(sid: string, leaseUntil: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('delivery_attempts')
      .set((eb) => ({ lease_until: 0, deliver_by: null, date_updated: now, version: eb('version', '+', 1) }))
      .where('sid', '=', sid)
      .where('lease_until', '=', leaseUntil)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Forgets the sealed message of one attempt (it can no longer be needed). */
  async wipeMessage(sid: string, now: number): Promise<void> {
    await this.db
      .updateTable('delivery_attempts')
      .set((eb) => ({ message_sealed: null, date_updated: now, version: eb('version', '+', 1) }))
      .where('sid', '=', sid)
      .where('message_sealed', 'is not', null)
      .execute();
  }

  /**
   * Forgets the sealed messages (and deadlines) of attempts whose verification is no longer pending
   * or has expired: no failover will send them. One statement; answers how many it wiped.
   */
  async wipeEnded(now: number): Promise<number> {
    const ended = this.db
      .selectFrom('verifications')
      .select('sid')
      .where((eb) => eb.or([eb('status', '<>', 'pending'), eb('expires_at', '<=', now)]));
    const result = await this.db
      .updateTable('delivery_attempts')
      .set((eb) => ({ message_sealed: null, deliver_by: null, date_updated: now, version: eb('version', '+', 1) }))
      .where((eb) => eb.or([eb('message_sealed', 'is not', null), eb('deliver_by', 'is not', null)]))
      .where('verification_sid', 'in', ended)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** How many attempts hold a sealed message (for tests and the console: should stay small). */
  async sealedCount(): Promise<number> {
    const row = await this.db.selectFrom('delivery_attempts').select(sql<number>`count(*)`.as('n')).where('message_sealed', 'is not', null).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
