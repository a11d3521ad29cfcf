import { createHash, hkdfSync } from 'node:crypto';

/**
 * Keys derived from the master key with HKDF-SHA256 (RFC 5869), one per purpose, so a key used
 * to hash API tokens can never be confused with one that encrypts secrets.
 */
export interface Keyring {
  /** Short public id of the master key, stored beside every sealed secret so keys can rotate. */
  readonly keyId: string;
  /** Keys for the purpose `purpose` under the current master key. */
  derive(purpose: KeyPurpose): Buffer;
  /** The same under an older master key that is still accepted for decryption. */
  deriveFor(keyId: string, purpose: KeyPurpose): Buffer | undefined;
}

type KeyPurpose = 'api-token-digest' | 'otp-code' | 'secret-sealing' | 'recovery-lookup' | 'enrollment-token' | 'challenge-events' | 'admin-forms' | 'provider-callbacks' | 'rate-limit-values' | 'handoff-last-method' | 'factor-call-events';

function masterKeyId(masterKey: Buffer): string {
  return createHash('sha256').update('verity-key-id').update(masterKey).digest('hex').slice(0, 12);
}

/** Builds a keyring from the current master key and any retired keys kept for decryption. */
export function createKeyring(current: Buffer, retired: Buffer[] = []): Keyring {
  if (current.length < 32) throw new Error('the master key must be at least 32 bytes');
  const byId = new Map<string, Buffer>();
  for (const key of [current, ...retired]) byId.set(masterKeyId(key), key);
  const cache = new Map<string, Buffer>();
  const derive = (key: Buffer, id: string, purpose: KeyPurpose): Buffer => {
    const cacheKey = `${id}:${purpose}`;
    let derived = cache.get(cacheKey);
    if (!derived) {
      derived = Buffer.from(hkdfSync('sha256', key, 'verity', `verity/${purpose}/v1`, 32));
      cache.set(cacheKey, derived);
    }
    return derived;
  };
  const keyId = masterKeyId(current);
  return {
    keyId,
    derive: (purpose) => derive(current, keyId, purpose),
    deriveFor: (id, purpose) => {
      const key = byId.get(id);
      return key ? derive(key, id, purpose) : undefined;
    },
  };
}

/** Parses a master key given as 64 hex characters or base64/base64url of at least 32 bytes. */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64,}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const decoded = Buffer.from(trimmed, 'base64');
  if (decoded.length >= 32) return decoded;
  throw new Error('must be 64 hex characters or base64 of at least 32 bytes');
}
