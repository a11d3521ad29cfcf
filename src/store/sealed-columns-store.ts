import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** A table and one of its columns that holds sealed secrets (src/crypto/reseal-secrets.ts lists them). */
export interface SealedColumn {
  table: 'webhooks' | 'factors' | 'voiceprint_recordings' | 'calls' | 'handoff_clients' | 'delivery_attempts' | 'authy_apps' | 'accounts';
  column: 'secret_sealed' | 'audio_sealed' | 'message_sealed' | 'auth_token_sealed';
}

/** Reads and compare-and-swaps sealed values by column, for the re-seal after a master-key rotation. */
export class SealedColumnsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The names of the tables that exist (an older schema may lack some). */
  async tables(): Promise<Set<string>> {
    return new Set((await this.db.introspection.getTables()).map((t) => t.name));
  }

  /** Every non-null value of the column, by row SID. */
  async values({ table, column }: SealedColumn): Promise<{ sid: string; sealed: string }[]> {
    return (await sql<{ sid: string; sealed: string }>`select sid, ${sql.ref(column)} as sealed from ${sql.table(table)} where ${sql.ref(column)} is not null`.execute(this.db)).rows;
  }

  /** Writes `fresh` only if the row still holds `current` (a concurrent change is never overwritten). */
  async replace({ table, column }: SealedColumn, sid: string, current: string, fresh: string): Promise<void> {
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${fresh} where sid = ${sid} and ${sql.ref(column)} = ${current}`.execute(this.db);
  }
}
