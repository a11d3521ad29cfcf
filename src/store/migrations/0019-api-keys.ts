import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Issue 15's API keys and Twilio-format webhooks:
 * - `api_keys`: `SK…` keys of an account (Twilio's `/2010-04-01/Accounts/{AC}/Keys`), the secret kept
 *   only as a keyed digest, like the auth token. Deleting an account deletes its keys.
 * - `accounts.auth_token_sealed`: the auth token sealed under the keyring, which `X-Twilio-Signature`
 *   needs (HMAC-SHA1 keyed by the token). Null for accounts created before this migration, until their
 *   token is rotated (docs/webhooks.md).
 * - `webhooks.format`: `twilio` (form body, X-Twilio-Signature) or `verity` (signed JSON envelope).
 *   Existing rows become `verity`, so their receivers keep verifying what they verified before.
 */
export function apiKeys(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('api_keys')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull().references('accounts.sid').onDelete('cascade'))
        .addColumn('friendly_name', 'text', (c) => c.notNull())
        .addColumn('secret_digest', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('api_keys_by_account').on('api_keys').columns(['account_sid', 'date_created']).execute();
      await db.schema.alterTable('accounts').addColumn('auth_token_sealed', 'text').execute();
      await db.schema.alterTable('webhooks').addColumn('format', 'text', (c) => c.notNull().defaultTo('verity')).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('webhooks').dropColumn('format').execute();
      await db.schema.alterTable('accounts').dropColumn('auth_token_sealed').execute();
      await db.schema.dropTable('api_keys').ifExists().execute();
    },
  };
}
