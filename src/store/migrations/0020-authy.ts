import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** The Authy API: users, app keys, OneTouch (issue 15). Reserved: filled in by its part of the work. */
export function authy(dialect: Dialect) {
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
