import type { DemoDatabase } from '../store/demo-database.ts';

/** Hand-off results already used (their `jti`), kept until they expire: a result works once. */
export class UsedResults {
  constructor(private readonly db: DemoDatabase) {}

  /** Records the jti and answers whether it was seen before, in one atomic INSERT. */
  seen(jti: string, expiresAt: number): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO used_results (jti, expires_at) VALUES (?, ?)').run(jti, expiresAt).changes === 0;
  }
}
