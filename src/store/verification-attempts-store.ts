import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { prepared } from './prepared.ts';
import type { ConversionStatus, Database, VerificationAttemptRow } from './schema.ts';
import { insertRow } from './shaped-statements.ts';
import { query, type Steps } from './steps.ts';

const convertQuery = prepared((db, verificationSid: string, now: number) =>
  db.updateTable('verification_attempts').set({ conversion_status: 'converted', date_updated: now }).where('verification_sid', '=', verificationSid).where('conversion_status', '<>', 'converted'),
);

/** What VerificationAttempts (list) and their Summary filter on; every field but the window is optional. */
export interface AttemptFilter {
  /** ms since the epoch, inclusive. */
  createdFrom: number;
  /** ms since the epoch, inclusive. */
  createdTo: number;
  serviceSid?: string | undefined;
  verificationSid?: string | undefined;
  /** The exact destination (`ChannelData.To`). */
  destination?: string | undefined;
  /** A leading part of an E.164 number (`DestinationPrefix`: `+` and digits). */
  destinationPrefix?: string | undefined;
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string | undefined;
  channel?: string | undefined;
  conversionStatus?: ConversionStatus | undefined;
}

/** Counts of the attempts a filter selects. */
export interface AttemptTotals {
  total: number;
  converted: number;
}

/** The first text after every text that starts with `prefix` (its last character bumped): `+4420` → `+4421`, `+449` → `+44:`. */
const afterPrefix = (prefix: string): string => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

/**
 * The `verification_attempts` table (migration 0017): one row per send of a code. Every read is one
 * account's (the account is the first column of every index); the Summary is one aggregate
 * statement, never rows loaded and counted.
 */
export class VerificationAttemptsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: VerificationAttemptRow): Promise<void> {
    await insertRow(this.db, 'verification_attempts', row);
  }

  /** Marks every attempt of an approved verification converted (its user gave the right code). */
  async convert(verificationSid: string, now: number): Promise<void> {
    await convertQuery(this.db, verificationSid, now);
  }

  /** One attempt of the account; another account's does not exist. */
  async find(accountSid: string, sid: string): Promise<VerificationAttemptRow | undefined> {
    return this.db.selectFrom('verification_attempts').selectAll().where('sid', '=', sid).where('account_sid', '=', accountSid).executeTakeFirst();
  }

  /** Newest first (then by SID, so pages are stable). */
  async list(accountSid: string, filter: AttemptFilter, { limit, offset }: { limit: number; offset: number }): Promise<VerificationAttemptRow[]> {
    return this.filtered(accountSid, filter).selectAll().orderBy('date_created', 'desc').orderBy('sid', 'desc').limit(limit).offset(offset).execute();
  }

  /** How many attempts the filter selects and how many of them converted: one `count`/`sum` statement. */
  async totals(accountSid: string, filter: AttemptFilter): Promise<AttemptTotals> {
    const row = await this.filtered(accountSid, filter)
      .select([sql<number | string>`count(*)`.as('total'), sql<number | string | null>`sum(case when conversion_status = 'converted' then 1 else 0 end)`.as('converted')])
      .executeTakeFirstOrThrow();
    return { total: Number(row.total), converted: Number(row.converted ?? 0) };
  }

  private filtered(accountSid: string, filter: AttemptFilter): SelectQueryBuilder<Database, 'verification_attempts', object> {
    let query = this.db
      .selectFrom('verification_attempts')
      .where('account_sid', '=', accountSid)
      .where('date_created', '>=', filter.createdFrom)
      .where('date_created', '<=', filter.createdTo);
    if (filter.serviceSid !== undefined) query = query.where('service_sid', '=', filter.serviceSid);
    if (filter.verificationSid !== undefined) query = query.where('verification_sid', '=', filter.verificationSid);
    if (filter.destination !== undefined) query = query.where('destination', '=', filter.destination);
    // A range rather than LIKE: it reads the destination index in both dialects (SQLite's LIKE is case-folding and would not).
    if (filter.destinationPrefix !== undefined) query = query.where('destination', '>=', filter.destinationPrefix).where('destination', '<', afterPrefix(filter.destinationPrefix));
    if (filter.country !== undefined) query = query.where('destination_country', '=', filter.country);
    if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
    if (filter.conversionStatus !== undefined) query = query.where('conversion_status', '=', filter.conversionStatus);
    return query;
  }
}

/** VerificationAttempts as steps of a transaction (src/store/steps.ts). */
export const verificationAttemptSteps = {
  /** VerificationAttemptsStore.convert as a step. */
  *convert(verificationSid: string, now: number): Steps<void> {
    yield* query(convertQuery, verificationSid, now);
  },
};
