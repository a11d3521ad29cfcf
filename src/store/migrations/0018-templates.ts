import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** Templates and verification parameters (issue 15). Reserved: filled in by its part of the work. */
export function templates(dialect: Dialect) {
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
