import type { SealedColumn } from '../store/sealed-columns-store.ts';
import type { StoreSet } from '../store/store-set.ts';
import type { Keyring } from './keyring.ts';
import { seal, unseal } from './seal.ts';

/** Every column that holds a sealed secret, with the context it was sealed under. */
const SEALED_COLUMNS: readonly (SealedColumn & { context: (sid: string) => string })[] = [
  { table: 'webhooks', column: 'secret_sealed', context: (sid: string) => `webhook:${sid}` },
  { table: 'factors', column: 'secret_sealed', context: (sid: string) => `factor:${sid}` },
  { table: 'voiceprint_recordings', column: 'audio_sealed', context: (sid: string) => `recording:${sid}` },
  { table: 'calls', column: 'secret_sealed', context: (sid: string) => `call:${sid}` },
  { table: 'handoff_clients', column: 'secret_sealed', context: (sid: string) => `handoff-client:${sid}` },
  { table: 'delivery_attempts', column: 'message_sealed', context: (sid: string) => `delivery-attempt:${sid}` },
  { table: 'authy_apps', column: 'secret_sealed', context: (sid: string) => `authy-app:${sid}` },
  // The auth token, kept for X-Twilio-Signature (accounts/account-credentials.ts authTokenContext).
  { table: 'accounts', column: 'auth_token_sealed', context: (sid: string) => `account:${sid}` },
];

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
export async function resealSecrets(stores: Pick<StoreSet, 'sealedColumns'>, keyring: Keyring): Promise<ResealReport[]> {
  const { sealedColumns } = stores;
  const existing = await sealedColumns.tables();
  const reports: ResealReport[] = [];
  for (const sealed of SEALED_COLUMNS) {
    const { table, context } = sealed;
    if (!existing.has(table)) continue;
    // Nullable columns (a hand-off client with a JWKS has no secret) hold nothing to re-seal.
    const rows = await sealedColumns.values(sealed);
    let resealed = 0;
    for (const row of rows) {
      if (row.sealed.startsWith(`v1.${keyring.keyId}.`)) continue;
      const fresh = seal(keyring, unseal(keyring, row.sealed, context(row.sid)), context(row.sid));
      await sealedColumns.replace(sealed, row.sid, row.sealed, fresh);
      resealed++;
    }
    reports.push({ table, resealed, alreadyCurrent: rows.length - resealed });
  }
  return reports;
}
