import type { Kysely } from 'kysely';
import type { Database, PasskeyCeremonyRow } from './schema.ts';

/**
 * Pending WebAuthn ceremonies, by the SHA-256 digest of their challenge. A usernameless sign-in's
 * ceremony is consumed by one DELETE … RETURNING, so it is accepted at most once.
 */
export class PasskeyCeremoniesStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: PasskeyCeremonyRow): Promise<void> {
    await this.db.insertInto('passkey_ceremonies').values(row).execute();
  }

  /** The ceremony of a Verify challenge with this digest, if it is that challenge's. */
  async findForChallenge(challengeSid: string, digest: string): Promise<PasskeyCeremonyRow | undefined> {
    return this.db.selectFrom('passkey_ceremonies').selectAll().where('challenge_digest', '=', digest).where('challenge_sid', '=', challengeSid).executeTakeFirst();
  }

  /** The ceremony of a Verify challenge of the service with this digest (`POST …/Passkeys/ApproveChallenge` names no challenge; the challenge's own expiry is judged by whoever answers it). */
  async findChallengeCeremony(serviceSid: string, digest: string): Promise<PasskeyCeremonyRow | undefined> {
    return this.db
      .selectFrom('passkey_ceremonies')
      .selectAll()
      .where('challenge_digest', '=', digest)
      .where('service_sid', '=', serviceSid)
      .where('challenge_sid', 'is not', null)
      .executeTakeFirst();
  }

  /** Removes an unexpired usernameless ceremony and returns it; undefined if unknown, used or expired. */
  async consumeSignIn(serviceSid: string, digest: string, now: number): Promise<PasskeyCeremonyRow | undefined> {
    return this.db
      .deleteFrom('passkey_ceremonies')
      .where('challenge_digest', '=', digest)
      .where('service_sid', '=', serviceSid)
      .where('challenge_sid', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
  }

  async deleteForChallenge(challengeSid: string): Promise<void> {
    await this.db.deleteFrom('passkey_ceremonies').where('challenge_sid', '=', challengeSid).execute();
  }

  /** Drops ceremonies that expired before `now` (called as new ones are created). */
  async deleteExpired(now: number): Promise<void> {
    await this.db.deleteFrom('passkey_ceremonies').where('expires_at', '<=', now).execute();
  }
}
