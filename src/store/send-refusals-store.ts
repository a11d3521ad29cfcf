import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

const DAY_MS = 86_400_000;

/** Why the send gate refused a send; the same names as the metric `verity_rate_limited_total{limit}`. */
export type SendRefusalReason = 'geo' | 'prefix' | 'send' | 'send_account';

export interface SendRefusal {
  accountSid: string;
  serviceSid: string;
  reason: SendRefusalReason;
  /** ISO country of the destination; undefined for an e-mail address. */
  country: string | undefined;
  /** When it was refused (ms): the row of its UTC day is bumped. */
  at: number;
}

/** Refusals of one account on one UTC day for one reason (every service and country together). */
export interface RefusalsOfDay {
  /** Days since the epoch (UTC), as the console's charts count them. */
  day: number;
  reason: SendRefusalReason;
  count: number;
}

/** The send gate's refusal counters (migration 0032): one row per account, day, service, reason and country. */
export class SendRefusalsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Counts one refusal: a single upsert (insert 1, or add 1 to the day's row). */
  async increment(refusal: SendRefusal): Promise<void> {
    const day = Math.floor(refusal.at / DAY_MS) * DAY_MS;
    await this.db
      .insertInto('send_refusals')
      .values({ account_sid: refusal.accountSid, day, service_sid: refusal.serviceSid, reason: refusal.reason, country: refusal.country ?? '', count: 1 })
      .onConflict((oc) => oc.columns(['account_sid', 'day', 'service_sid', 'reason', 'country']).doUpdateSet({ count: sql`send_refusals.count + 1` }))
      .execute();
  }

  /** An account's refusals per UTC day and reason since `sinceDay` (days since the epoch), oldest first. */
  async perDay(accountSid: string, sinceDay: number): Promise<RefusalsOfDay[]> {
    const rows = await this.db
      .selectFrom('send_refusals')
      .select(['day', 'reason', sql<number>`sum(count)`.as('count')])
      .where('account_sid', '=', accountSid)
      .where('day', '>=', sinceDay * DAY_MS)
      .groupBy(['day', 'reason'])
      .orderBy('day')
      .orderBy('reason')
      .limit(1000)
      .execute();
    return rows.map((r) => ({ day: Math.floor(Number(r.day) / DAY_MS), reason: r.reason as SendRefusalReason, count: Number(r.count) }));
  }
}
