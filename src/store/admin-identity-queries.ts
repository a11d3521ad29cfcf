import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { decodeChallenge } from './codecs/challenges-codec.ts';
import { decodeFactor } from './codecs/factors-codec.ts';
import type { ChallengeRow, CheckFailureRow, Database, EntityRow, FactorRow, PasskeyCredentialRow, RateBucketRow, RateLimitBucketRow, RateLimitRow, SafeListNumberRow } from './schema.ts';

/** Rows per page of every list of the console's identity views (entities, challenges, safe list). */
const IDENTITY_PAGE_SIZE = 50;
/** Most rows a bounded, unpaged list reads (an entity's factors, a service's lock-outs…). */
const LIST_LIMIT = 200;

/** A page of rows, and whether there are more after it. */
export interface Paged<Row> {
  rows: Row[];
  more: boolean;
}

export interface EntitySummary extends EntityRow {
  service_name: string;
}

/** A factor as the console shows it: the stored row (its sealed binding is never read by the pages) and its last use. */
export interface FactorOverview {
  factor: FactorRow;
  /** `factors.date_last_used` (migration 0031) when the column exists, else null. */
  dateLastUsed: number | null;
}

export interface ChallengeSummary {
  sid: string;
  service_sid: string;
  entity_sid: string;
  identity: string;
  factor_sid: string;
  factor_type: string;
  status: string;
  date_created: number;
  date_responded: number | null;
  expiration_date: number;
}

export interface ChallengeFilters {
  serviceSid?: string | undefined;
  status?: string | undefined;
  factorType?: string | undefined;
}

/** Whose a lock-out (a `check_failures` key) is, as the console names it. */
export type LockoutOwner =
  | { kind: 'destination'; serviceSid: string; destination: string; requester: string | null }
  | { kind: 'entity'; serviceSid: string; entitySid: string; identity: string }
  | { kind: 'voiceprint'; serviceSid: string; entitySid: string; identity: string; factorSid: string };

export interface Lockout {
  row: CheckFailureRow;
  owner: LockoutOwner;
}

const ENTITY_PREFIX = 'entity:';
const VOICEPRINT_PREFIX = 'voiceprint:';

/**
 * Keys starting with `prefix` (which ends in ':') as a range of the primary key plus the exact
 * prefix test (admin-queries.ts explains why: a byte-wise range on both databases).
 */
function keyRange(eb: ExpressionBuilder<Database, 'rate_buckets'> | ExpressionBuilder<Database, 'check_failures'>, prefix: string) {
  const b = eb as ExpressionBuilder<Database, 'rate_buckets'>;
  return b.and([b('key', '>=', prefix), b('key', '<', `${prefix.slice(0, -1)};`), b(sql<string>`substr(key, 1, ${sql.lit(prefix.length)})`, '=', prefix)]);
}

/**
 * Read-only queries behind the console's identity views (issue 17): entities and their factors,
 * challenges, rate limits and lock-outs. Every one is scoped to one account, bounded by a LIMIT, and
 * runs unchanged on SQLite and PostgreSQL. No query selects a secret for a page to show: factors are
 * read whole only to hand them to the domain's delete, and recovery codes only as counts.
 */
export class AdminIdentityQueries {
  constructor(private readonly db: Kysely<Database>) {}

  /** The account's services for the filters (newest first; services_by_account). */
  async services(accountSid: string): Promise<Array<{ sid: string; friendly_name: string }>> {
    return this.db.selectFrom('services').select(['sid', 'friendly_name']).where('account_sid', '=', accountSid).orderBy('date_created', 'desc').orderBy('sid').limit(LIST_LIMIT).execute();
  }

