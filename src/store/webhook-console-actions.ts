import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** What "Retry now" did to a delivery. */
export type RetryOutcome = 'requeued' | 'hurried' | 'not-retried';

/**
 * The admin console's two actions on the webhook outbox (webhooks-routes.ts). Both only change rows
 * of the operator's own account, and only in states where the dispatcher can pick them up safely:
 * never a delivery a node is sending right now (its lease is live), so a delivery is never sent twice
 * at once because of the console.
 */
export class WebhookConsoleActions {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Retry now: a `failed` delivery goes back to the queue with a fresh attempt budget (`requeued`);
   * a `pending` one waiting out its backoff is made due at once, its attempts kept (`hurried`).
   */
  async retryNow(accountSid: string, deliverySid: string, now: number): Promise<RetryOutcome> {
    const owned = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.sid', 'd.webhook_sid')
      .select(['d.status'])
      .where('d.sid', '=', deliverySid)
      .where('w.account_sid', '=', accountSid)
      .executeTakeFirst();
    if (!owned) return 'not-retried';
    if (owned.status === 'failed') {
      const result = await this.db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_until: 0, claim_token: null, date_updated: now })
        .where('sid', '=', deliverySid)
        .where('status', '=', 'failed')
        .executeTakeFirst();
      return result.numUpdatedRows === 1n ? 'requeued' : 'not-retried';
    }
    if (owned.status === 'pending') {
      const result = await this.db
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: now, date_updated: now })
        .where('sid', '=', deliverySid)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '>', now)
        .where('lease_until', '<=', now)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n ? 'hurried' : 'not-retried';
    }
    return 'not-retried';
  }

  /**
   * Closes a tripped breaker of one of the account's webhooks (its cool-down ends now and the next
   * opening starts again from the first cool-down); false if it was not open or not this account's.
   */
  async resetBreaker(accountSid: string, webhookSid: string): Promise<boolean> {
    // The breaker columns are the dispatcher's (migration 0023), outside the webhook resource's row type.
    const { numAffectedRows } = await sql`UPDATE webhooks SET breaker_failures = 0, breaker_open_until = 0
      WHERE sid = ${webhookSid} AND account_sid = ${accountSid} AND (breaker_failures <> 0 OR breaker_open_until <> 0)`.execute(this.db);
    return numAffectedRows === 1n;
  }
}
