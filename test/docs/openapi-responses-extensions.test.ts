import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { buildApp, type BuiltApp } from '../../src/http/build-app.ts';
import { SoftAuthenticator } from '../support/soft-authenticator.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { accountAuthorization, injectTourRequest, type TourBody } from './schema-tour.ts';

const ORIGIN = 'https://login.example.com';
const hasSpeech = spawnSync('espeak-ng', ['--version']).status === 0 && spawnSync('sox', ['--version']).status === 0;

/** A take of the pass phrase (espeak-ng, resampled by sox); takes differ a little, as a person's do. */
function speak(take: number): Buffer {
  const raw = execFileSync('espeak-ng', ['-v', 'en-us+m3', '-s', String(150 + take * 7), '-p', String(48 + take * 3), '--stdout', 'my voice is my password, verify me'], { maxBuffer: 20 * 1024 * 1024 });
  return execFileSync('sox', ['-t', 'wav', '-', '-r', '16000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'pad', '0.3', '0.3'], { input: raw, maxBuffer: 20 * 1024 * 1024 });
}

/**
 * The tour of openapi-responses.test.ts for passkey sign-in, recovery codes, voiceprints, hand-off
 * clients and the operations routes: every JSON response is parsed, strictly, with the schema its
 * route publishes, and the violations are recorded so that one assertion lists them all.
 */
describe('real responses of the factor extensions, hand-off clients and operations match the published schemas', () => {
  let v: TestVerity;
  let built: BuiltApp;
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: TourBody) => injectTourRequest(built.app, method, url, accountAuthorization(v), body);
  before(async () => {
    v = await startVerity({ env: { VERITY_SIMULATOR_TIME_SCALE: '0.1' } });
    built = await buildApp(v.ctx);
    built.responseChecks.mode = 'record';
  });
  after(async () => {
    await built?.app.close();
    await v?.close();
  });

  it('passkey sign-in, recovery codes, voiceprints, hand-off clients, the JWKS and the operations routes', async () => {
    const created = await call('POST', '/v2/Services', { FriendlyName: 'Tour', 'Passkeys.RelyingParty.Id': 'example.com', 'Passkeys.RelyingParty.Origins': ORIGIN });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const service = created.body?.sid as string;
    const entity = (identity: string) => `/v2/Services/${service}/Entities/${identity}`;

    // Passkeys: a registered passkey signs in without a username; bad payloads are refused.
    const authenticator = new SoftAuthenticator(ORIGIN);
    const passkey = await call('POST', `${entity('user-tour-passkey')}/Factors`, { FactorType: 'passkeys', FriendlyName: 'Laptop' });
    assert.equal(passkey.status, 201, JSON.stringify(passkey.body));
    const registration = authenticator.register(passkey.body?.binding.registration_options);
    assert.equal((await call('POST', `${entity('user-tour-passkey')}/Factors/${passkey.body?.sid}`, { AuthPayload: JSON.stringify(registration) })).status, 200);
    const options = await call('POST', `/v2/Services/${service}/Passkeys/AuthenticationOptions`);
    assert.equal(options.status, 201, JSON.stringify(options.body));
    const signedIn = await call('POST', `/v2/Services/${service}/Passkeys/Authentications`, { AuthPayload: JSON.stringify(authenticator.authenticate(options.body?.authentication_options)) });
    assert.deepEqual([signedIn.status, signedIn.body?.identity], [200, 'user-tour-passkey'], JSON.stringify(signedIn.body));
    const tooLong = await call('POST', `/v2/Services/${service}/Passkeys/Authentications`, { AuthPayload: 'x'.repeat(70_000) });
    assert.ok(tooLong.status === 400 || tooLong.status === 413, `a payload over the limit is refused (${tooLong.status})`);
    assert.equal((await call('POST', `/v2/Services/VA${'0'.repeat(32)}/Passkeys/Authentications`, { AuthPayload: ['a', 'b'] })).status, 404, 'an unknown service is reported before the body');

    // Recovery codes: issued once, counted, used.
    const issued = await call('POST', `${entity('user-tour-voice')}/RecoveryCodes`);
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    assert.equal((await call('GET', `${entity('user-tour-voice')}/RecoveryCodes`)).status, 200);
    const used = await call('POST', `${entity('user-tour-voice')}/RecoveryCodes/Check`, { Code: issued.body?.codes[0] });
    assert.deepEqual([used.body?.valid, used.body?.amr], [true, ['otp']]);
    assert.equal((await call('POST', `${entity('user-tour-voice')}/RecoveryCodes/Check`, { Code: 'ZZZZ-ZZZZ-ZZZZ' })).body?.valid, false);
    assert.equal((await call('POST', `${entity('user-tour-voice')}/RecoveryCodes/Check`, { Code: ['a', 'b'] })).body?.message, 'Invalid parameter: Code (given more than once)');
    assert.equal((await call('POST', `${entity('nobody-here')}/RecoveryCodes/Check`, { Code: ['a', 'b'] })).status, 404, 'an unknown entity is reported before the body');

    // Voiceprints (the recovery codes make it a second factor): calls, then recordings when speech can be made here.
    const voice = await call('POST', `${entity('user-tour-voice')}/Factors`, { FactorType: 'voiceprint', FriendlyName: 'My voice' });
    assert.equal(voice.status, 201, JSON.stringify(voice.body));
    const factor = `${entity('user-tour-voice')}/Factors/${voice.body?.sid}`;
    const placed = await call('POST', `${factor}/Calls`, { To: '+14155550123' });
    assert.deepEqual([placed.status, placed.body?.flow], [201, 'voiceprint_enroll'], JSON.stringify(placed.body));
    assert.equal((await call('POST', `${factor}/Calls`, { To: 'x'.repeat(33) })).body?.message, 'Invalid parameter: To (at most 32 characters)');
    assert.equal((await call('POST', `${factor}/Recordings`, Buffer.alloc(0))).body?.code, 60200);
    if (hasSpeech) {
      const takes = [];
      for (let take = 0; take < 3; take++) takes.push(await call('POST', `${factor}/Recordings`, speak(take)));
      assert.deepEqual(takes.map((t) => t.status).slice(0, 1), [201], JSON.stringify(takes[0]?.body));
      assert.equal(takes.at(-1)?.body?.status, 'verified', JSON.stringify(takes.at(-1)?.body));
      const challenge = await call('POST', `${entity('user-tour-voice')}/Challenges`, { FactorSid: voice.body?.sid });
      assert.equal(challenge.status, 201, JSON.stringify(challenge.body));
      const answered = await call('POST', `${entity('user-tour-voice')}/Challenges/${challenge.body?.sid}/Recording`, speak(5));
      assert.equal(answered.status, 200, JSON.stringify(answered.body));
      assert.ok(['match', 'no_match'].includes(answered.body?.voiceprint.decision), JSON.stringify(answered.body));
      const another = await call('POST', `${entity('user-tour-voice')}/Challenges`, { FactorSid: voice.body?.sid });
      const challengeCall = await call('POST', `${entity('user-tour-voice')}/Challenges/${another.body?.sid}/Calls`, { To: '+14155550124' });
      assert.deepEqual([challengeCall.status, challengeCall.body?.flow], [201, 'voiceprint_verify'], JSON.stringify(challengeCall.body));
    }

    // Hand-off clients (HS256 with its secret once, and ES256 from a JWKS) and Verity's result-signing keys.
    const clients = `/v2/Services/${service}/HandoffClients`;
    const hs = await call('POST', clients, { FriendlyName: 'Shop', ReturnUrl: ['https://shop.example.com/cb', 'http://127.0.0.1:8080/cb'] });
    assert.equal(hs.status, 201, JSON.stringify(hs.body));
    assert.equal(typeof hs.body?.secret, 'string');
    assert.equal((await call('GET', `${clients}?PageSize=1`)).status, 200);
    assert.equal((await call('GET', `${clients}/${hs.body?.sid}`)).status, 200);
    assert.equal((await call('POST', clients, { FriendlyName: 'bit.ly/x', ReturnUrl: 'https://shop.example.com/cb' })).body?.message, 'Invalid parameter: FriendlyName (must not contain links or domain names)');
    assert.equal((await call('GET', `${clients}?PageSize=0`)).body?.message, 'Invalid parameter: PageSize (expected an integer from 1 to 1000)');
    assert.equal((await call('DELETE', `${clients}/${hs.body?.sid}`)).status, 204);
    const jwks = await call('GET', '/.well-known/jwks.json');
    assert.deepEqual([jwks.status, jwks.body?.keys[0].alg], [200, 'ES256']);
    const es = await call('POST', clients, { FriendlyName: 'Keys', ReturnUrl: 'https://shop.example.com/cb', Jwks: JSON.stringify({ keys: [{ ...jwks.body?.keys[0], kid: 'k1', use: undefined, alg: undefined }] }) });
    assert.deepEqual([es.status, es.body?.algorithm], [201, 'ES256'], JSON.stringify(es.body));

    // Operations: liveness, readiness and metrics (inject comes from loopback, outside production).
    assert.deepEqual((await call('GET', '/healthz')).body, { status: 'ok' });
    assert.equal((await call('GET', '/readyz')).body?.status, 'ready');
    const metrics = await call('GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /verity_http_request_duration_seconds/);

    assert.deepEqual(built.responseChecks.violations, []);
  });
});
