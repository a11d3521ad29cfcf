import { sql } from 'kysely';
import type { Db } from '../store/database.ts';
import type { Keyring } from './keyring.ts';
import { seal, unseal } from './seal.ts';

/** Every column that holds a sealed secret, with the context it was sealed under. */
const SEALED_COLUMNS = [
  { table: 'webhooks', column: 'secret_sealed', context: (sid: string) => `webhook:${sid}` },
  { table: 'factors', column: 'secret_sealed', context: (sid: string) => `factor:${sid}` },
  { table: 'voiceprint_recordings', column: 'audio_sealed', context: (sid: string) => `recording:${sid}` },
  { table: 'calls', column: 'secret_sealed', context: (sid: string) => `call:${sid}` },
  { table: 'handoff_clients', column: 'secret_sealed', context: (sid: string) => `handoff-client:${sid}` },
] as const;

export interface ResealReport {
  table: string;
  resealed: number;
  alreadyCurrent: number;
}

/**
 * Re-encrypts every sealed secret under the current master key (after a rotation, with the old key
 * in VERITY_RETIRED_MASTER_KEYS). Each row is rewritten only if it still holds the value read, so a
 * concurrent change is never overwritten. Safe to run again; afterwards the retired key is no longer
 * needed for secrets.
 */
export async function resealSecrets(db: Db, keyring: Keyring): Promise<ResealReport[]> {
  const existing = new Set((await db.kysely.introspection.getTables()).map((t) => t.name));
  const reports: ResealReport[] = [];
  for (const { table, column, context } of SEALED_COLUMNS) {
    if (!existing.has(table)) continue;
    // Nullable columns (a hand-off client with a JWKS has no secret) hold nothing to re-seal.
    const rows = (await sql<{ sid: string; sealed: string }>`select sid, ${sql.ref(column)} as sealed from ${sql.table(table)} where ${sql.ref(column)} is not null`.execute(db.kysely)).rows;
    let resealed = 0;
    for (const row of rows) {
      if (row.sealed.startsWith(`v1.${keyring.keyId}.`)) continue;
      const fresh = seal(keyring, unseal(keyring, row.sealed, context(row.sid)), context(row.sid));
      await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${fresh} where sid = ${row.sid} and ${sql.ref(column)} = ${row.sealed}`.execute(db.kysely);
      resealed++;
    }
    reports.push({ table, resealed, alreadyCurrent: rows.length - resealed });
  }
  return reports;
}
