import type { Kysely } from 'kysely';
import type { Database, PasskeyFactorSettingsRow } from './schema.ts';

/**
 * Passkey factors created through the service-level `Passkeys/Factors` action: the settings their
 * `config` overrides, and the digest of their pending registration challenge (migration 0022).
 */
export class PasskeyFactorSettingsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: PasskeyFactorSettingsRow): Promise<void> {
    await this.db.insertInto('passkey_factor_settings').values(row).execute();
  }

  async find(factorSid: string): Promise<PasskeyFactorSettingsRow | undefined> {
    return this.db.selectFrom('passkey_factor_settings').selectAll().where('factor_sid', '=', factorSid).executeTakeFirst();
  }

  /** The unverified factor of the service whose registration challenge has this digest (its expiry is judged by the verification). */
  async findByRegistration(serviceSid: string, digest: string): Promise<PasskeyFactorSettingsRow | undefined> {
    return this.db.selectFrom('passkey_factor_settings').selectAll().where('service_sid', '=', serviceSid).where('registration_digest', '=', digest).executeTakeFirst();
  }

  /** Forgets the registration challenge once the factor is verified (its settings stay). */
  async endRegistration(factorSid: string): Promise<void> {
    await this.db.updateTable('passkey_factor_settings').set({ registration_digest: null }).where('factor_sid', '=', factorSid).execute();
  }
}
