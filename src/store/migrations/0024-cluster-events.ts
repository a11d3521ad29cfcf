import { sql, type Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Events across nodes (issue 16): `challenges.notification_seq` counts the re-sends of a push
 * challenge (`POST …/Challenges/{YC}/Notifications`). The device stream remembers the value it last
 * showed per challenge and shows the challenge again when the row's is higher, so a re-send asked on
 * one node reaches a device connected to any other (the wake-up travels by LISTEN/NOTIFY, the fact
 * is in the row: a lost wake-up is caught by the stream's next read).
 */
export function clusterEvents(dialect: Dialect) {
  // The same statements on both dialects (SQLite ≥ 3.35 drops columns).
  void dialect;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('challenges').addColumn('notification_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`ALTER TABLE challenges DROP COLUMN notification_seq`.execute(db);
    },
  };
}
