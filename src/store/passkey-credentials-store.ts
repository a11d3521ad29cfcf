import type { Kysely } from 'kysely';
import type { Database, FactorRow, PasskeyCredentialRow } from './schema.ts';

/**
 * Passkey credentials (one per verified passkey factor). The signature counter moves with one
 * conditional UPDATE (`WHERE counter = old`), so of two concurrent uses of one assertion at most
 * one is accepted.
 */
export class PasskeyCredentialsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Verifies an unverified factor with its credential: the factor's sealed binding is replaced and
   * its status set in one conditional UPDATE, then the credential row is added. Undefined if the
   * factor was verified meanwhile.
   */
  async register(credential: PasskeyCredentialRow, factor: { secretSealed: string; config: string }, now: number): Promise<FactorRow | undefined> {
    const verified = await this.db
      .updateTable('factors')
      .set({ status: 'verified', secret_sealed: factor.secretSealed, config: factor.config, date_updated: now })
      .where('sid', '=', credential.factor_sid)
      .where('status', '=', 'unverified')
      .returningAll()
      .executeTakeFirst();
    if (verified) await this.db.insertInto('passkey_credentials').values(credential).execute();
    return verified;
  }

  async findById(serviceSid: string, credentialId: string): Promise<PasskeyCredentialRow | undefined> {
    return this.db.selectFrom('passkey_credentials').selectAll().where('service_sid', '=', serviceSid).where('credential_id', '=', credentialId).executeTakeFirst();
  }

  async findByFactor(factorSid: string): Promise<PasskeyCredentialRow | undefined> {
    return this.db.selectFrom('passkey_credentials').selectAll().where('factor_sid', '=', factorSid).executeTakeFirst();
  }

  /** The entity's registered credential ids (for `excludeCredentials`). */
  async listForEntity(entitySid: string): Promise<string[]> {
    const rows = await this.db.selectFrom('passkey_credentials').select('credential_id').where('entity_sid', '=', entitySid).execute();
    return rows.map((r) => r.credential_id);
  }

  /** Moves the counter from `previous` to `next`; false if another request moved it first. */
  async advanceCounter(factorSid: string, previous: number, next: number, now: number): Promise<boolean> {
    const row = await this.db
      .updateTable('passkey_credentials')
      .set({ counter: next, date_last_used: now })
      .where('factor_sid', '=', factorSid)
      .where('counter', '=', previous)
      .returning('factor_sid')
      .executeTakeFirst();
    return row !== undefined;
  }
}
