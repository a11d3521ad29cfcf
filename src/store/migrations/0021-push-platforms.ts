import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * APNs/FCM delivery state of push factors (issue 15): a device token the provider condemned
 * (APNs 410 Unregistered, 400 BadDeviceToken; FCM UNREGISTERED…) is remembered by its digest, so
 * every Verity node stops sending to it. The factor stays; a new `Config.NotificationToken` (a
 * different digest) is sent to again, and the update deletes the row. Deleting the factor deletes it.
 */
export function pushPlatforms(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('push_device_marks')
        .addColumn('factor_sid', 'text', (c) => c.primaryKey().references('factors.sid').onDelete('cascade'))
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('token_digest', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('provider_timestamp', bigint)
        .addColumn('date_marked', bigint, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('push_device_marks').ifExists().execute();
    },
  };
}
