import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** Service-level Passkeys actions (issue 15). Reserved: filled in by its part of the work. */
export function passkeysService(dialect: Dialect) {
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