  /**
   * Entities, newest first: of one service or of the whole account; `identity` finds one exactly
   * (entities_by_identity per service). Newest first is a range read of entities_by_service_created
   * or, for the whole account, entities_by_account_created (migration 0032): no sort.
   */
  async entities(accountSid: string, filters: { serviceSid?: string | undefined; identity?: string | undefined }, page: number): Promise<Paged<EntitySummary>> {
    let query = this.db
      .selectFrom('entities as e')
      .innerJoin('services as s', 's.sid', 'e.service_sid')
      .selectAll('e')
      .select('s.friendly_name as service_name')
      .where('e.account_sid', '=', accountSid)
      .where('s.account_sid', '=', accountSid);
    if (filters.serviceSid) query = query.where('e.service_sid', '=', filters.serviceSid);
    if (filters.identity) query = query.where('e.identity', '=', filters.identity);
    const rows = await query
      .orderBy('e.date_created', 'desc')
      .orderBy('e.sid', 'desc')
      .limit(IDENTITY_PAGE_SIZE + 1)
      .offset(page * IDENTITY_PAGE_SIZE)
      .execute();
    return { rows: rows.slice(0, IDENTITY_PAGE_SIZE), more: rows.length > IDENTITY_PAGE_SIZE };
  }

  /** Factors per type (and how many verified) of a page of entities (factors_by_entity). */
  async factorCounts(entitySids: string[]): Promise<Map<string, Record<string, { total: number; verified: number }>>> {
    const counts = new Map<string, Record<string, { total: number; verified: number }>>();
    if (entitySids.length === 0) return counts;
    const rows = await this.db
      .selectFrom('factors')
      .select(['entity_sid', 'factor_type', sql<number>`count(*)`.as('total'), sql<number>`sum(case when status = 'verified' then 1 else 0 end)`.as('verified')])
      .where('entity_sid', 'in', entitySids)
      .groupBy(['entity_sid', 'factor_type'])
      .limit(entitySids.length * 8)
      .execute();
    for (const r of rows) {
      const of = counts.get(r.entity_sid) ?? {};
      of[r.factor_type] = { total: Number(r.total), verified: Number(r.verified) };
      counts.set(r.entity_sid, of);
    }
    return counts;
  }

  /** Unused recovery codes per entity of a page (recovery_codes_by_lookup starts with entity_sid). */
  async recoveryCodeCounts(entitySids: string[]): Promise<Map<string, { total: number; remaining: number }>> {
    const counts = new Map<string, { total: number; remaining: number }>();
    if (entitySids.length === 0) return counts;
    const rows = await this.db
      .selectFrom('recovery_codes')
      .select(['entity_sid', sql<number>`count(*)`.as('total'), sql<number>`sum(case when used_at is null then 1 else 0 end)`.as('remaining')])
      .where('entity_sid', 'in', entitySids)
      .groupBy('entity_sid')
      .limit(entitySids.length)
      .execute();
    for (const r of rows) counts.set(r.entity_sid, { total: Number(r.total), remaining: Number(r.remaining) });
    return counts;
  }

  async entity(accountSid: string, entitySid: string): Promise<EntitySummary | undefined> {
    return this.db
      .selectFrom('entities as e')
      .innerJoin('services as s', 's.sid', 'e.service_sid')
      .selectAll('e')
      .select('s.friendly_name as service_name')
      .where('e.sid', '=', entitySid)
      .where('e.account_sid', '=', accountSid)
      .executeTakeFirst();
  }

  /** The entity's factors, oldest first, with their last use (read defensively: the column comes with migration 0031). */
  async factors(entitySid: string): Promise<FactorOverview[]> {
    const rows = await this.db.selectFrom('factors').selectAll().where('entity_sid', '=', entitySid).orderBy('date_created').orderBy('sid').limit(LIST_LIMIT).execute();
    return rows.map((row) => {
      const lastUsed = (row as unknown as { date_last_used?: unknown }).date_last_used;
      return { factor: decodeFactor(row), dateLastUsed: lastUsed === null || lastUsed === undefined ? null : Number(lastUsed) };
    });
  }

  /**
   * Per factor of the entity, from its challenges (challenges_by_entity): when a device last received
   * one (push "last seen") and when one was last approved (a last use the factor row may not record).
   */
  async challengeActivity(entitySid: string): Promise<Map<string, { lastDelivered: number | null; lastApproved: number | null }>> {
    const rows = await this.db
      .selectFrom('challenges')
      .select(['factor_sid', sql<number | null>`max(date_delivered)`.as('last_delivered'), sql<number | null>`max(case when status = 'approved' then date_responded end)`.as('last_approved')])
      .where('entity_sid', '=', entitySid)
      .groupBy('factor_sid')
      .limit(LIST_LIMIT)
      .execute();
    const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return new Map(rows.map((r) => [r.factor_sid, { lastDelivered: n(r.last_delivered), lastApproved: n(r.last_approved) }]));
  }

