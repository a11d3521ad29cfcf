import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** Issue 17: the audit log of every operator action in the admin console. */
export function adminAuditLog(dialect: Dialect) {
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
