import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { buildHandoffRequestUrl } from '../../packages/sdk/src/handoff.ts';
import { verifyHandoffRequest } from '../../src/handoff/verify-handoff-request.ts';
import { asWireError } from '../../src/http/domain-error-mapping.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { createClient, createService, HostedBrowser, publicOf, requestToken, RETURN_URL, type TestClient } from './handoff-support.ts';

const refusedWith = (code: number) => (error: unknown) => {
  const wire = asWireError(error);
  assert.ok(wire, String(error));
  assert.equal(wire.code, code, wire.message);
  return true;
};

for (const database of DATABASES) {
  describe(`hand-off requests (${database.name})`, () => {
    let v: TestVerity;
    let client: TestClient;
    let other: TestClient;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      const serviceSid = await createService(v);
      client = await createClient(v, serviceSid);
      other = await createClient(v, serviceSid);
    });
    after(async () => v.close());

    it('accepts a request built by the SDK, once', async () => {
      const url = await buildHandoffRequestUrl({
        verityUrl: v.url,
        clientSid: client.sid,
        secret: client.secret as string,
        subject: 'user-1234',
        state: 'opaque-state',
        returnTo: RETURN_URL,
        factors: ['totp', 'push'],
        acr: 'urn:example:mfa',
        now: v.ctx.clock.now(),
      });
      assert.ok(url.startsWith(`${v.url}/handoff?request=`), 'expected url.startsWith(`${v.url}/handoff?request=`)');
      const token = new URL(url).searchParams.get('request') as string;
      const request = await verifyHandoffRequest(v.ctx, token);
      assert.equal(request.clientSid, client.sid);
      assert.equal(request.serviceSid, client.serviceSid);
      assert.equal(request.subject, 'user-1234');
      assert.equal(request.state, 'opaque-state');
      assert.equal(request.returnTo, RETURN_URL);
      assert.deepEqual(request.factors, ['totp', 'push']);
      assert.equal(request.acr, 'urn:example:mfa');
      await assert.rejects(verifyHandoffRequest(v.ctx, token), refusedWith(64107));
    });

    it('the /handoff entry point verifies the request, shows the hosted page, and refuses a replay', async () => {
      const token = await requestToken(v, client);
      const browser = new HostedBrowser();
      const first = await browser.get(`${v.url}/handoff?request=${token}`);
      assert.equal(first.status, 200);
      assert.match(first.headers.get('content-type') ?? '', /^text\/html/);
      // The browser that opened it is sent back to its session; any other is refused.
      assert.equal((await browser.get(`${v.url}/handoff?request=${token}`)).url, first.url);
      const replay = await new HostedBrowser().get(`${v.url}/handoff?request=${token}`);
      assert.equal(replay.status, 403);
      assert.match(replay.html, /This sign-in link was already used/);
    });

    it('refuses a tampered request', async () => {
      const token = await requestToken(v, client);
      const [h, p, s] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin-0001' })).toString('base64url')}.${s}`;
      await assert.rejects(verifyHandoffRequest(v.ctx, forged), refusedWith(64103));
      // The refused token spent nothing: the genuine one still goes through.
      await verifyHandoffRequest(v.ctx, token);
    });

    it('refuses a replayed jti, even in a fresh token', async () => {
      await verifyHandoffRequest(v.ctx, await requestToken(v, client, { jti: 'fixed-jti-0001' }));
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { jti: 'fixed-jti-0001', state: 'other' })), refusedWith(64107));
      // jti values are the client's own: another client may use the same one.
      await verifyHandoffRequest(v.ctx, await requestToken(v, other, { jti: 'fixed-jti-0001' }));
    });

    it('refuses an expired request', async () => {
      const token = await requestToken(v, client);
      v.clock?.advance(61_000);
      await assert.rejects(verifyHandoffRequest(v.ctx, token), refusedWith(64104));
    });

    it('refuses a lifetime over 120 s, by exp - iat or by exp alone', async () => {
      const now = Math.floor(v.ctx.clock.now() / 1000);
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { exp: now + 121 })), refusedWith(64105));
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { iat: now + 3600, exp: now + 3660 })), refusedWith(64105));
      await verifyHandoffRequest(v.ctx, await requestToken(v, client, { exp: now + 120 }));
    });

    it('refuses an iat in the future', async () => {
      const now = Math.floor(v.ctx.clock.now() / 1000);
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { iat: now + 60, exp: now + 90 })), refusedWith(64109));
    });

    it('refuses another audience', async () => {
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { aud: 'https://other-verity.example.com' })), refusedWith(64106));
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { aud: undefined })), refusedWith(64106));
    });

    it('refuses an unknown client', async () => {
      const ghost = { ...client, sid: `HC${'0'.repeat(32)}` };
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, ghost)), refusedWith(64102));
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { iss: 'joe' })), refusedWith(64102));
    });

    it('refuses a return_to that is not exactly a registered return URL', async () => {
      for (const returnTo of [`${RETURN_URL}/`, `${RETURN_URL}?x=1`, 'https://evil.example.com/mfa/done', RETURN_URL.toUpperCase()]) {
        await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { return_to: returnTo })), refusedWith(64108), returnTo);
      }
    });

    it('refuses a request signed with the secret of another client', async () => {
      const key = new TextEncoder().encode(other.secret as string);
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, {}, { key })), refusedWith(64103));
    });

    it('refuses malformed claims: state over 512 characters, unknown factors, no sub, not a JWT', async () => {
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { state: 'x'.repeat(513) })), refusedWith(64101));
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { factors: ['totp', 'carrier_pigeon'] })), refusedWith(64101));
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { factors: [] })), refusedWith(64101));
      await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, client, { sub: undefined })), refusedWith(64101));
      await assert.rejects(verifyHandoffRequest(v.ctx, 'not-a-jwt'), refusedWith(64101));
      await verifyHandoffRequest(v.ctx, await requestToken(v, client, { state: 'x'.repeat(512) }));
    });

    it('ES256 and EdDSA clients sign with a key of their JWKS; HS256 and other keys are refused', async () => {
      for (const alg of ['ES256', 'EdDSA'] as const) {
        const { privateKey } = await generateKeyPair(alg, { extractable: true });
        const { privateKey: stranger } = await generateKeyPair(alg, { extractable: true });
        const jwk = { ...(await exportJWK(privateKey)), kid: 'app-key-1' };
        const jwksClient = await createClient(v, client.serviceSid, { Jwks: JSON.stringify({ keys: [publicOf(jwk)] }) });
        const created = await v.api('GET', `/v2/Services/${client.serviceSid}/HandoffClients/${jwksClient.sid}`);
        assert.equal(created.body.algorithm, alg);
        assert.equal(jwksClient.secret, undefined, 'a JWKS client gets no secret');

        const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: jwksClient.sid, privateJwk: jwk, subject: 'user-1234', state: 's', returnTo: RETURN_URL, factors: ['totp'], now: v.ctx.clock.now() });
        const request = await verifyHandoffRequest(v.ctx, new URL(url).searchParams.get('request') as string);
        assert.equal(request.clientSid, jwksClient.sid);

        await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, jwksClient, {}, { key: stranger, alg, kid: 'app-key-1' })), refusedWith(64103));
        await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, jwksClient, {}, { key: privateKey, alg, kid: 'no-such-key' })), refusedWith(64103));
        // A single key may go without kid: the header kid then names the client.
        const bare = { ...(await exportJWK(privateKey)) };
        const bareClient = await createClient(v, client.serviceSid, { Jwks: JSON.stringify({ keys: [publicOf(bare)] }) });
        const bareUrl = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: bareClient.sid, privateJwk: bare, subject: 'user-1234', state: 's', returnTo: RETURN_URL, factors: ['sms'], now: v.ctx.clock.now() });
        assert.equal((await verifyHandoffRequest(v.ctx, new URL(bareUrl).searchParams.get('request') as string)).clientSid, bareClient.sid);
        await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, bareClient, {}, { key: stranger, alg })), refusedWith(64103));
        // Algorithm confusion: an HMAC keyed with anything is not accepted from a JWKS client.
        await assert.rejects(verifyHandoffRequest(v.ctx, await requestToken(v, jwksClient, {}, { key: new TextEncoder().encode(JSON.stringify(publicOf(jwk))), alg: 'HS256', kid: 'app-key-1' })), refusedWith(64103));
      }
    });
  });
}
