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

/** The filters of the console's Verifications page (every one optional; `to` is already normalised). */
export interface VerificationFilters {
  serviceSid?: string | undefined;
  channel?: string | undefined;
  status?: string | undefined;
  /** An exact destination, or the start of one (`substr`, so `%` and `_` are plain text). */
  to?: string | undefined;
}

/** A verification of the account-wide list, with its service's name. */
export interface AccountVerificationSummary extends VerificationSummary {
  service_sid: string;
  service_name: string;
}

/** One event of a resource (its `verification.pending`, `verification.approved`…). */
export interface ResourceEvent {
  sid: string;
  type: string;
  date_created: number;
}

/** A webhook endpoint with its breaker and the state of its queue. */
export interface WebhookEndpoint extends WebhookRow {
  service_name: string;
  /** Consecutive openings of the shared breaker (0: closed). */
  breaker_failures: number;
  /** Until when the breaker is open (ms; 0 or past: not open). */
  breaker_open_until: number;
  pending: number;
  /** Pending deliveries a node holds a lease on right now (being sent). */
  in_flight: number;
  failed: number;
  delivered: number;
}

/** A webhook delivery of the account-wide list. */
export interface AccountDeliverySummary extends DeliverySummary {
  service_sid: string | null;
  webhook_url: string;
  lease_until: number;
  date_updated: number;
}

