import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** Issue 17: each hand-off client's branding (name, logo, colours, support link). */
export function handoffBranding(dialect: Dialect) {
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
