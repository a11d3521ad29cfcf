import { sql, type Kysely } from 'kysely';
import type { CheckFailureRow, Database, RateBucketRow, ServiceRow, WebhookRow } from './schema.ts';
import { decodeService } from './codecs/services-codec.ts';
import { decodeWebhook } from './codecs/webhooks-codec.ts';

export const DAY_MS = 86_400_000;
export const CHART_DAYS = 14;
const PAGE_SIZE = 50;

export interface VerificationSummary {
  sid: string;
  destination: string;
  channel: string;
  status: string;
  check_attempts: number;
  send_attempts: number;
  date_created: number;
  date_updated: number;
}

export interface DeliverySummary {
  sid: string;
  webhook_sid: string;
  event_type: string;
  resource_sid: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_status_code: number | null;
  last_error: string | null;
  date_created: number;
}

export interface DailyCount {
  channel: string;
  /** Days since the epoch (UTC). */
  day: number;
  count: number;
  approved: number;
}

/**
 * Read-only queries behind the admin console. Every one is scoped to one account (and service),
 * bounded by a LIMIT, and written so it runs unchanged on SQLite and PostgreSQL.
 */
export class AdminQueries {
  constructor(private readonly db: Kysely<Database>) {}

  async services(accountSid: string, page: number): Promise<{ rows: ServiceRow[]; more: boolean }> {
    const rows = await this.db
      .selectFrom('services')
      .selectAll()
      .where('account_sid', '=', accountSid)
      .orderBy('date_created', 'desc')
      .orderBy('sid')
      .limit(PAGE_SIZE + 1)
      .offset(page * PAGE_SIZE)
      .execute();
    return { rows: rows.slice(0, PAGE_SIZE).map(decodeService), more: rows.length > PAGE_SIZE };
  }

  async service(accountSid: string, serviceSid: string): Promise<ServiceRow | undefined> {
    const row = await this.db.selectFrom('services').selectAll().where('account_sid', '=', accountSid).where('sid', '=', serviceSid).executeTakeFirst();
    return row && decodeService(row);
  }

  /**
   * Recent verifications, newest first; `to` matches a destination exactly or as a prefix. The prefix
   * test is `substr(destination, 1, n) = to` rather than LIKE, so `%`, `_` and `\` in `to` are plain text.
   */
  async verifications(accountSid: string, serviceSid: string, to: string | undefined, page: number): Promise<{ rows: VerificationSummary[]; more: boolean }> {
    let query = this.db
      .selectFrom('verifications')
      .select(['sid', 'destination', 'channel', 'status', 'check_attempts', 'send_attempts', 'date_created', 'date_updated'])
      .where('account_sid', '=', accountSid)
      .where('service_sid', '=', serviceSid);
    if (to) query = query.where(sql<string>`substr(destination, 1, ${sql.lit(to.length)})`, '=', to);
    const rows = await query
      .orderBy('date_created', 'desc')
      .orderBy('sid', 'desc')
      .limit(PAGE_SIZE + 1)
      .offset(page * PAGE_SIZE)
      .execute();
    return {
      rows: rows.slice(0, PAGE_SIZE).map((r) => ({ ...r, send_attempts: countAttempts(r.send_attempts) })),
      more: rows.length > PAGE_SIZE,
    };
  }

  async webhooks(accountSid: string, serviceSid: string): Promise<WebhookRow[]> {
    const rows = await this.db
      .selectFrom('webhooks')
      .selectAll()
      .where('account_sid', '=', accountSid)
      .where('service_sid', '=', serviceSid)
      .orderBy('date_created', 'desc')
      .limit(PAGE_SIZE)
      .execute();
    return rows.map(decodeWebhook);
  }

  async deliveries(accountSid: string, serviceSid: string): Promise<DeliverySummary[]> {
    return this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('events as e', 'e.sid', 'd.event_sid')
      .innerJoin('webhooks as w', 'w.sid', 'd.webhook_sid')
      .select(['d.sid', 'd.webhook_sid', 'e.type as event_type', 'e.resource_sid', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_status_code', 'd.last_error', 'd.date_created'])
      .where('w.account_sid', '=', accountSid)
      .where('w.service_sid', '=', serviceSid)
      .orderBy('d.date_created', 'desc')
      .orderBy('d.sid', 'desc')
      .limit(PAGE_SIZE)
      .execute();
  }

  /** Send and prefix buckets of this service with fewer than `below` tokens (as of their last update). */
  async lowBuckets(serviceSid: string, below: number): Promise<RateBucketRow[]> {
    const send = `send:${serviceSid}:`;
    const prefix = `prefix:${serviceSid}:`;
    return this.db
      .selectFrom('rate_buckets')
      .selectAll()
      .where((eb) =>
        eb.or([eb(sql<string>`substr(key, 1, ${sql.lit(send.length)})`, '=', send), eb(sql<string>`substr(key, 1, ${sql.lit(prefix.length)})`, '=', prefix)]),
      )
      .where('tokens', '<', below)
      .orderBy('tokens')
      .limit(PAGE_SIZE)
      .execute();
  }

  /** Destinations of this service with consecutive wrong codes (the check lock-out's state). */
  async checkFailures(serviceSid: string): Promise<CheckFailureRow[]> {
    const prefix = `${serviceSid}:`;
    return this.db
      .selectFrom('check_failures')
      .selectAll()
      .where(sql<string>`substr(key, 1, ${sql.lit(prefix.length)})`, '=', prefix)
      .where('consecutive', '>', 0)
      .orderBy('consecutive', 'desc')
      .limit(PAGE_SIZE)
      .execute();
  }

  /** Verifications per channel per UTC day (and how many of them were approved) from `sinceDay` on. */
  async dailyCounts(accountSid: string, serviceSid: string, sinceDay: number): Promise<DailyCount[]> {
    // bigint / integer is integer division on both databases (dates are positive, so it is floor).
    const day = sql<number>`date_created / ${sql.lit(DAY_MS)}`;
    const rows = await this.db
      .selectFrom('verifications')
      .select([
        'channel',
        day.as('day'),
        sql<number>`count(*)`.as('count'),
        sql<number>`sum(case when status = 'approved' then 1 else 0 end)`.as('approved'),
      ])
      .where('account_sid', '=', accountSid)
      .where('service_sid', '=', serviceSid)
      .where('date_created', '>=', sinceDay * DAY_MS)
      .groupBy(['channel', day])
      .orderBy('channel')
      .limit(CHART_DAYS * 16)
      .execute();
    return rows.map((r) => ({ channel: r.channel, day: Number(r.day), count: Number(r.count), approved: Number(r.approved) }));
  }
}

function countAttempts(json: string): number {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.length : 0;
  } catch {
    return 0;
  }
}
