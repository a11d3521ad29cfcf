import type { Kysely } from 'kysely';
import { decodeFactor } from './codecs/factors-codec.ts';
import type { Database, FactorRow, PasskeyCredentialRow } from './schema.ts';

/**
 * Passkey credentials (one per verified passkey factor). The signature counter moves with one
 * conditional UPDATE (`WHERE counter = old`), so of two concurrent uses of one assertion at most
 * one is accepted.
 */
export class PasskeyCredentialsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Verifies an unverified factor with its credential. The credential row goes in first with
   * `ON CONFLICT DO NOTHING`, so the unique credential id per service is decided by the database,
   * not by an earlier look-up: of two factors registering one authenticator at once, one gets it and
   * the other is told `duplicate` (never a constraint error). Then the factor's sealed binding and
   * status change in one conditional UPDATE. Undefined if the factor was verified (or removed)
   * meanwhile; call it in a transaction.
   */
  async register(credential: PasskeyCredentialRow, factor: { secretSealed: string; config: string }, now: number): Promise<FactorRow | 'duplicate' | undefined> {
    const inserted = await this.db.insertInto('passkey_credentials').values(credential).onConflict((oc) => oc.doNothing()).returning('factor_sid').executeTakeFirst();
    if (!inserted) {
      // The factor already has its credential (a concurrent registration of it won), or another factor has this one.
      const own = await this.findByFactor(credential.factor_sid);
      return own ? undefined : 'duplicate';
    }
    const verified = await this.db
      .updateTable('factors')
      .set({ status: 'verified', secret_sealed: factor.secretSealed, config: factor.config, date_updated: now })
      .where('sid', '=', credential.factor_sid)
      .where('status', '=', 'unverified')
      .returningAll()
      .executeTakeFirst();
    if (!verified) await this.db.deleteFrom('passkey_credentials').where('factor_sid', '=', credential.factor_sid).where('credential_id', '=', credential.credential_id).execute();
    return verified && decodeFactor(verified);
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
