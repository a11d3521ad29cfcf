import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect.ts';
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

/** One attempt to record: the delivery, its claim's token, the outcome and the attempts so far. */
export interface DeliverySettle {
  sid: string;
  token: string;
  outcome: DeliveryOutcome;
  attempts: number;
}

/** An endpoint (webhook) with pending deliveries, and its shared circuit breaker. */
export interface ReadyEndpoint {
  webhook_sid: string;
  /** Consecutive openings of the breaker (0: closed); sets the next cool-down. */
  breaker_failures: number;
  /** Until when the breaker is open (ms); nothing is claimed for the endpoint before. */
  breaker_open_until: number;
}

const DUE_COLUMNS = [
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
] as const;

/**
 * The outbox's deliveries (`webhook_deliveries`), one queue per webhook (endpoint). A claim takes,
 * in one statement, the due heads of an endpoint's queue — per subject only its oldest pending
 * delivery, so a verification's `pending` is sent (or finally fails) before its `approved` — and
 * stamps them with a lease and a claim token; PostgreSQL skips rows another node is claiming
 * (`FOR UPDATE SKIP LOCKED`), SQLite has one writer. A settle writes only while the row still
 * carries its token (fencing), so a delivery whose lease expired and was re-claimed is not
 * overwritten by its first sender.
 */
export class WebhookDeliveriesStore {
  private readonly postgres: boolean;

  constructor(private readonly db: Kysely<Database>) {
    this.postgres = dialectOf(db) === 'postgres';
  }

  /**
   * Endpoints whose earliest pending delivery is due at `now`, with their breaker. A loose index scan
   * over the partial index of pending rows: one index probe per endpoint, however long its backlog.
   */
  async readyEndpoints(now: number, limit: number): Promise<ReadyEndpoint[]> {
    const { rows } = await sql<ReadyEndpoint>`
      WITH RECURSIVE r(webhook_sid) AS (
        SELECT * FROM (SELECT d.webhook_sid FROM webhook_deliveries d WHERE d.status = 'pending' ORDER BY d.webhook_sid LIMIT 1) AS first
        UNION ALL
        SELECT (SELECT d.webhook_sid FROM webhook_deliveries d WHERE d.status = 'pending' AND d.webhook_sid > r.webhook_sid ORDER BY d.webhook_sid LIMIT 1)
        FROM r WHERE r.webhook_sid IS NOT NULL
      )
      SELECT r.webhook_sid, coalesce(w.breaker_failures, 0) AS breaker_failures, coalesce(w.breaker_open_until, 0) AS breaker_open_until
      FROM r LEFT JOIN webhooks w ON w.sid = r.webhook_sid
      WHERE r.webhook_sid IS NOT NULL
        AND (SELECT d.next_attempt_at FROM webhook_deliveries d WHERE d.status = 'pending' AND d.webhook_sid = r.webhook_sid ORDER BY d.next_attempt_at LIMIT 1) <= ${now}
      LIMIT ${limit}`.execute(this.db);
    return rows.map((row) => ({ webhook_sid: row.webhook_sid, breaker_failures: Number(row.breaker_failures), breaker_open_until: Number(row.breaker_open_until) }));
  }

  /**
   * Leases up to `limit` due deliveries of one endpoint until `leaseUntil` under `token`, each the
   * head of its subject (no earlier pending delivery of the same subject to this endpoint, leased or
   * not); returns them with their event and webhook, oldest due first.
   */
  async claim(webhookSid: string, now: number, limit: number, leaseUntil: number, token: string): Promise<DueDelivery[]> {
    const heads = sql`
      SELECT d.sid FROM webhook_deliveries d
      WHERE d.webhook_sid = ${webhookSid} AND d.status = 'pending' AND d.next_attempt_at <= ${now} AND d.lease_until <= ${now}
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                        WHERE p.webhook_sid = d.webhook_sid AND p.subject_sid = d.subject_sid AND p.status = 'pending' AND p.order_key < d.order_key)
      ORDER BY d.next_attempt_at
      LIMIT ${limit}`;
    const claimed = this.postgres
      ? await sql<{ sid: string }>`
          WITH picked AS (${heads} FOR UPDATE SKIP LOCKED)
          UPDATE webhook_deliveries w SET lease_until = ${leaseUntil}, claim_token = ${token}, date_updated = ${now}
          FROM picked WHERE w.sid = picked.sid RETURNING w.sid`.execute(this.db)
      : await sql<{ sid: string }>`
          UPDATE webhook_deliveries SET lease_until = ${leaseUntil}, claim_token = ${token}, date_updated = ${now}
          WHERE sid IN (${heads}) RETURNING sid`.execute(this.db);
    if (claimed.rows.length === 0) return [];
    return this.load(claimed.rows.map((row) => row.sid));
  }

