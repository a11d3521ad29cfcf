import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { unseal } from '../../src/crypto/seal.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { createService, publicOf, RETURN_URL } from './handoff-support.ts';

let v: TestVerity;
let serviceSid: string;
before(async () => {
  v = await startVerity();
  serviceSid = await createService(v);
});
after(async () => v.close());

const path = () => `/v2/Services/${serviceSid}/HandoffClients`;

it('creates an HS256 client, returns its 256-bit secret once and stores it sealed', async () => {
  const created = await v.api('POST', path(), { FriendlyName: 'Shop', ReturnUrl: [RETURN_URL, 'http://127.0.0.1:8080/cb'] });
  assert.equal(created.status, 201);
  const body = created.body;
  assert.match(body.sid, /^HC[0-9a-f]{32}$/);
  assert.deepEqual([body.service_sid, body.friendly_name, body.algorithm, body.return_urls], [serviceSid, 'Shop', 'HS256', [RETURN_URL, 'http://127.0.0.1:8080/cb']]);
  assert.equal(Buffer.from(body.secret, 'base64url').length, 32);
  assert.equal(body.url, `${v.url}${path()}/${body.sid}`);
  assert.match(body.date_created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const fetched = await v.api('GET', `${path()}/${body.sid}`);
  assert.equal(fetched.status, 200);
  assert.equal(fetched.body.secret, undefined, 'the secret is shown only on creation');
  const row = await v.ctx.db.kysely.selectFrom('handoff_clients').selectAll().where('sid', '=', body.sid).executeTakeFirstOrThrow();
  assert.ok(row.secret_sealed && !row.secret_sealed.includes(body.secret), 'expected row.secret_sealed && !row.secret_sealed.includes(body.secret)');
  assert.equal(unseal(v.ctx.keyring, row.secret_sealed, `handoff-client:${body.sid}`), body.secret);

  const list = await v.api('GET', path());
  assert.ok(list.body.handoff_clients.some((c: { sid: string }) => c.sid === body.sid), 'expected list.body.handoff_clients.some((c: { sid: string }) => c.sid === body.sid)');
  assert.equal((await v.api('DELETE', `${path()}/${body.sid}`)).status, 204);
  assert.equal((await v.api('GET', `${path()}/${body.sid}`)).status, 404);
  assert.equal((await v.api('DELETE', `${path()}/${body.sid}`)).status, 404);
});

it('refuses return URLs that are not https (except loopback), carry credentials or a fragment', async () => {
  for (const bad of ['http://app.example.com/cb', 'https://user:pw@app.example.com/cb', 'https://app.example.com/cb#x', 'javascript:alert(1)', 'not a url']) {
    const answer = await v.api('POST', path(), { FriendlyName: 'Bad', ReturnUrl: bad });
    assert.equal(answer.status, 400, bad);
    assert.equal(answer.body.code, 60200, bad);
    assert.match(answer.body.message, /ReturnUrl/);
  }
  assert.equal((await v.api('POST', path(), { FriendlyName: 'None' })).body.code, 60200);
  assert.equal((await v.api('POST', path(), { FriendlyName: 'Dev', ReturnUrl: 'http://localhost:3000/cb' })).status, 201);
});

it('refuses a client name that could phish: it is shown on the pages and spoken in calls', async () => {
  for (const bad of ['Call 1 800 555 0199', 'bit.ly/x login', 'Acme\nYour code is 1234', 'Shop\u202Egnp.exe']) {
    const answer = await v.api('POST', path(), { FriendlyName: bad, ReturnUrl: RETURN_URL });
    assert.equal(answer.status, 400, bad);
    assert.equal(answer.body.code, 60200, bad);
    assert.match(answer.body.message, /FriendlyName/);
  }
  assert.equal((await v.api('POST', path(), { FriendlyName: 'Acme Online Banking for Business & Co', ReturnUrl: RETURN_URL })).status, 201, 'a long plain name still fits');
});

it('takes a public JWKS and refuses private keys, RSA keys and mixed types', async () => {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const ok = await v.api('POST', path(), { FriendlyName: 'Keys', ReturnUrl: RETURN_URL, Jwks: JSON.stringify({ keys: [publicOf(jwk)] }) });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.algorithm, 'ES256');
  assert.equal(ok.body.secret, undefined);
  assert.equal(ok.body.jwks.keys[0].x, jwk.x);

  const { publicKey: rsa } = await generateKeyPair('RS256', { extractable: true });
  const { publicKey: ed } = await generateKeyPair('EdDSA', { extractable: true });
  const cases = {
    private: { keys: [jwk] },
    rsa: { keys: [await exportJWK(rsa)] },
    mixed: { keys: [{ ...publicOf(jwk), kid: 'a' }, { ...(await exportJWK(ed)), kid: 'b' }] },
    empty: { keys: [] },
  };
  for (const [name, jwks] of Object.entries(cases)) {
    const answer = await v.api('POST', path(), { FriendlyName: 'Bad', ReturnUrl: RETURN_URL, Jwks: JSON.stringify(jwks) });
    assert.deepEqual([answer.status, answer.body.code], [400, 60200], name);
    assert.match(answer.body.message, /Jwks/, name);
  }
});

it('is scoped to the account and service, and needs account credentials', async () => {
  assert.equal((await v.api('GET', path(), undefined, null)).status, 401);
  const otherService = await createService(v);
  const created = await v.api('POST', path(), { FriendlyName: 'Scoped', ReturnUrl: RETURN_URL });
  assert.equal((await v.api('GET', `/v2/Services/${otherService}/HandoffClients/${created.body.sid}`)).status, 404);
});
