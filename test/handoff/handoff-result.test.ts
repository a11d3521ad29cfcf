import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { buildHandoffRequestUrl, HandoffResultError, verifyHandoffResult, type HandoffResultErrorCode } from '../../packages/sdk/src/handoff.ts';
import { issueHandoffResult } from '../../src/handoff/issue-handoff-result.ts';
import { rotateHandoffKeys } from '../../src/handoff/handoff-signing-keys.ts';
import { verifyHandoffRequest } from '../../src/handoff/verify-handoff-request.ts';
import type { HandoffRequest } from '../../src/handoff/handoff-claims.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { createClient, createService, requestToken, RETURN_URL, type TestClient } from './handoff-support.ts';

const refusedWith = (code: HandoffResultErrorCode) => (error: unknown) => {
  assert.ok(error instanceof HandoffResultError, String(error));
  assert.equal(error.code, code, error.message);
  return true;
};

for (const database of DATABASES) {
  describe(`hand-off results (${database.name})`, () => {
    let v: TestVerity;
    let client: TestClient;
    let request: HandoffRequest;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      client = await createClient(v, await createService(v));
      request = await verifyHandoffRequest(v.ctx, await requestToken(v, client));
    });
    after(async () => v.close());

    const verify = (token: string, extra: Partial<Parameters<typeof verifyHandoffResult>[0]> = {}) =>
      verifyHandoffResult({ token, verityUrl: v.url, clientSid: client.sid, expectedState: 'session-state-1', expectedSubject: 'user-1234', now: v.ctx.clock.now(), ...extra });

    it('round trip: SDK request → verifyHandoffRequest → issueHandoffResult → SDK verifyHandoffResult (JWKS fetched)', async () => {
      const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: client.sid, secret: client.secret as string, subject: 'user-77', state: 'st-77', returnTo: RETURN_URL, factors: ['totp'], now: v.ctx.clock.now() });
      const accepted = await verifyHandoffRequest(v.ctx, new URL(url).searchParams.get('request') as string);
      const authTime = v.ctx.clock.now();
      const token = await issueHandoffResult(v.ctx, accepted, { amr: ['otp'], acr: 'urn:example:mfa', authTime });
      const header = decodeProtectedHeader(token);
      assert.deepEqual([header.alg, header.typ, typeof header.kid], ['ES256', 'verity-handoff-result+jwt', 'string']);
      const seen = new Set<string>();
      const result = await verify(token, { expectedState: 'st-77', expectedSubject: 'user-77', seenJti: (jti) => seen.has(jti) || (seen.add(jti), false) });
      assert.deepEqual(result.amr, ['otp']);
      assert.equal(result.acr, 'urn:example:mfa');
      assert.equal(result.subject, 'user-77');
      assert.equal(result.authTime, Math.floor(authTime / 1000) * 1000);
    });

    it('the JWKS is public and lists only public keys', async () => {
      const response = await fetch(`${v.url}/.well-known/jwks.json`);
      assert.equal(response.status, 200);
      const jwks = (await response.json()) as JSONWebKeySet;
      assert.ok(jwks.keys.length >= 1, 'expected jwks.keys.length >= 1');
      for (const key of jwks.keys) {
        assert.deepEqual([key.kty, key.crv, key.alg, key.use], ['EC', 'P-256', 'ES256', 'sig']);
        assert.equal('d' in key, false);
      }
    });

    it('refuses a tampered result', async () => {
      const token = await issueHandoffResult(v.ctx, request, { amr: ['otp'], authTime: v.ctx.clock.now() });
      const [h, p, s] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, amr: ['hwk'] })).toString('base64url')}.${s}`;
      await assert.rejects(verify(forged), refusedWith('ERR_HANDOFF_SIGNATURE'));
      await assert.rejects(verify('garbage'), refusedWith('ERR_HANDOFF_MALFORMED'));
      await verify(token);
    });

    it('refuses a replayed result (seenJti)', async () => {
      const token = await issueHandoffResult(v.ctx, request, { amr: ['swk'], authTime: v.ctx.clock.now() });
      const seen = new Set<string>();
      const seenJti = async (jti: string) => seen.has(jti) || (seen.add(jti), false);
      await verify(token, { seenJti });
      await assert.rejects(verify(token, { seenJti }), refusedWith('ERR_HANDOFF_REPLAYED'));
    });

    it('refuses an expired result (120 s, plus 30 s tolerance)', async () => {
      const token = await issueHandoffResult(v.ctx, request, { amr: ['otp'], authTime: v.ctx.clock.now() });
      await verify(token, { now: v.ctx.clock.now() + 149_000 });
      await assert.rejects(verify(token, { now: v.ctx.clock.now() + 151_000 }), refusedWith('ERR_HANDOFF_EXPIRED'));
    });

    it('refuses a result for another client, from another issuer, for another state or subject', async () => {
      const token = await issueHandoffResult(v.ctx, request, { amr: ['otp'], authTime: v.ctx.clock.now() });
      await assert.rejects(verify(token, { clientSid: `HC${'1'.repeat(32)}` }), refusedWith('ERR_HANDOFF_AUDIENCE'));
      const jwks = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
      await assert.rejects(verify(token, { verityUrl: 'https://other-verity.example.com', jwks }), refusedWith('ERR_HANDOFF_ISSUER'));
      await assert.rejects(verify(token, { expectedState: 'another-session' }), refusedWith('ERR_HANDOFF_STATE'));
      await assert.rejects(verify(token, { expectedSubject: 'user-9999' }), refusedWith('ERR_HANDOFF_SUBJECT'));
    });

    it('refuses amr values outside RFC 8176', async () => {
      await assert.rejects(issueHandoffResult(v.ctx, request, { amr: ['totp'], authTime: v.ctx.clock.now() }), /RFC 8176/);
      await assert.rejects(issueHandoffResult(v.ctx, request, { amr: [], authTime: v.ctx.clock.now() }), /RFC 8176/);
    });

    it('key rotation: old results verify until the old key retires, new ones carry the new kid', async () => {
      const issuedAt = v.ctx.clock.now();
      const before = await issueHandoffResult(v.ctx, request, { amr: ['otp'], authTime: issuedAt });
      const oldKid = decodeProtectedHeader(before).kid;
      const { kid: newKid } = await rotateHandoffKeys(v.ctx);
      assert.notEqual(newKid, oldKid);
      const afterRotation = await issueHandoffResult(v.ctx, request, { amr: ['otp'], authTime: v.ctx.clock.now() });
      assert.equal(decodeProtectedHeader(afterRotation).kid, newKid);

      const jwksNow = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
      assert.deepEqual(new Set(jwksNow.keys.map((k) => k.kid)), new Set([oldKid, newKid]));
      await verify(before, { jwks: jwksNow });
      await verify(afterRotation, { jwks: jwksNow });
      // The SDK's cached JWKS (fetched before the rotation) refetches on the new kid.
      await verify(afterRotation);

      v.clock?.advance(24 * 3_600_000 + 1);
      const jwksLater = (await (await fetch(`${v.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
      assert.deepEqual(jwksLater.keys.map((k) => k.kid), [newKid]);
      // Checked as of its own time (so expiry is not what refuses it), the old result no longer finds its key.
      await assert.rejects(verify(before, { jwks: jwksLater, now: issuedAt }), refusedWith('ERR_HANDOFF_SIGNATURE'));
    });
  });
}