  /** The deliveries `sids` with their event and webhook (null webhook columns: it was deleted), oldest due first. */
  private async load(sids: string[]): Promise<DueDelivery[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('events as e', 'e.sid', 'd.event_sid')
      .leftJoin('webhooks as w', 'w.sid', 'd.webhook_sid')
      .leftJoin('accounts as a', 'a.sid', 'e.account_sid')
      .select(DUE_COLUMNS)
      .where('d.sid', 'in', sids)
      .orderBy('d.next_attempt_at', 'asc')
      .execute();
    // Any JSON value: the event's resource is sent on as it was recorded.
    return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) }));
  }

  /**
   * Records attempts and releases their leases in one statement, each only if its row still carries
   * its claim's token (it may have expired and been re-claimed); returns the sids written.
   */
  async settle(settles: readonly DeliverySettle[], now: number): Promise<Set<string>> {
    if (settles.length === 0) return new Set();
    // PostgreSQL cannot infer the types of bare VALUES parameters; SQLite ignores the casts' meaning.
    const [text, int, big] = this.postgres ? [sql`::text`, sql`::integer`, sql`::bigint`] : [sql``, sql``, sql``];
    const values = sql.join(
      settles.map(
        (x) =>
          sql`(${x.sid}${text}, ${x.token}${text}, ${x.outcome.status ?? null}${text}, ${x.attempts}${int}, ${x.outcome.next_attempt_at ?? null}${big}, ${x.outcome.last_status_code ?? null}${int}, ${x.outcome.last_error ?? null}${text})`,
      ),
    );
    const set = sql`status = coalesce(v.status, webhook_deliveries.status), attempts = v.attempts,
      next_attempt_at = coalesce(v.next_attempt_at, webhook_deliveries.next_attempt_at),
      last_status_code = v.last_status_code, last_error = v.last_error, lease_until = 0, claim_token = NULL, date_updated = ${now}`;
    const { rows } = this.postgres
      ? await sql<{ sid: string }>`
          UPDATE webhook_deliveries SET ${set}
          FROM (VALUES ${values}) AS v(sid, token, status, attempts, next_attempt_at, last_status_code, last_error)
          WHERE webhook_deliveries.sid = v.sid AND webhook_deliveries.claim_token = v.token RETURNING webhook_deliveries.sid`.execute(this.db)
      : await sql<{ sid: string }>`
          WITH v(sid, token, status, attempts, next_attempt_at, last_status_code, last_error) AS (VALUES ${values})
          UPDATE webhook_deliveries SET ${set}
          FROM v WHERE webhook_deliveries.sid = v.sid AND webhook_deliveries.claim_token = v.token RETURNING webhook_deliveries.sid`.execute(this.db);
    return new Set(rows.map((row) => row.sid));
  }

  /** Gives claimed, unsettled deliveries back (a dispatcher stopping): any node may send them at once, no attempt counted. */
  async release(claims: readonly { sid: string; token: string }[]): Promise<void> {
    if (claims.length === 0) return;
    await this.db
      .updateTable('webhook_deliveries')
      .set({ lease_until: 0, claim_token: null })
      .where('sid', 'in', claims.map((c) => c.sid))
      .where('claim_token', 'in', [...new Set(claims.map((c) => c.token))])
      .execute();
  }

  /** Opens an endpoint's breaker until `openUntil` unless another node already did; `openings` = consecutive openings so far. */
  async openBreaker(webhookSid: string, openings: number, openUntil: number, now: number): Promise<boolean> {
    const { numAffectedRows } = await sql`UPDATE webhooks SET breaker_failures = ${openings}, breaker_open_until = ${openUntil} WHERE sid = ${webhookSid} AND breaker_open_until <= ${now}`.execute(this.db);
    return numAffectedRows === 1n;
  }

  /** Closes an endpoint's breaker after a successful delivery (written only if it was not closed). */
  async closeBreaker(webhookSid: string): Promise<void> {
    await sql`UPDATE webhooks SET breaker_failures = 0, breaker_open_until = 0 WHERE sid = ${webhookSid} AND (breaker_failures <> 0 OR breaker_open_until <> 0)`.execute(this.db);
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
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_until: 0, claim_token: null, date_updated: now })
      .where('sid', '=', deliverySid)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