  /** The entity's passkey credentials (passkey_credentials_by_entity); never the public key. */
  async passkeyCredentials(entitySid: string): Promise<Array<Pick<PasskeyCredentialRow, 'factor_sid' | 'date_created' | 'date_last_used'>>> {
    return this.db.selectFrom('passkey_credentials').select(['factor_sid', 'date_created', 'date_last_used']).where('entity_sid', '=', entitySid).limit(LIST_LIMIT).execute();
  }

  /** Push factors whose device token the provider refused (push_device_marks by factor). */
  async pushDeviceMarks(factorSids: string[]): Promise<Map<string, { reason: string; date_marked: number }>> {
    const marks = new Map<string, { reason: string; date_marked: number }>();
    if (factorSids.length === 0) return marks;
    const rows = await this.db.selectFrom('push_device_marks').select(['factor_sid', 'reason', 'date_marked']).where('factor_sid', 'in', factorSids).limit(LIST_LIMIT).execute();
    for (const r of rows) marks.set(r.factor_sid, { reason: r.reason, date_marked: Number(r.date_marked) });
    return marks;
  }

  /** Recovery codes of an entity as counts (never the codes nor their hashes). */
  async recoveryCodes(entitySid: string): Promise<{ total: number; remaining: number; dateCreated: number | null; lastUsed: number | null }> {
    const row = await this.db
      .selectFrom('recovery_codes')
      .select([
        sql<number>`count(*)`.as('total'),
        sql<number>`sum(case when used_at is null then 1 else 0 end)`.as('remaining'),
        sql<number | null>`min(date_created)`.as('date_created'),
        sql<number | null>`max(used_at)`.as('last_used'),
      ])
      .where('entity_sid', '=', entitySid)
      .executeTakeFirst();
    const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return { total: Number(row?.total ?? 0), remaining: Number(row?.remaining ?? 0), dateCreated: n(row?.date_created), lastUsed: n(row?.last_used) };
  }

  /** The failure counters with these exact keys (primary key). */
  async checkFailuresByKey(keys: string[]): Promise<CheckFailureRow[]> {
    if (keys.length === 0) return [];
    return this.db.selectFrom('check_failures').selectAll().where('key', 'in', keys).limit(keys.length).execute();
  }

  /** One factor of the account's entity (decoded, for the domain's delete). */
  async factor(accountSid: string, entitySid: string, factorSid: string): Promise<FactorRow | undefined> {
    const row = await this.db.selectFrom('factors').selectAll().where('sid', '=', factorSid).where('entity_sid', '=', entitySid).where('account_sid', '=', accountSid).executeTakeFirst();
    return row && decodeFactor(row);
  }

  /**
   * The account's challenges, newest first, filtered by service, status and factor type: read
   * backwards on challenges_by_account_created (migration 0032), so other accounts stay out of the walk.
   */
  async challenges(accountSid: string, filters: ChallengeFilters, page: number): Promise<Paged<ChallengeSummary>> {
    let query = this.db
      .selectFrom('challenges')
      .select(['sid', 'service_sid', 'entity_sid', 'identity', 'factor_sid', 'factor_type', 'status', 'date_created', 'date_responded', 'expiration_date'])
      .where('account_sid', '=', accountSid);
    if (filters.serviceSid) query = query.where('service_sid', '=', filters.serviceSid);
    if (filters.status) query = query.where('status', '=', filters.status);
    if (filters.factorType) query = query.where('factor_type', '=', filters.factorType);
    const rows = await query
      .orderBy('date_created', 'desc')
      .orderBy('sid', 'desc')
      .limit(IDENTITY_PAGE_SIZE + 1)
      .offset(page * IDENTITY_PAGE_SIZE)
      .execute();
    return { rows: rows.slice(0, IDENTITY_PAGE_SIZE), more: rows.length > IDENTITY_PAGE_SIZE };
  }

