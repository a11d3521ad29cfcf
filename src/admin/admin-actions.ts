import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/*
 * The console's few writes: send a failed webhook delivery again, and lift a destination's
 * wrong-code lock-out. Their forms are protected in admin-routes.ts (session, same-origin check,
 * CSRF token: form-protection.ts).
 */

/**
 * A failed delivery of one of this account's services goes back to the queue with a fresh attempt
 * budget (the dispatcher's usual backoff applies from here); false if it is not this service's or
 * not failed.
 */
export async function retryDelivery(db: Kysely<Database>, accountSid: string, serviceSid: string, deliverySid: string, now: number): Promise<boolean> {
  const owned = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.sid', 'd.webhook_sid')
    .select('d.sid')
    .where('d.sid', '=', deliverySid)
    .where('w.account_sid', '=', accountSid)
    .where('w.service_sid', '=', serviceSid)
    .executeTakeFirst();
  if (!owned) return false;
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_until: 0, date_updated: now })
    .where('sid', '=', deliverySid)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Clears the consecutive wrong codes (and any lock) of one destination of this service. */
export async function clearLockout(db: Kysely<Database>, serviceSid: string, destination: string): Promise<boolean> {
  const result = await db.deleteFrom('check_failures').where('key', '=', `${serviceSid}:${destination}`).executeTakeFirst();
  return result.numDeletedRows === 1n;
}
