import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** Reserved for issue 16 (filled in by its owner). */
export function clusterEvents(dialect: Dialect) {
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
