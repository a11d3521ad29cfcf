import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Service-level Passkeys actions (`POST /v2/Services/{VA}/Passkeys/*`, twilio 6.2.0): per passkey
 * factor created there, the `config` it was created with (relying party and authenticator
 * criteria that override the service's `Passkeys.*` settings for this factor, for its registration
 * and its challenges), and while it is unverified the SHA-256 digest of its registration challenge:
 * `Passkeys/VerifyFactor` names no factor, so the factor is found by the challenge the browser
 * signed. Deleting the factor deletes the row.
 */
export function passkeysService(dialect: Dialect) {
  // Text columns only: the same statements on both dialects.
  void dialect;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('passkey_factor_settings')
        .addColumn('factor_sid', 'text', (c) => c.primaryKey().references('factors.sid').onDelete('cascade'))
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('registration_digest', 'text')
        .execute();
      await db.schema.createIndex('passkey_factor_settings_by_registration').unique().on('passkey_factor_settings').columns(['service_sid', 'registration_digest']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('passkey_factor_settings').ifExists().execute();
    },
  };
}
