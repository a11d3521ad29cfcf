import type { Kysely } from 'kysely';
import type { AuthyUserRow, Database } from './schema.ts';

/** The `authy_users` table: an Authy application's users, one per phone number. */
export class AuthyUsersStore {
  constructor(private readonly db: Kysely<Database>) {}

  async find(serviceSid: string, authyId: number): Promise<AuthyUserRow | undefined> {
    const row = await this.db.selectFrom('authy_users').selectAll().where('service_sid', '=', serviceSid).where('authy_id', '=', authyId).executeTakeFirst();
    return row && { ...row, authy_id: Number(row.authy_id) };
  }

  async findByPhone(serviceSid: string, phone: string): Promise<AuthyUserRow | undefined> {
    const row = await this.db.selectFrom('authy_users').selectAll().where('service_sid', '=', serviceSid).where('phone', '=', phone).executeTakeFirst();
    return row && { ...row, authy_id: Number(row.authy_id) };
  }

  /** Inserts `row` unless the service has a user with that phone; false when it had. */
  async insert(row: AuthyUserRow): Promise<boolean> {
    const result = await this.db.insertInto('authy_users').values(row).onConflict((oc) => oc.columns(['service_sid', 'phone']).doNothing()).executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async delete(serviceSid: string, authyId: number): Promise<boolean> {
    const result = await this.db.deleteFrom('authy_users').where('service_sid', '=', serviceSid).where('authy_id', '=', authyId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async count(serviceSid: string): Promise<number> {
    const row = await this.db.selectFrom('authy_users').select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).where('service_sid', '=', serviceSid).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
