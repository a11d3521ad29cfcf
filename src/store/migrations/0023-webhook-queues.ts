import { sql, type Kysely, type RawBuilder } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Webhook queues (issue 16, docs/webhooks.md "Delivery model"):
 * - `webhook_deliveries` gains `subject_sid` (the event's resource), `service_sid` (admin paging),
 *   `claim_token` (fencing: a settle writes only while the row still carries its claim's token) and
 *   `order_key`: within one (webhook, subject), a later event's delivery has a larger key. Events of a
 *   subject are written under that subject's row lock, so insertion order is commit order per subject.
 *   PostgreSQL draws it from a sequence; SQLite (one writer) sets it in a trigger to one more than the
 *   subject's largest pending key (a VACUUM may renumber rowids, so rowid itself is not a stable order).
 * - Partial indexes on pending rows only (they stay small however long retention keeps settled rows):
 *   the per-endpoint queue `(webhook_sid, next_attempt_at)` and the per-subject head `(webhook_sid,
 *   subject_sid, order_key)`; plus `(event_sid)` for the events → deliveries cascade and pruning, and
 *   `(service_sid, date_created)` for the admin deliveries page. `webhook_deliveries_due` goes: no query reads it.
 * - `webhooks.breaker_failures` / `breaker_open_until`: the circuit breaker shared by every node,
 *   written only when it opens or closes.
 * - `authy_callbacks_ready`: the OneTouch callbacks still awaiting, by due time.
 */
export function webhookQueues(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const run = async (db: Kysely<unknown>, statements: RawBuilder<unknown>[]): Promise<void> => {
    for (const statement of statements) await statement.execute(db);
  };
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (pg) {
        await run(db, [
          sql`CREATE SEQUENCE webhook_delivery_order`,
          sql`ALTER TABLE webhook_deliveries
                ADD COLUMN subject_sid text NOT NULL DEFAULT '',
                ADD COLUMN service_sid text,
                ADD COLUMN claim_token text,
                ADD COLUMN order_key bigint NOT NULL DEFAULT nextval('webhook_delivery_order')`,
          sql`UPDATE webhook_deliveries d SET subject_sid = e.resource_sid, service_sid = e.service_sid FROM events e WHERE e.sid = d.event_sid`,
          sql`ALTER TABLE webhooks ADD COLUMN breaker_failures integer NOT NULL DEFAULT 0, ADD COLUMN breaker_open_until bigint NOT NULL DEFAULT 0`,
        ]);
      } else {
        await run(db, [
          sql`ALTER TABLE webhook_deliveries ADD COLUMN subject_sid text NOT NULL DEFAULT ''`,
          sql`ALTER TABLE webhook_deliveries ADD COLUMN service_sid text`,
          sql`ALTER TABLE webhook_deliveries ADD COLUMN claim_token text`,
          sql`ALTER TABLE webhook_deliveries ADD COLUMN order_key integer NOT NULL DEFAULT 0`,
          sql`UPDATE webhook_deliveries SET order_key = rowid,
                subject_sid = (SELECT e.resource_sid FROM events e WHERE e.sid = webhook_deliveries.event_sid),
                service_sid = (SELECT e.service_sid FROM events e WHERE e.sid = webhook_deliveries.event_sid)`,
          sql`ALTER TABLE webhooks ADD COLUMN breaker_failures integer NOT NULL DEFAULT 0`,
          sql`ALTER TABLE webhooks ADD COLUMN breaker_open_until integer NOT NULL DEFAULT 0`,
        ]);
      }
      await run(db, [
        sql`DROP INDEX IF EXISTS webhook_deliveries_due`,
        sql`CREATE INDEX webhook_deliveries_ready ON webhook_deliveries (webhook_sid, next_attempt_at) WHERE status = 'pending'`,
        sql`CREATE INDEX webhook_deliveries_subject ON webhook_deliveries (webhook_sid, subject_sid, order_key) WHERE status = 'pending'`,
        sql`CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_sid)`,
        sql`CREATE INDEX webhook_deliveries_by_service ON webhook_deliveries (service_sid, date_created)`,
        sql`CREATE INDEX authy_callbacks_ready ON authy_approval_requests (callback_next_at) WHERE callback_state = 'awaiting'`,
      ]);
      if (!pg) {
        // Runs only for rows inserted without a key (every insert: the column is not written by the code).
        await sql`
          CREATE TRIGGER webhook_deliveries_order AFTER INSERT ON webhook_deliveries WHEN NEW.order_key = 0
          BEGIN
            UPDATE webhook_deliveries SET order_key = 1 + coalesce((
              SELECT max(p.order_key) FROM webhook_deliveries p
              WHERE p.webhook_sid = NEW.webhook_sid AND p.subject_sid = NEW.subject_sid AND p.status = 'pending'), 0)
            WHERE sid = NEW.sid;
          END`.execute(db);
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (!pg) await sql`DROP TRIGGER IF EXISTS webhook_deliveries_order`.execute(db);
      await run(db, [
        sql`DROP INDEX IF EXISTS authy_callbacks_ready`,
        sql`DROP INDEX IF EXISTS webhook_deliveries_by_service`,
        sql`DROP INDEX IF EXISTS webhook_deliveries_by_event`,
        sql`DROP INDEX IF EXISTS webhook_deliveries_subject`,
        sql`DROP INDEX IF EXISTS webhook_deliveries_ready`,
        sql`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)`,
      ]);
      for (const column of ['order_key', 'claim_token', 'service_sid', 'subject_sid']) await sql`ALTER TABLE webhook_deliveries DROP COLUMN ${sql.ref(column)}`.execute(db);
      for (const column of ['breaker_open_until', 'breaker_failures']) await sql`ALTER TABLE webhooks DROP COLUMN ${sql.ref(column)}`.execute(db);
      if (pg) await sql`DROP SEQUENCE IF EXISTS webhook_delivery_order`.execute(db);
    },
  };
}