  /** The entity's newest challenges (challenges_by_entity). */
  async entityChallenges(entitySid: string, limit = 10): Promise<ChallengeSummary[]> {
    return this.db
      .selectFrom('challenges')
      .select(['sid', 'service_sid', 'entity_sid', 'identity', 'factor_sid', 'factor_type', 'status', 'date_created', 'date_responded', 'expiration_date'])
      .where('entity_sid', '=', entitySid)
      .orderBy('date_created', 'desc')
      .orderBy('sid', 'desc')
      .limit(limit)
      .execute();
  }

  async challenge(accountSid: string, challengeSid: string): Promise<ChallengeRow | undefined> {
    const row = await this.db.selectFrom('challenges').selectAll().where('sid', '=', challengeSid).where('account_sid', '=', accountSid).executeTakeFirst();
    return row && decodeChallenge(row);
  }

  /** The service's rate limits (by unique name) and their buckets. */
  async rateLimitDefinitions(serviceSid: string): Promise<Array<{ limit: RateLimitRow; buckets: RateLimitBucketRow[] }>> {
    const limits = await this.db.selectFrom('rate_limits').selectAll().where('service_sid', '=', serviceSid).orderBy('unique_name').limit(LIST_LIMIT).execute();
    if (limits.length === 0) return [];
    const buckets = await this.db
      .selectFrom('rate_limit_buckets')
      .selectAll()
      .where('rate_limit_sid', 'in', limits.map((l) => l.sid))
      .orderBy('interval')
      .limit(LIST_LIMIT * 4)
      .execute();
    return limits.map((limit) => ({ limit, buckets: buckets.filter((b) => b.rate_limit_sid === limit.sid) }));
  }

  /**
   * The account's and service's buckets with fewer than `below` tokens as stored (a stored count only
   * grows with time, so this includes every bucket that throttles now): the per-destination, hosted
   * and prefix send buckets, the service's rate-limit buckets, and the account's request and send
   * budgets. Each a range or point read of the primary key.
   */
  async lowBuckets(accountSid: string, serviceSid: string, rateLimitBucketSids: string[], below: number): Promise<RateBucketRow[]> {
    const prefixes = [`send:${serviceSid}:`, `send-hosted:${serviceSid}:`, `prefix:${serviceSid}:`, ...rateLimitBucketSids.map((sid) => `service-rate:${sid}:`)];
    const exact = [`acct:${accountSid}`, `svc:${accountSid}:${serviceSid}`, `send-account:${accountSid}`];
    return this.db
      .selectFrom('rate_buckets')
      .selectAll()
      .where((eb) => eb.or([...prefixes.map((p) => keyRange(eb, p)), eb('key', 'in', exact)]))
      .where('tokens', '<', below)
      .orderBy('tokens')
      .orderBy('key')
      .limit(LIST_LIMIT)
      .execute();
  }

  /**
   * The service's lock-outs (consecutive failures > 0): its destinations' wrong-code counters
   * (`<service>:<destination>[:hosted:<user>]`), its entities' (`entity:<YE>`) and its voiceprints'
   * (`voiceprint:<YF>`). The last two are ranges of the primary key joined to their owner by primary
   * key; the counters are cleared on success, so the ranges stay short.
   */
  async lockouts(serviceSid: string): Promise<Lockout[]> {
    const destinations = await this.db
      .selectFrom('check_failures')
      .selectAll()
      .where((eb) => keyRange(eb, `${serviceSid}:`))
      .where('consecutive', '>', 0)
      .orderBy('locked_until', 'desc')
      .orderBy('key')
      .limit(LIST_LIMIT)
      .execute();
    const entities = await this.db
      .selectFrom('check_failures as cf')
      .innerJoin('entities as e', (join) => join.on(sql<boolean>`e.sid = substr(cf.key, ${sql.lit(ENTITY_PREFIX.length + 1)})`))
      .selectAll('cf')
      .select(['e.sid as entity_sid', 'e.identity'])
      .where((eb) => keyRange(eb as unknown as ExpressionBuilder<Database, 'check_failures'>, ENTITY_PREFIX))
      .where('e.service_sid', '=', serviceSid)
      .where('cf.consecutive', '>', 0)
      .orderBy('cf.locked_until', 'desc')
      .limit(LIST_LIMIT)
      .execute();
    const voiceprints = await this.db
      .selectFrom('check_failures as cf')
      .innerJoin('factors as f', (join) => join.on(sql<boolean>`f.sid = substr(cf.key, ${sql.lit(VOICEPRINT_PREFIX.length + 1)})`))
      .selectAll('cf')
      .select(['f.sid as factor_sid', 'f.entity_sid', 'f.identity'])
      .where((eb) => keyRange(eb as unknown as ExpressionBuilder<Database, 'check_failures'>, VOICEPRINT_PREFIX))
      .where('f.service_sid', '=', serviceSid)
      .where('cf.consecutive', '>', 0)
      .orderBy('cf.locked_until', 'desc')
      .limit(LIST_LIMIT)
      .execute();
    const row = (r: CheckFailureRow): CheckFailureRow => ({ key: r.key, consecutive: Number(r.consecutive), locked_until: Number(r.locked_until), date_updated: Number(r.date_updated) });
    return [
      ...destinations.map((r) => ({ row: row(r), owner: destinationOwner(serviceSid, r.key) })),
      ...entities.map((r) => ({ row: row(r), owner: { kind: 'entity' as const, serviceSid, entitySid: r.entity_sid, identity: r.identity } })),
      ...voiceprints.map((r) => ({ row: row(r), owner: { kind: 'voiceprint' as const, serviceSid, entitySid: r.entity_sid, identity: r.identity, factorSid: r.factor_sid } })),
    ];
  }

