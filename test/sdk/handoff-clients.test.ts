import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildHandoffRequestUrl, VerityApiError, VerityClient } from '@verity/sdk';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

describe('@verity/sdk hand-off clients against a real Verity', () => {
  let v: TestVerity;
  let verity: VerityClient;
  let serviceSid: string;

  before(async () => {
    v = await startVerity();
    verity = new VerityClient({ baseUrl: v.url, accountSid: v.accountSid, authToken: v.authToken });
    serviceSid = (await verity.services.create({ friendlyName: 'SDK hand-off' })).sid;
  });
  after(async () => v.close());

  it('creates an HS256 client (its secret once), fetches, lists and removes it', async () => {
    const created = await verity.handoffClients.create(serviceSid, { friendlyName: 'Shop', returnUrls: ['http://localhost:3000/back', 'https://shop.example/back'] });
    assert.match(created.sid, /^HC[0-9a-f]{32}$/);
    assert.equal(created.algorithm, 'HS256');
    assert.deepEqual(created.return_urls, ['http://localhost:3000/back', 'https://shop.example/back']);
    assert.ok(created.secret && created.secret.length >= 43, 'expected created.secret && created.secret.length >= 43');

    const fetched = await verity.handoffClients.fetch(serviceSid, created.sid);
    assert.equal(fetched.friendly_name, 'Shop');
    assert.equal(fetched.secret, undefined, 'the secret is shown only once');
    const listed = await verity.handoffClients.list(serviceSid);
    assert.deepEqual(listed.handoff_clients.map((c) => c.sid), [created.sid]);

    // The secret signs requests Verity accepts.
    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: created.sid, secret: created.secret, subject: 'user-0001-sdk', state: 's1', returnTo: 'https://shop.example/back', factors: ['sms'], phone: '+14155550100' });
    // Accepted: Verity answers with its session's page (303), not a refusal.
    const accepted = await fetch(url, { redirect: 'manual' });
    assert.equal(accepted.status, 303);
    assert.match(accepted.headers.get('location') ?? '', /^\/handoff\/page\//);

    await verity.handoffClients.remove(serviceSid, created.sid);
    await assert.rejects(verity.handoffClients.fetch(serviceSid, created.sid), (error: unknown) => error instanceof VerityApiError && error.status === 404);
  });

  it('creates a JWKS client without a secret', async () => {
    const { publicKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const jwk = (await crypto.subtle.exportKey('jwk', publicKey)) as Record<string, unknown>;
    const created = await verity.handoffClients.create(serviceSid, { friendlyName: 'Keys', returnUrls: ['https://keys.example/back'], jwks: { keys: [{ ...jwk, kid: 'k1', alg: 'ES256', use: 'sig' }] } });
    assert.equal(created.algorithm, 'ES256');
    assert.equal(created.secret, undefined);
    assert.equal(created.jwks?.keys.length, 1);
  });

  it('refuses a client without a return URL', async () => {
    await assert.rejects(verity.handoffClients.create(serviceSid, { friendlyName: 'None', returnUrls: [] }), (error: unknown) => error instanceof VerityApiError && error.status === 400);
  });
});
