import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

const BRAND_COLUMNS = [
  ['primary_color', 'text'],
  ['background_color', 'text'],
  ['support_url', 'text'],
  ['logo_version', 'text'],
  ['logo_width', 'integer'],
  ['logo_height', 'integer'],
] as const;

/**
 * Issue 17: each hand-off client's branding (src/handoff/client-branding.ts). The colours and the
 * support link are nullable columns of the client (null: Verity's look); the logo lives in its own
 * table, so the client row every hand-off request loads never carries an image.
 */
export function handoffBranding(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const [name, type] of BRAND_COLUMNS) await db.schema.alterTable('handoff_clients').addColumn(name, type).execute();
      await db.schema
        .createTable('handoff_client_logos')
        .addColumn('client_sid', 'text', (c) => c.primaryKey().references('handoff_clients.sid').onDelete('cascade'))
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('handoff_client_logos').ifExists().execute();
      for (const [name] of [...BRAND_COLUMNS].reverse()) await db.schema.alterTable('handoff_clients').dropColumn(name).execute();
    },
  };
}
