import type { Kysely } from 'kysely';
import type { Database, WebhookDeliveryRow } from './schema.ts';

/** A delivery due to be sent, with its event and its webhook (null columns: the webhook was deleted). */
export interface DueDelivery {
  sid: string;
  attempts: number;
  webhook_sid: string;
  event_sid: string;
  event_type: string;
  account_sid: string;
  service_sid: string;
  /** The event's resource, parsed (`events.payload` is JSON text). */
  payload: unknown;
  event_created: number;
  webhook_url: string | null;
  webhook_status: string | null;
  secret_sealed: string | null;
  /** `twilio` or `verity` (webhooks.format), and the payload version (`v1`/`v2`). */
  webhook_format: string | null;
  webhook_version: string | null;
  /** The account's sealed auth token, which keys X-Twilio-Signature (null on accounts older than sealed tokens). */
  auth_token_sealed: string | null;
}

/** What a delivery attempt writes besides its attempts counter and the released lease. */
export type DeliveryOutcome = Pick<Partial<WebhookDeliveryRow>, 'status' | 'next_attempt_at' | 'last_status_code' | 'last_error'>;

/**
 * The outbox's deliveries (`webhook_deliveries`). A delivery is claimed with a conditional UPDATE of
 * `lease_until` and settled only while that lease is still the claimer's (fencing), so processes
 * sharing a database never send the same row at once.
 */
export class WebhookDeliveriesStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Pending deliveries due at `now` and not leased, oldest due first. */
  async due(now: number, limit: number): Promise<DueDelivery[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('events as e', 'e.sid', 'd.event_sid')
      .leftJoin('webhooks as w', 'w.sid', 'd.webhook_sid')
      .leftJoin('accounts as a', 'a.sid', 'e.account_sid')
      .select([
        'd.sid',
        'd.attempts',
        'd.webhook_sid',
        'e.sid as event_sid',
        'e.type as event_type',
        'e.account_sid',
        'e.service_sid',
        'e.payload',
        'e.date_created as event_created',
        'w.webhook_url',
        'w.status as webhook_status',
        'w.secret_sealed',
        'w.format as webhook_format',
        'w.version as webhook_version',
        'a.auth_token_sealed',
      ])
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where('d.lease_until', '<=', now)
      .orderBy('d.next_attempt_at', 'asc')
      .limit(limit)
      .execute();
    // Any JSON value: the event's resource is sent on as it was recorded.
    return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) }));
  }

  /** Leases a pending delivery until `leaseUntil`; only one process can move it past `now`, the others get false. */
  async claim(sid: string, now: number, leaseUntil: number): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ lease_until: leaseUntil, date_updated: now })
      .where('sid', '=', sid)
      .where('status', '=', 'pending')
      .where('lease_until', '<=', now)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Records an attempt and releases the lease, only if the lease is still `leaseUntil` (it may have expired and been re-claimed). */
  async settle(sid: string, leaseUntil: number, outcome: DeliveryOutcome, attempts: number, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ ...outcome, attempts, lease_until: 0, date_updated: now })
      .where('sid', '=', sid)
      .where('lease_until', '=', leaseUntil)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * A failed delivery of one of this account's services goes back to the queue with a fresh attempt
   * budget (the dispatcher's usual backoff applies from here); false if it is not this service's or
   * not failed.
   */
  async retryFailed(accountSid: string, serviceSid: string, deliverySid: string, now: number): Promise<boolean> {
    const owned = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.sid', 'd.webhook_sid')
      .select('d.sid')
      .where('d.sid', '=', deliverySid)
      .where('w.account_sid', '=', accountSid)
      .where('w.service_sid', '=', serviceSid)
      .executeTakeFirst();
    if (!owned) return false;
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_until: 0, date_updated: now })
      .where('sid', '=', deliverySid)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
