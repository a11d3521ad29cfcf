import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../crypto/clock.ts';
import { constantTimeEqual, keyedDigest } from '../crypto/digest.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { newSid } from '../crypto/random.ts';
import { seal, unseal } from '../crypto/seal.ts';
import type { StoreSet } from '../store/store-set.ts';
import type { AccountRow } from '../store/schema.ts';
import { ttlCache } from '../time/ttl-cache.ts';

/**
 * Auth tokens are 256 random bits, so a fast keyed hash (HMAC-SHA256 under a master-derived key)
 * is as strong as a password hash here and keeps authentication to microseconds per request.
 */
export function tokenDigest(keyring: Keyring, token: string): string {
  return `${keyring.keyId}$${keyedDigest(keyring.derive('api-token-digest'), token).toString('hex')}`;
}

/** Checks a token (or an API key's secret) against a stored `keyId$hex` digest, under whichever master key made it. */
export function tokenMatches(keyring: Keyring, token: string, stored: string | undefined): boolean {
  const [keyId = '', hex = ''] = (stored ?? '').split('$');
  // An unknown account or retired key still costs one HMAC, so timing does not reveal which SIDs exist.
  const key = keyring.deriveFor(keyId, 'api-token-digest') ?? keyring.derive('api-token-digest');
  const presented = keyedDigest(key, token);
  const expected = /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : Buffer.alloc(32);
  return constantTimeEqual(presented, expected) && hex.length === 64;
}

/**
 * Remembers, for a short while, which token last matched each stored digest, so a caller that sends
 * the same credentials on every request pays a SHA-256 instead of an HMAC and its checks (about
 * 2 µs less each). Keyed by the stored digest: a rotated token or a deleted API key has no stored
 * digest any more (or a new one), so it is refused exactly as without the memo. Holds SHA-256
 * digests of tokens (256 random bits, or 190 for key secrets), never a token; compared in constant
 * time; bounded and expiring like the account cache. Timing tells a caller only whether its
 * token is the right one, which the answer tells anyway.
 */
export class TokenChecks {
  private readonly verified;

  constructor(
    private readonly keyring: Keyring,
    clock: Clock,
    ttlMs = 10_000,
  ) {
    this.verified = ttlMs > 0 ? ttlCache<string, { hash: Buffer; key: Buffer }>(clock, { max: 10_000, ttlMs }) : undefined;
  }

  /**
   * tokenMatches(keyring, token, stored), remembered for `ttlMs` when it matched, for as long as the
   * keyring still holds the master key the digest was made under (a retired key dropped from a
   * running keyring stops its digests matching at once, as without the memo).
   */
  matches(token: string, stored: string | undefined): boolean {
    const hash = createHash('sha256').update(token, 'utf8').digest();
    const key = stored === undefined ? undefined : this.keyring.deriveFor(stored.slice(0, stored.indexOf('$')), 'api-token-digest');
    const known = stored === undefined ? undefined : this.verified?.get(stored);
    if (known && key !== undefined && known.key === key && constantTimeEqual(known.hash, hash)) return true;
    const ok = tokenMatches(this.keyring, token, stored);
    if (ok && stored !== undefined && key !== undefined) this.verified?.set(stored, { hash, key });
    return ok;
  }
}

/** The context a sealed auth token is bound to (its row); src/crypto/reseal-secrets.ts repeats it for the re-seal after a master-key rotation. */
const authTokenContext = (accountSid: string): string => `account:${accountSid}`;

/**
 * The account's auth token, which keys `X-Twilio-Signature` (HMAC-SHA1, as Twilio signs with the
 * primary auth token); undefined for an account created before tokens were sealed (migration 0019)
 * whose token has not been rotated since.
 */
export function openAuthToken(keyring: Keyring, account: Pick<AccountRow, 'sid' | 'auth_token_sealed'>): string | undefined {
  return account.auth_token_sealed === null ? undefined : unseal(keyring, account.auth_token_sealed, authTokenContext(account.sid));
}

export async function createAccount(stores: Pick<StoreSet, 'accounts'>, keyring: Keyring, friendlyName: string, now: number): Promise<{ account: AccountRow; authToken: string }> {
  const authToken = randomBytes(32).toString('hex');
  const sid = newSid('AC');
  const account: AccountRow = {
    sid,
    friendly_name: friendlyName,
    auth_token_digest: tokenDigest(keyring, authToken),
    auth_token_sealed: seal(keyring, authToken, authTokenContext(sid)),
    status: 'active',
    date_created: now,
    date_updated: now,
  };
  await stores.accounts.insert(account);
  return { account, authToken };
}

export async function rotateAuthToken(stores: Pick<StoreSet, 'accounts'>, keyring: Keyring, sid: string, now: number): Promise<string | undefined> {
  const authToken = randomBytes(32).toString('hex');
  return (await stores.accounts.updateToken(sid, tokenDigest(keyring, authToken), seal(keyring, authToken, authTokenContext(sid)), now)) ? authToken : undefined;
}

/**
 * Seals the token of an account that has none sealed (created before migration 0019), when the
 * caller holds the token itself (the development account's saved credentials). Nothing changes
 * unless `token` is the account's current one.
 */
export async function sealExistingToken(stores: Pick<StoreSet, 'accounts'>, keyring: Keyring, account: AccountRow, token: string): Promise<boolean> {
  if (account.auth_token_sealed !== null || !tokenMatches(keyring, token, account.auth_token_digest)) return false;
  return stores.accounts.fillSealedToken(account.sid, account.auth_token_digest, seal(keyring, token, authTokenContext(account.sid)));
}

/**
 * Verifies `AccountSid:AuthToken`. Account rows are cached briefly (the digest, never the token) so
 * a hot path does no database read and, with the same token again, no HMAC either (TokenChecks);
 * a rotated token takes effect within `cacheMs`.
 */
export class AccountAuthenticator {
  private readonly cache;
  private readonly tokens: TokenChecks;

  constructor(
    private readonly stores: Pick<StoreSet, 'accounts'>,
    keyring: Keyring,
    clock: Clock,
    cacheMs = 10_000,
  ) {
    this.cache = cacheMs > 0 ? ttlCache<string, { row: AccountRow | undefined }>(clock, { max: 10_000, ttlMs: cacheMs }) : undefined;
    this.tokens = new TokenChecks(keyring, clock, cacheMs);
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
    const ok = this.tokens.matches(token, row?.auth_token_digest);
    return ok && row?.status === 'active' ? row : undefined;
  }
}
