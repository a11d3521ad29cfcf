import type { Kysely } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** RateLimits and their Buckets (issue 15). Reserved: filled in by its part of the work. */
export function rateLimitDefinitions(dialect: Dialect) {
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