  /**
   * Who owns a lock-out key, if the key is one of this account's (the clear action checks it): a
   * destination of one of its services, one of its entities, or one of its voiceprints.
   */
  async lockoutOwner(accountSid: string, key: string): Promise<LockoutOwner | undefined> {
    if (key.startsWith(ENTITY_PREFIX)) {
      const entity = await this.db.selectFrom('entities').select(['sid', 'service_sid', 'identity']).where('sid', '=', key.slice(ENTITY_PREFIX.length)).where('account_sid', '=', accountSid).executeTakeFirst();
      return entity && { kind: 'entity', serviceSid: entity.service_sid, entitySid: entity.sid, identity: entity.identity };
    }
    if (key.startsWith(VOICEPRINT_PREFIX)) {
      const factor = await this.db
        .selectFrom('factors')
        .select(['sid', 'service_sid', 'entity_sid', 'identity'])
        .where('sid', '=', key.slice(VOICEPRINT_PREFIX.length))
        .where('account_sid', '=', accountSid)
        .where('factor_type', '=', 'voiceprint')
        .executeTakeFirst();
      return factor && { kind: 'voiceprint', serviceSid: factor.service_sid, entitySid: factor.entity_sid, identity: factor.identity, factorSid: factor.sid };
    }
    const serviceSid = /^(VA[0-9a-f]{32}):./.exec(key)?.[1];
    if (!serviceSid) return undefined;
    const service = await this.db.selectFrom('services').select('sid').where('sid', '=', serviceSid).where('account_sid', '=', accountSid).executeTakeFirst();
    return service && destinationOwner(service.sid, key);
  }

  /** The account's safe list, by number (safe_list_numbers_unique (account_sid, phone_number)). */
  async safeList(accountSid: string, page: number): Promise<Paged<SafeListNumberRow>> {
    const rows = await this.db
      .selectFrom('safe_list_numbers')
      .selectAll()
      .where('account_sid', '=', accountSid)
      .orderBy('phone_number')
      .limit(IDENTITY_PAGE_SIZE + 1)
      .offset(page * IDENTITY_PAGE_SIZE)
      .execute();
    return { rows: rows.slice(0, IDENTITY_PAGE_SIZE), more: rows.length > IDENTITY_PAGE_SIZE };
  }
}

/** `<service>:<destination>` (the API's checks) or `<service>:<destination>:hosted:<user>` (a hosted page's user). */
function destinationOwner(serviceSid: string, key: string): LockoutOwner {
  const rest = key.slice(serviceSid.length + 1);
  const hosted = rest.indexOf(':hosted:');
  return hosted === -1
    ? { kind: 'destination', serviceSid, destination: rest, requester: null }
    : { kind: 'destination', serviceSid, destination: rest.slice(0, hosted), requester: rest.slice(hosted + 1) };
}
