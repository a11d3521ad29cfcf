import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { ManualClock } from '../../../crypto/clock.ts';
import { ApnsProviderToken, PROVIDER_TOKEN_REUSE_MS } from './apns-provider-token.ts';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const claimsOf = async (token: string) => JSON.parse(new TextDecoder().decode((await compactVerify(token, createPublicKey(privateKey))).payload)) as Record<string, unknown>;

describe('APNs provider token', () => {
  it('is an ES256 JWT with exactly Apple\'s header {alg, kid} and claims {iss, iat}', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
    const token = await new ApnsProviderToken({ key: privateKey, keyId: 'ABC123DEFG', teamId: 'DEF123GHIJ' }, clock).token();
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'ES256', kid: 'ABC123DEFG' });
    assert.deepEqual(await claimsOf(token), { iss: 'DEF123GHIJ', iat: Date.UTC(2026, 5, 1, 12) / 1000 });
  });

  it('is reused for 50 minutes (Apple: refresh at most every 20, at least every 60) and then replaced', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
    const provider = new ApnsProviderToken({ key: privateKey, keyId: 'ABC123DEFG', teamId: 'DEF123GHIJ' }, clock);
    const first = await provider.token();
    clock.advance(PROVIDER_TOKEN_REUSE_MS - 1000);
    assert.equal(await provider.token(), first);
    clock.advance(1000);
    const second = await provider.token();
    assert.notEqual(second, first);
    assert.equal((await claimsOf(second)).iat, (Date.UTC(2026, 5, 1, 12) + PROVIDER_TOKEN_REUSE_MS) / 1000);
    assert.ok(PROVIDER_TOKEN_REUSE_MS >= 20 * 60_000 && PROVIDER_TOKEN_REUSE_MS < 60 * 60_000, 'inside Apple\'s window');
  });

  it('signs a new token after APNs answers ExpiredProviderToken, and not for a stale report', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
    const provider = new ApnsProviderToken({ key: privateKey, keyId: 'ABC123DEFG', teamId: 'DEF123GHIJ' }, clock);
    const first = await provider.token();
    provider.expire('some.older.token');
    assert.equal(await provider.token(), first);
    clock.advance(1000);
    provider.expire(first);
    assert.notEqual(await provider.token(), first);
  });
});
