import { randomBytes } from 'node:crypto';
import type { Clock } from '../crypto/clock.ts';
import { constantTimeEqual, keyedDigest } from '../crypto/digest.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { newSid } from '../crypto/random.ts';
import type { StoreSet } from '../store/store-set.ts';
import type { AccountRow } from '../store/schema.ts';
import { ttlCache } from '../time/ttl-cache.ts';

/**
 * Auth tokens are 256 random bits, so a fast keyed hash (HMAC-SHA256 under a master-derived key)
 * is as strong as a password hash here and keeps authentication to microseconds per request.
 */
function tokenDigest(keyring: Keyring, token: string): string {
  return `${keyring.keyId}$${keyedDigest(keyring.derive('api-token-digest'), token).toString('hex')}`;
}

/** Checks a token against a stored `keyId$hex` digest, under whichever master key made it. */
function tokenMatches(keyring: Keyring, token: string, stored: string | undefined): boolean {
  const [keyId = '', hex = ''] = (stored ?? '').split('$');
  // An unknown account or retired key still costs one HMAC, so timing does not reveal which SIDs exist.
  const key = keyring.deriveFor(keyId, 'api-token-digest') ?? keyring.derive('api-token-digest');
  const presented = keyedDigest(key, token);
  const expected = /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : Buffer.alloc(32);
  return constantTimeEqual(presented, expected) && hex.length === 64;
}

export async function createAccount(stores: Pick<StoreSet, 'accounts'>, keyring: Keyring, friendlyName: string, now: number): Promise<{ account: AccountRow; authToken: string }> {
  const authToken = randomBytes(32).toString('hex');
  const account: AccountRow = {
    sid: newSid('AC'),
    friendly_name: friendlyName,
    auth_token_digest: tokenDigest(keyring, authToken),
    status: 'active',
    date_created: now,
    date_updated: now,
  };
  await stores.accounts.insert(account);
  return { account, authToken };
}

export async function rotateAuthToken(stores: Pick<StoreSet, 'accounts'>, keyring: Keyring, sid: string, now: number): Promise<string | undefined> {
  const authToken = randomBytes(32).toString('hex');
  return (await stores.accounts.updateTokenDigest(sid, tokenDigest(keyring, authToken), now)) ? authToken : undefined;
}

/**
 * Verifies `AccountSid:AuthToken`. Account rows are cached briefly (the digest, never the token) so
 * a hot path does one HMAC and no database read; a rotated token takes effect within `cacheMs`.
 */
export class AccountAuthenticator {
  private readonly cache;

  constructor(
    private readonly stores: Pick<StoreSet, 'accounts'>,
    private readonly keyring: Keyring,
    clock: Clock,
    cacheMs = 10_000,
  ) {
    this.cache = cacheMs > 0 ? ttlCache<string, { row: AccountRow | undefined }>(clock, { max: 10_000, ttlMs: cacheMs }) : undefined;
  }

  async authenticate(sid: string, token: string): Promise<AccountRow | undefined> {
    if (!/^AC[0-9a-f]{32}$/.test(sid) || token.length === 0 || token.length > 256) return undefined;
    let entry = this.cache?.get(sid);
    if (!entry) {
      // An unknown SID is cached too (as no row), so guessing SIDs does not cost a database read each.
      entry = { row: await this.stores.accounts.find(sid) };
      this.cache?.set(sid, entry);
    }
    const row = entry.row;
    const ok = tokenMatches(this.keyring, token, row?.auth_token_digest);
    return ok && row?.status === 'active' ? row : undefined;
  }
}
