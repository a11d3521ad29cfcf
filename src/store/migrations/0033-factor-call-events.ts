import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Issue 18: the sequence-numbered progress of calls placed for a factor (voiceprint enrolment and
 * checks by phone), so the hosted pages and the API's streams follow them live as they follow code
 * calls. Numbered per call; the key is (call, sequence), so a stream resumes with one range read.
 * Data never holds audio, a score or a voiceprint.
 */
export function factorCallEvents(dialect: Dialect) {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('factor_call_events')
        .addColumn('call_sid', 'text', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('date_created', bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('factor_call_events_pk', ['call_sid', 'sequence'])
        .execute();
      // Retention ages the events by date, as it does verification events.
      await db.schema.createIndex('factor_call_events_by_created').on('factor_call_events').column('date_created').execute();
      // A factor's and a challenge's calls (the hosted page's newest call, a challenge stream's relay).
      await db.schema.createIndex('calls_by_factor').on('calls').columns(['factor_sid', 'date_created']).execute();
      await db.schema.createIndex('calls_by_challenge').on('calls').column('challenge_sid').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('calls_by_challenge').ifExists().execute();
      await db.schema.dropIndex('calls_by_factor').ifExists().execute();
      await db.schema.dropIndex('factor_call_events_by_created').ifExists().execute();
      await db.schema.dropTable('factor_call_events').ifExists().execute();
    },
  };
}