/** Verifications of the account per UTC day: created, approved, and ended by a guard. */
export interface AccountDay {
  day: number;
  created: number;
  approved: number;
  /** Ended `max_attempts_reached` (too many wrong codes or sends): the blocks that are stored. */
  blocked: number;
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
   * Recent verifications, newest first; `to` matches a destination exactly or as a prefix. The caller
   * normalises it as the API normalises `To` (verify/destination-search.ts: `(415) 555-0123` → `+14155550123`).
   * The prefix test is `substr(destination, 1, n) = to` rather than LIKE, so `%`, `_` and `\` are plain text.
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

  /**
   * The account's verifications of every service and channel, newest first, filtered. Read through
   * verifications_by_service_created per service (the service's account is checked by the join).
   */
  async accountVerifications(accountSid: string, filters: VerificationFilters, page: number): Promise<{ rows: AccountVerificationSummary[]; more: boolean }> {
    let query = this.db
      .selectFrom('verifications as v')
      .innerJoin('services as s', 's.sid', 'v.service_sid')
      .select(['v.sid', 'v.service_sid', 's.friendly_name as service_name', 'v.destination', 'v.channel', 'v.status', 'v.check_attempts', 'v.send_attempts', 'v.date_created', 'v.date_updated'])
      .where('s.account_sid', '=', accountSid)
      .where('v.account_sid', '=', accountSid);
    if (filters.serviceSid) query = query.where('v.service_sid', '=', filters.serviceSid);
    if (filters.channel) query = query.where('v.channel', '=', filters.channel);
    if (filters.status) query = query.where('v.status', '=', filters.status);
    if (filters.to) query = query.where(sql<string>`substr(v.destination, 1, ${sql.lit(filters.to.length)})`, '=', filters.to);
    const rows = await query
      .orderBy('v.date_created', 'desc')
      .orderBy('v.sid', 'desc')
      .limit(PAGE_SIZE + 1)
      .offset(page * PAGE_SIZE)
      .execute();
    return { rows: rows.slice(0, PAGE_SIZE).map((r) => ({ ...r, send_attempts: countAttempts(r.send_attempts) })), more: rows.length > PAGE_SIZE };
  }

  /** One verification of the account, whichever its service (with the service's SID). */
  async accountVerification(accountSid: string, verificationSid: string): Promise<(VerificationOverview & { service_sid: string }) | undefined> {
    const row = await this.db
      .selectFrom('verifications')
      .select(['sid', 'service_sid', 'destination', 'channel', 'status', 'check_attempts', 'send_attempts', 'expires_at', 'failure_code', 'voice_flow', 'date_created', 'date_updated'])
      .where('account_sid', '=', accountSid)
      .where('sid', '=', verificationSid)
      .executeTakeFirst();
    return row && { ...row, send_attempts: sendAttemptsOf(row.send_attempts) };
  }

  /** The events recorded about one resource of the account, oldest first. */
  async resourceEvents(accountSid: string, resourceSid: string): Promise<ResourceEvent[]> {
    return this.db
      .selectFrom('events')
      .select(['sid', 'type', 'date_created'])
      .where('resource_sid', '=', resourceSid)
      .where('account_sid', '=', accountSid)
      .orderBy('date_created')
      .orderBy('sid')
      .limit(ATTEMPTS_LIMIT)
      .execute();
  }

  /** The channels the account's services enable (the channel filter's choices). */
  async verificationChannels(accountSid: string): Promise<string[]> {
    const rows = await this.db.selectFrom('services').select('enabled_channels').where('account_sid', '=', accountSid).limit(10_000).execute();
    const channels = new Set<string>();
    for (const row of rows) {
      try {
        const parsed: unknown = JSON.parse(row.enabled_channels);
        if (Array.isArray(parsed)) for (const c of parsed) if (typeof c === 'string') channels.add(c);
      } catch {
        // A malformed column offers no channels; the page still works.
      }
    }
    return [...channels].sort();
  }

  /** The account's services' SIDs and names, by name (the filters' choices). */
  async serviceNames(accountSid: string): Promise<Array<{ sid: string; friendly_name: string }>> {
    return this.db.selectFrom('services').select(['sid', 'friendly_name']).where('account_sid', '=', accountSid).orderBy('friendly_name').orderBy('sid').limit(1_000).execute();
  }

  /** The account's webhooks with their breaker and their queue's counts (pending, being sent at `now`, failed, delivered). */
  async webhookEndpoints(accountSid: string, now: number): Promise<WebhookEndpoint[]> {
    const hooks = await this.db
      .selectFrom('webhooks as w')
      .innerJoin('services as s', 's.sid', 'w.service_sid')
      .selectAll('w')
      .select('s.friendly_name as service_name')
      .where('w.account_sid', '=', accountSid)
      .orderBy('w.date_created', 'desc')
      .orderBy('w.sid')
      .limit(PAGE_SIZE)
      .execute();
    if (hooks.length === 0) return [];
    const counts = await this.db
      .selectFrom('webhook_deliveries')
      .select([
        'webhook_sid',
        sql<number>`sum(case when status = 'pending' then 1 else 0 end)`.as('pending'),
        sql<number>`sum(case when status = 'pending' and lease_until > ${now} then 1 else 0 end)`.as('in_flight'),
        sql<number>`sum(case when status = 'failed' then 1 else 0 end)`.as('failed'),
        sql<number>`sum(case when status = 'delivered' then 1 else 0 end)`.as('delivered'),
      ])
      .where('webhook_sid', 'in', hooks.map((h) => h.sid))
      .groupBy('webhook_sid')
      .execute();
    const byHook = new Map(counts.map((c) => [c.webhook_sid, c]));
    return hooks.map((h) => {
      const c = byHook.get(h.sid);
      const raw = h as typeof h & { breaker_failures?: unknown; breaker_open_until?: unknown };
      // The sealed secret never leaves the store for a page.
      return {
        ...decodeWebhook(h),
        secret_sealed: '',
        service_name: h.service_name,
        breaker_failures: Number(raw.breaker_failures ?? 0),
        breaker_open_until: Number(raw.breaker_open_until ?? 0),
        pending: Number(c?.pending ?? 0),
        in_flight: Number(c?.in_flight ?? 0),
        failed: Number(c?.failed ?? 0),
        delivered: Number(c?.delivered ?? 0),
      };
    });
  }

  /** The account's newest webhook deliveries (of one webhook, of one status, if given). */
  async accountDeliveries(accountSid: string, filters: { webhookSid?: string | undefined; status?: string | undefined }, page: number): Promise<{ rows: AccountDeliverySummary[]; more: boolean }> {
    let query = this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('events as e', 'e.sid', 'd.event_sid')
      .innerJoin('webhooks as w', 'w.sid', 'd.webhook_sid')
      .select(['d.sid', 'd.webhook_sid', 'd.service_sid', 'w.webhook_url', 'e.type as event_type', 'e.resource_sid', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.lease_until', 'd.last_status_code', 'd.last_error', 'd.date_created', 'd.date_updated'])
      .where('w.account_sid', '=', accountSid);
    if (filters.webhookSid) query = query.where('d.webhook_sid', '=', filters.webhookSid);
    if (filters.status) query = query.where('d.status', '=', filters.status);
    const rows = await query
      .orderBy('d.date_created', 'desc')
      .orderBy('d.sid', 'desc')
      .limit(PAGE_SIZE + 1)
      .offset(page * PAGE_SIZE)
      .execute();
    return { rows: rows.slice(0, PAGE_SIZE).map((r) => ({ ...r, lease_until: Number(r.lease_until) })), more: rows.length > PAGE_SIZE };
  }

  /** The account's verifications per UTC day from `sinceDay` on: created, approved, ended by a guard (charts). */
  async accountDays(accountSid: string, sinceDay: number): Promise<AccountDay[]> {
    const day = sql<number>`v.date_created / ${sql.lit(DAY_MS)}`;
    const rows = await this.db
      .selectFrom('verifications as v')
      .select([
        day.as('day'),
        sql<number>`count(*)`.as('created'),
        sql<number>`sum(case when v.status = 'approved' then 1 else 0 end)`.as('approved'),
        sql<number>`sum(case when v.status = 'max_attempts_reached' then 1 else 0 end)`.as('blocked'),
      ])
      .where('v.service_sid', 'in', this.db.selectFrom('services').select('sid').where('account_sid', '=', accountSid))
      .where('v.date_created', '>=', sinceDay * DAY_MS)
      .groupBy(day)
      .orderBy(day)
      .limit(CHART_DAYS * 4)
      .execute();
    return rows.map((r) => ({ day: Number(r.day), created: Number(r.created), approved: Number(r.approved), blocked: Number(r.blocked) }));
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
