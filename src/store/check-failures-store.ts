import { sql, type Kysely } from 'kysely';
import { prepared } from './prepared.ts';
import type { Database } from './schema.ts';

const lockedUntilQuery = prepared((db, key: string) => db.selectFrom('check_failures').select('locked_until').where('key', '=', key));
const recordFailureQuery = prepared(
  (_db, key: string, now: number) => sql<{ consecutive: number }>`
      INSERT INTO check_failures (key, consecutive, locked_until, date_updated) VALUES (${key}, 1, 0, ${now})
      ON CONFLICT (key) DO UPDATE SET consecutive = check_failures.consecutive + 1, date_updated = ${now}
      RETURNING consecutive`,
);
const clearQuery = prepared((db, key: string) => db.deleteFrom('check_failures').where('key', '=', key));

/**
 * Consecutive failed checks per destination, across verifications. NIST SP 800-63B-4 §3.1.3.2:
 * "Generating a new authentication secret SHALL NOT reset the failed authentication count",
 * so only a successful check clears it.
 */
export class CheckFailuresStore {
  constructor(private readonly db: Kysely<Database>) {}

  async lockedUntil(key: string): Promise<number> {
    const [row] = await lockedUntilQuery(this.db, key);
    return row?.locked_until ?? 0;
  }

  /** Atomically counts one more failure and returns the new consecutive count. */
  async recordFailure(key: string, now: number): Promise<number> {
    const [row] = await recordFailureQuery(this.db, key, now);
    return Number(row?.consecutive ?? 1);
  }

  async lock(key: string, until: number): Promise<void> {
    await this.db.updateTable('check_failures').set({ locked_until: until }).where('key', '=', key).execute();
  }

  async clear(key: string): Promise<void> {
    await clearQuery(this.db, key);
  }
}
