import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * The Authy API (issue 15, docs/authy.md), a compatibility layer over services, entities and challenges:
 * - `authy_apps`: one per Verify service that has an Authy API key. The key is kept sealed (OneTouch
 *   callbacks are signed with it) plus a SHA-256 digest to find the app by key; `next_user_id` numbers
 *   the app's users. Rotating the key keeps the row (and the users' ids).
 * - `authy_users`: an app's users (`authy_id`, per service), each an entity `authy-user-<id>` and a
 *   phone; one per phone number in a service.
 * - `authy_approval_requests`: OneTouch requests (`uuid`), each a push challenge, with the logos and
 *   expiry asked for and the state of the signed callback (a small outbox: lease, attempts, next try).
 * Deleting the service deletes all three.
 */
export function authy(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('authy_apps')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('service_sid', 'text', (c) => c.notNull().unique().references('services.sid').onDelete('cascade'))
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('key_digest', 'text', (c) => c.unique())
        .addColumn('secret_sealed', 'text')
        .addColumn('onetouch_callback_url', 'text')
        .addColumn('next_user_id', bigint, (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('authy_users')
        .addColumn('service_sid', 'text', (c) => c.notNull().references('services.sid').onDelete('cascade'))
        .addColumn('authy_id', bigint, (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('country_code', 'text', (c) => c.notNull())
        .addColumn('cellphone', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('identity', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('authy_users_pk', ['service_sid', 'authy_id'])
        .addUniqueConstraint('authy_users_phone', ['service_sid', 'phone'])
        .execute();
      await db.schema
        .createTable('authy_approval_requests')
        .addColumn('uuid', 'text', (c) => c.primaryKey())
        .addColumn('service_sid', 'text', (c) => c.notNull().references('services.sid').onDelete('cascade'))
        .addColumn('authy_id', bigint, (c) => c.notNull())
        .addColumn('challenge_sid', 'text', (c) => c.notNull())
        .addColumn('entity_sid', 'text', (c) => c.notNull())
        .addColumn('logos', 'text')
        .addColumn('seconds_to_expire', bigint, (c) => c.notNull())
        .addColumn('callback_state', 'text', (c) => c.notNull())
        .addColumn('callback_attempts', 'integer', (c) => c.notNull())
        .addColumn('callback_next_at', bigint, (c) => c.notNull())
        .addColumn('callback_lease_until', bigint, (c) => c.notNull())
        .addColumn('callback_last_error', 'text')
        .addColumn('date_created', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('authy_callbacks_due').on('authy_approval_requests').columns(['callback_state', 'callback_next_at']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('authy_callbacks_due').ifExists().execute();
      await db.schema.dropTable('authy_approval_requests').ifExists().execute();
      await db.schema.dropTable('authy_users').ifExists().execute();
      await db.schema.dropTable('authy_apps').ifExists().execute();
    },
  };
}
