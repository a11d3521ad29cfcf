import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/**
 * Issue 18 (reserved stub, filled by the hosted voiceprint-call work): the sequence-numbered progress
 * of calls placed for a factor (voiceprint enrolment and checks by phone), so the hosted pages follow
 * them live as they follow code calls.
 */
export function factorCallEvents(dialect: Dialect) {
  void dialect;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      void db;
    },
    async down(db: Kysely<unknown>): Promise<void> {
      void db;
    },
  };
}
