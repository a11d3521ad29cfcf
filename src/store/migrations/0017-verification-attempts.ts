import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { sql, type Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** The wire channel of a send (`send_code_attempts[].channel` is `SMS`, `CALL`, `whatsapp`…); a flash call is a call. */
const wireChannel = (channel: string): string => (channel.toLowerCase() === 'flashcall' ? 'call' : channel.toLowerCase());

/**
 * Issue 15, Verify's analytics and account-level resources:
 * - `verification_attempts`: one row per send of a verification's code (`VL…`, the SID already in
 *   `verifications.send_attempts`), with the columns VerificationAttempts filters on and the
 *   Summary counts (`conversion_status` is written when the verification is approved), indexed by
 *   account and creation time (every query has a date window), plus service, destination and
 *   country. Backfilled from the sends recorded before this migration.
 * - `safe_list_numbers`: an account's SafeList (`GN…`), one row per E.164 number.
 * - `access_tokens`: the AccessTokens issued (`YK…`), the token sealed, kept until `expires_at` so
 *   the fetch can answer them.
 */
export function verificationAttempts(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('verification_attempts')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('verification_sid', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('destination_country', 'text')
        .addColumn('conversion_status', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('date_updated', bigint, (c) => c.notNull())
        .execute();
      // Every list and summary is one account's, within a date window: the account and time lead each index.
      await db.schema.createIndex('verification_attempts_by_account').on('verification_attempts').columns(['account_sid', 'date_created']).execute();
      await db.schema.createIndex('verification_attempts_by_service').on('verification_attempts').columns(['account_sid', 'service_sid', 'date_created']).execute();
      // ChannelData.To (equality) and DestinationPrefix (a range on the text) read this one.
      await db.schema.createIndex('verification_attempts_by_destination').on('verification_attempts').columns(['account_sid', 'destination', 'date_created']).execute();
      await db.schema.createIndex('verification_attempts_by_country').on('verification_attempts').columns(['account_sid', 'destination_country', 'date_created']).execute();
      // VerificationSid filter, and the conversion of a verification's attempts on approval.
      await db.schema.createIndex('verification_attempts_by_verification').on('verification_attempts').column('verification_sid').execute();

      await db.schema
        .createTable('safe_list_numbers')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('phone_number', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addUniqueConstraint('safe_list_numbers_unique', ['account_sid', 'phone_number'])
        .execute();

      await db.schema
        .createTable('access_tokens')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('account_sid', 'text', (c) => c.notNull())
        .addColumn('service_sid', 'text', (c) => c.notNull())
        .addColumn('entity_identity', 'text', (c) => c.notNull())
        .addColumn('factor_type', 'text', (c) => c.notNull())
        .addColumn('factor_friendly_name', 'text', (c) => c.notNull())
        .addColumn('token_sealed', 'text', (c) => c.notNull())
        .addColumn('ttl', 'integer', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addColumn('expires_at', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('access_tokens_by_expiry').on('access_tokens').column('expires_at').execute();

      await backfill(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('access_tokens').ifExists().execute();
      await db.schema.dropTable('safe_list_numbers').ifExists().execute();
      await db.schema.dropTable('verification_attempts').ifExists().execute();
    },
  };
}

interface StoredVerification {
  sid: string;
  account_sid: string;
  service_sid: string;
  destination: string;
  status: string;
  send_attempts: string;
  date_updated: number | string;
}

/** One attempt row per send recorded in `verifications.send_attempts` before this migration, in batches of 500. */
async function backfill(db: Kysely<unknown>): Promise<void> {
  let after = '';
  for (;;) {
    const batch = (await sql<StoredVerification>`SELECT sid, account_sid, service_sid, destination, status, send_attempts, date_updated FROM verifications WHERE sid > ${after} ORDER BY sid LIMIT 500`.execute(db)).rows;
    if (batch.length === 0) return;
    const rows = batch.flatMap((v) => attemptsOf(v));
    if (rows.length > 0) await db.insertInto('verification_attempts' as never).values(rows as never).execute();
    after = batch[batch.length - 1]!.sid;
  }
}

function attemptsOf(v: StoredVerification): Record<string, unknown>[] {
  let sends: unknown;
  try {
    sends = JSON.parse(v.send_attempts);
  } catch {
    return [];
  }
  if (!Array.isArray(sends)) return [];
  const country = v.destination.startsWith('+') ? (parsePhoneNumberFromString(v.destination)?.country ?? null) : null;
  return sends.flatMap((send: { time?: unknown; channel?: unknown; attempt_sid?: unknown }) => {
    if (typeof send?.attempt_sid !== 'string' || typeof send.channel !== 'string' || typeof send.time !== 'string') return [];
    const created = Date.parse(send.time);
    if (!Number.isFinite(created)) return [];
    return [
      {
        sid: send.attempt_sid,
        account_sid: v.account_sid,
        service_sid: v.service_sid,
        verification_sid: v.sid,
        channel: wireChannel(send.channel),
        destination: v.destination,
        destination_country: country,
        conversion_status: v.status === 'approved' ? 'converted' : 'unconverted',
        date_created: created,
        date_updated: Math.max(created, Number(v.date_updated)),
      },
    ];
  });
}
