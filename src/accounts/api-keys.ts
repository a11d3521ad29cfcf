import { randomInt } from 'node:crypto';
import type { Keyring } from '../crypto/keyring.ts';
import { newSid } from '../crypto/random.ts';
import type { ApiKeysStore } from '../store/api-keys-store.ts';
import type { AccountRow, ApiKeyRow } from '../store/schema.ts';
import { tokenDigest, tokenMatches, type TokenChecks } from './account-credentials.ts';

/**
 * Twilio's standard API keys (`SK…`, `/2010-04-01/Accounts/{AC}/Keys`): a second credential of an
 * account, used as HTTP Basic `SK…:secret`. The secret is shown once at creation and stored only as
 * a keyed digest (like the auth token); deleting a key revokes it. As on Twilio, a standard key can
 * do everything its account can except manage keys (that takes the auth token: api-auth.ts).
 */

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 alphanumeric characters, the shape of Twilio's key secrets (about 190 random bits). */
function newKeySecret(): string {
  let secret = '';
  for (let i = 0; i < 32; i++) secret += SECRET_ALPHABET[randomInt(SECRET_ALPHABET.length)];
  return secret;
}

export const API_KEY_SID = /^SK[0-9a-f]{32}$/;

/** Creates a key of the account; the plaintext secret is returned only here. */
export async function createApiKey(keys: ApiKeysStore, keyring: Keyring, accountSid: string, friendlyName: string, now: number): Promise<{ row: ApiKeyRow; secret: string }> {
  const secret = newKeySecret();
  const row: ApiKeyRow = { sid: newSid('SK'), account_sid: accountSid, friendly_name: friendlyName, secret_digest: tokenDigest(keyring, secret), date_created: now, date_updated: now };
  await keys.insert(row);
  return { row, secret };
}

/**
 * Verifies `SK…:secret` and answers the key's account (active accounts only). Read from the
 * database on every request, never cached: a deleted key must fail at once on every node, and an
 * unknown SID costs one indexed read that the per-IP failure limit already bounds. `checks`
 * remembers a secret that matched the row read (keyed by its digest), sparing the HMAC.
 */
export async function authenticateApiKey(keys: ApiKeysStore, keyring: Keyring, sid: string, secret: string, checks?: TokenChecks): Promise<{ key: ApiKeyRow; account: AccountRow } | undefined> {
  if (!API_KEY_SID.test(sid) || secret.length === 0 || secret.length > 256) return undefined;
  const found = await keys.findWithAccount(sid);
  // An unknown key still costs one HMAC, so timing does not reveal which SIDs exist.
  const ok = checks ? checks.matches(secret, found?.key.secret_digest) : tokenMatches(keyring, secret, found?.key.secret_digest);
  return ok && found?.account.status === 'active' ? found : undefined;
}
