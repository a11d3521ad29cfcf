import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { CheckFailureRow, Database, DeliveryAttemptRow, RateBucketRow, ServiceRow, WebhookRow } from './schema.ts';
import { decodeDeliveryAttempt } from './codecs/delivery-attempts-codec.ts';
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

/** A verification as its console page shows it. */
export interface VerificationOverview {
  sid: string;
  destination: string;
  channel: string;
  status: string;
  check_attempts: number;
  /** Each send of the code, oldest first (`attempt_sid` is the send's `VL…`). */
  send_attempts: Array<{ time: string; channel: string; attempt_sid: string }>;
  expires_at: number;
  failure_code: number | null;
  voice_flow: string | null;
  date_created: number;
  date_updated: number;
}

/** A delivery attempt as the console shows it: everything but the sealed message and the sweeper's bookkeeping. */
export type AttemptSummary = Omit<DeliveryAttemptRow, 'message_sealed' | 'lease_until' | 'version'>;

/** One attempt's outcome, for the delivery page's rates and latencies. */
export interface AttemptOutcomeRow {
  provider: string;
  destination_country: string | null;
  channel: string;
  status: string;
  failover_reason: string | null;
  date_created: number;
  date_final: number | null;
}

/** Every column of an attempt the console shows (never `message_sealed`, the rendered message with its code). */
const ATTEMPT_COLUMNS = [
  'sid',
  'account_sid',
  'service_sid',
  'verification_sid',
  'send_attempt_sid',
  'channel',
  'destination_country',
  'provider',
  'route_id',
  'route_position',
  'provider_message_id',
  'parts',
  'status',
  'status_history',
  'error_code',
  'error_message',
  'price',
  'price_unit',
  'receipts',
  'deliver_by',
  'failover_reason',
  'date_created',
  'date_updated',
  'date_final',
] as const;

