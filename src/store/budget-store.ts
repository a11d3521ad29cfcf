import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect.ts';
import { RateLimitStore } from './rate-limit-store.ts';
import type { Database } from './schema.ts';
import { adHoc, type Steps } from './steps.ts';

/**
 * Budgets that do not refill (a hand-off session's sends, numbers and wrong codes), kept as token
 * buckets in `rate_buckets` so they hold across Verity processes and are pruned with them once idle
 * (a session lives 10 minutes, buckets are pruned after 24 h). Spending is the buckets' one atomic
 * conditional upsert; run it in the caller's transaction to spend several budgets all or nothing.
 */
export class BudgetStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Takes one unit of a budget of `capacity`; false (nothing taken) once it is spent. */
  async spend(key: string, capacity: number, now: number): Promise<boolean> {
    return (await new RateLimitStore(this.db).take(key, { capacity, refillPerSecond: 0 }, now)).allowed;
  }

  /** Gives back one unit taken in the same transaction (e.g. a reserved check that turned out right). */
  async refund(key: string, capacity: number): Promise<void> {
    await this.db
      .updateTable('rate_buckets')
      .set({ tokens: sql`tokens + 1` })
      .where('key', '=', key)
      .where('tokens', '<=', capacity - 1)
      .execute();
  }

  /** True while a budget has a unit left (a read: the spend itself stays the atomic take). */
  async left(key: string, capacity: number): Promise<boolean> {
    const row = await this.db.selectFrom('rate_buckets').select('tokens').where('key', '=', key).executeTakeFirst();
    return row === undefined ? capacity >= 1 : row.tokens >= 1;
  }
}

/** Budgets as steps of a transaction (src/store/steps.ts): the hand-off session's wrong codes in a check. */
export const budgetSteps = {
  /** BudgetStore.spend as steps: one conditional upsert (a budget never refills, so no refill term). */
  *spend(key: string, capacity: number, now: number): Steps<boolean> {
    if (capacity < 1) return false;
    const { rows } = yield* adHoc((db) =>
      db
        .insertInto('rate_buckets')
        .values({ key, tokens: capacity - 1, updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ tokens: sql`rate_buckets.tokens - 1`, updated_at: sql`${sql.raw(dialectOf(db) === 'postgres' ? 'GREATEST' : 'MAX')}(rate_buckets.updated_at, ${now})` }).where('rate_buckets.tokens', '>=', 1))
        .returning('tokens'),
    );
    return rows.length > 0;
  },
  /** BudgetStore.refund as a step. */
  *refund(key: string, capacity: number): Steps<void> {
    yield* adHoc((db) => db.updateTable('rate_buckets').set({ tokens: sql`tokens + 1` }).where('key', '=', key).where('tokens', '<=', capacity - 1));
  },
};
