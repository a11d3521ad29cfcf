import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Passkeys (WebAuthn): each verified passkey factor's credential id and signature counter (kept
 * outside the sealed binding so the counter can move with one conditional UPDATE, and the
 * credential be found by id for usernameless sign-in), and the pending WebAuthn ceremonies
 * (challenges sent to the browser, stored as SHA-256 digests until they expire or are used).
 */
export function passkeys(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('passkey_credentials')
        .addColumn('factor_sid', 'text', (c) => c.primaryKey().references('factors.sid').onDelete('cascade'))
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('entity_sid', 'text', (c) => c.notNull())
        .addColumn('credential_id', 'text', (c) => c.notNull())
        .addColumn('counter', bigint, (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_last_used', bigint)
        .execute();
      await db.schema.createIndex('passkey_credentials_by_id').unique().on('passkey_credentials').columns(['service_sid', 'credential_id']).execute();
      await db.schema.createIndex('passkey_credentials_by_entity').on('passkey_credentials').column('entity_sid').execute();
      await db.schema
        .createTable('passkey_ceremonies')
        .addColumn('challenge_digest', 'text', (c) => c.primaryKey())
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('challenge_sid', 'text', (c) => c.references('challenges.sid').onDelete('cascade'))
        .addColumn('expires_at', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('passkey_ceremonies_by_expiry').on('passkey_ceremonies').column('expires_at').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('passkey_ceremonies').ifExists().execute();
      await db.schema.dropTable('passkey_credentials').ifExists().execute();
    },
  };
}