/** The most attempts the delivery page reads for its window (newest first); beyond, it says so. */
const OUTCOMES_LIMIT = 20_000;
/** The most attempts one verification's page lists. */
const ATTEMPTS_LIMIT = 200;

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

  /**
   * The service's newest webhook deliveries: read backwards on webhook_deliveries_by_service
   * (service_sid, date_created), then joined by primary key (the webhook's account is still checked).
   */
  async deliveries(accountSid: string, serviceSid: string): Promise<DeliverySummary[]> {
    return this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('events as e', 'e.sid', 'd.event_sid')
      .innerJoin('webhooks as w', 'w.sid', 'd.webhook_sid')
      .select(['d.sid', 'd.webhook_sid', 'e.type as event_type', 'e.resource_sid', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_status_code', 'd.last_error', 'd.date_created'])
      .where('d.service_sid', '=', serviceSid)
      .where('w.account_sid', '=', accountSid)
      .where('w.service_sid', '=', serviceSid)
      .orderBy('d.date_created', 'desc')
      .orderBy('d.sid', 'desc')
      .limit(PAGE_SIZE)
      .execute();
  }

  /** Send and prefix buckets of this service with fewer than `below` tokens (as of their last update). */
  async lowBuckets(serviceSid: string, below: number): Promise<RateBucketRow[]> {
    return this.db
      .selectFrom('rate_buckets')
      .selectAll()
      .where((eb) => eb.or([keyRange(eb, `send:${serviceSid}:`), keyRange(eb, `prefix:${serviceSid}:`)]))
      .where('tokens', '<', below)
      .orderBy('tokens')
      .limit(PAGE_SIZE)
      .execute();
  }

  /** Destinations of this service with consecutive wrong codes (the check lock-out's state). */
  async checkFailures(serviceSid: string): Promise<CheckFailureRow[]> {
    return this.db
      .selectFrom('check_failures')
      .selectAll()
      .where((eb) => keyRange(eb, `${serviceSid}:`))
      .where('consecutive', '>', 0)
      .orderBy('consecutive', 'desc')
      .limit(PAGE_SIZE)
      .execute();
  }

  /** One verification of the service; never its code's seed or digest (not even selected). */
  async verification(accountSid: string, serviceSid: string, verificationSid: string): Promise<VerificationOverview | undefined> {
    const row = await this.db
      .selectFrom('verifications')
      .select(['sid', 'destination', 'channel', 'status', 'check_attempts', 'send_attempts', 'expires_at', 'failure_code', 'voice_flow', 'date_created', 'date_updated'])
      .where('account_sid', '=', accountSid)
      .where('service_sid', '=', serviceSid)
      .where('sid', '=', verificationSid)
      .executeTakeFirst();
    return row && { ...row, send_attempts: sendAttemptsOf(row.send_attempts) };
  }

  /** A verification's delivery attempts, oldest first (each send's route plan in order); the sealed message is never selected. */
  async verificationAttempts(accountSid: string, verificationSid: string): Promise<AttemptSummary[]> {
    const rows = await this.db
      .selectFrom('delivery_attempts')
      .select(ATTEMPT_COLUMNS)
      .where('account_sid', '=', accountSid)
      .where('verification_sid', '=', verificationSid)
      .orderBy('date_created')
      .orderBy('route_position')
      .limit(ATTEMPTS_LIMIT)
      .execute();
    return rows.map((row) => summaryOf(decodeDeliveryAttempt({ ...row, message_sealed: null, lease_until: 0, version: 0 })));
  }

  /** The account's attempts created since `since`, newest first, at most OUTCOMES_LIMIT (+1 to tell that there were more). */
  async attemptOutcomes(accountSid: string, since: number): Promise<{ rows: AttemptOutcomeRow[]; truncated: boolean }> {
    const rows = await this.db
      .selectFrom('delivery_attempts')
      .select(['provider', 'destination_country', 'channel', 'status', 'failover_reason', 'date_created', 'date_final'])
      .where('account_sid', '=', accountSid)
      .where('date_created', '>=', since)
      .orderBy('date_created', 'desc')
      .limit(OUTCOMES_LIMIT + 1)
      .execute();
    return { rows: rows.slice(0, OUTCOMES_LIMIT), truncated: rows.length > OUTCOMES_LIMIT };
  }

  /** The SIDs of the account's services (the delivery page shows only their routes' restrictions). */
  async serviceSids(accountSid: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom('services').select('sid').where('account_sid', '=', accountSid).limit(10_000).execute();
    return new Set(rows.map((r) => r.sid));
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

/**
 * Keys starting with `prefix` (which ends in ':') as a range of the primary key, `key >= 'p:' AND
 * key < 'p;'` (';' follows ':'), plus the exact prefix test so nothing else can match. SQLite and a
 * PostgreSQL database in the C collation (docs/scaling.md) compare bytes, so the range is exact
 * there; an explicit COLLATE "C" would keep PostgreSQL off the primary key.
 */
function keyRange(eb: ExpressionBuilder<Database, 'rate_buckets'> | ExpressionBuilder<Database, 'check_failures'>, prefix: string) {
  const b = eb as ExpressionBuilder<Database, 'rate_buckets'>;
  return b.and([b('key', '>=', prefix), b('key', '<', `${prefix.slice(0, -1)};`), b(sql<string>`substr(key, 1, ${sql.lit(prefix.length)})`, '=', prefix)]);
}

/** An attempt without the columns the console never shows. */
function summaryOf(row: DeliveryAttemptRow): AttemptSummary {
  const summary: Partial<DeliveryAttemptRow> = { ...row };
  delete summary.message_sealed;
  delete summary.lease_until;
  delete summary.version;
  return summary as AttemptSummary;
}

/** The verification's sends as stored; a malformed entry is left out (the page shows what it can). */
function sendAttemptsOf(json: string): VerificationOverview['send_attempts'] {
  try {
    const parsed: unknown = JSON.parse(json);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is VerificationOverview['send_attempts'][number] => typeof e === 'object' && e !== null && typeof e.time === 'string' && typeof e.channel === 'string' && typeof e.attempt_sid === 'string',
    );
  } catch {
    return [];
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
