import { sql, type Kysely } from 'kysely';

/**
 * Verifications get a requester (`''` the application's API, `hosted:<subject>` a hosted page's
 * user), and Verify's one pending verification is per service, destination *and requester*: a hosted
 * page never joins (resends, ends with wrong codes) one the application started, nor the reverse.
 * Existing rows were all started through the API or shared with it: they stay the API's.
 */
export function verificationRequester() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('verifications').addColumn('requester', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.dropIndex('verifications_one_pending').execute();
      await db.schema
        .createIndex('verifications_one_pending')
        .on('verifications')
        .columns(['service_sid', 'destination', 'requester'])
        .unique()
        .where(sql.ref('status'), '=', 'pending')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('verifications_one_pending').execute();
      await db.schema.createIndex('verifications_one_pending').on('verifications').columns(['service_sid', 'destination']).unique().where(sql.ref('status'), '=', 'pending').execute();
      await db.schema.alterTable('verifications').dropColumn('requester').execute();
    },
  };
}
