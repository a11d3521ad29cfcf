import { sql, type Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Voice biometrics: recordings waiting to become a voiceprint (sealed, deleted once it is built,
 * unless the service retains audio), the fingerprints of every recording seen (replay defence), and
 * calls that belong to a challenge or a factor rather than to a verification.
 */
export function voiceprints(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('voiceprint_recordings')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('factor_sid', 'text', (c) => c.notNull().references('factors.sid').onDelete('cascade'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('audio_sealed', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('voiceprint_recordings_by_factor').on('voiceprint_recordings').columns(['factor_sid', 'date_created']).execute();
      await db.schema
        .createTable('voiceprint_fingerprints')
        .addColumn('sid', 'text', (c) => c.primaryKey())
        .addColumn('factor_sid', 'text', (c) => c.notNull().references('factors.sid').onDelete('cascade'))
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('voiceprint_fingerprints_by_factor').on('voiceprint_fingerprints').columns(['factor_sid', 'date_created']).execute();
      // A call now belongs to a verification, or to a factor (enrolment) / challenge (verification by voice).
      await db.schema.alterTable('calls').addColumn('factor_sid', 'text').execute();
      await db.schema.alterTable('calls').addColumn('challenge_sid', 'text').execute();
      if (dialect === 'postgres') {
        await sql`ALTER TABLE calls ALTER COLUMN verification_sid DROP NOT NULL`.execute(db);
      } else {
        // SQLite cannot drop NOT NULL in place: rebuild the table with the same columns.
        await rebuildCallsForSqlite(db);
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('voiceprint_fingerprints').ifExists().execute();
      await db.schema.dropTable('voiceprint_recordings').ifExists().execute();
    },
  };
}

async function rebuildCallsForSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE calls_new (
      sid text PRIMARY KEY, account_sid text NOT NULL, service_sid text NOT NULL, verification_sid text,
      destination text NOT NULL, caller_id text NOT NULL, provider text NOT NULL, provider_call_id text,
      flow text NOT NULL, flow_state text NOT NULL, secret_sealed text NOT NULL, status text NOT NULL,
      active integer, end_reason text, date_answered integer, date_ended integer,
      date_created integer NOT NULL, date_updated integer NOT NULL, factor_sid text, challenge_sid text
    )`.execute(db);
  await sql`
    INSERT INTO calls_new (sid, account_sid, service_sid, verification_sid, destination, caller_id, provider, provider_call_id, flow, flow_state,
      secret_sealed, status, active, end_reason, date_answered, date_ended, date_created, date_updated, factor_sid, challenge_sid)
    SELECT sid, account_sid, service_sid, verification_sid, destination, caller_id, provider, provider_call_id, flow, flow_state,
      secret_sealed, status, active, end_reason, date_answered, date_ended, date_created, date_updated, factor_sid, challenge_sid FROM calls`.execute(db);
  await sql`DROP TABLE calls`.execute(db);
  await sql`ALTER TABLE calls_new RENAME TO calls`.execute(db);
  await sql`CREATE UNIQUE INDEX calls_one_live_per_destination ON calls (destination, active)`.execute(db);
  await sql`CREATE INDEX calls_by_verification ON calls (verification_sid)`.execute(db);
}
