import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** Issue 17: when each factor was last used to sign in. */
export function factorLastUsed(dialect: Dialect) {
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
