import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SoftAuthenticator, type AuthenticationOptions } from '../support/soft-authenticator.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';

const ORIGIN = 'https://login.example.com';
const RP_ID = 'example.com';

/** What the official client throws for an error answer. */
interface RestError {
  status: number;
  code: number;
  message: string;
}

/** The WebAuthn request options of a new passkey challenge (the client types `options` as a bare object). */
const requestOf = (challenge: { options: object }) =>
  (challenge.options as { publicKey: AuthenticationOptions & { rpId: string; userVerification: string; allowCredentials: Array<{ id: string }> } }).publicKey;

async function refused(promise: Promise<unknown>, status: number, code: number): Promise<RestError> {
  try {
    await promise;
  } catch (error) {
    const e = error as RestError;
    assert.deepEqual([e.status, e.code], [status, code], e.message);
    return e;
  }
  assert.fail(`expected ${status} / ${code}, got a success`);
}

/**
 * The service-level Passkeys actions of twilio 6.2.0 (`newFactors`, `newVerifyFactors`,
 * `newChallenge()`, `approveChallenge`), driven through the official client with JSON bodies and a
 * software WebAuthn authenticator: registration, challenge, approval, and what must be refused.
 */
for (const database of DATABASES) {
  describe(`service-level passkeys actions through the twilio client (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let bareServiceSid: string;
    let counter = 0;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      const created = await v.api('POST', '/v2/Services', {
        FriendlyName: 'Acme Bank',
        'Passkeys.RelyingParty.Id': RP_ID,
        'Passkeys.RelyingParty.Name': 'Acme',
        'Passkeys.RelyingParty.Origins': ORIGIN,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      serviceSid = created.body.sid;
      // No Passkeys.* settings at all: each factor brings its relying party in `config`.
      bareServiceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Bare' })).body.sid;
    });
    after(async () => v.close());

    const service = (sid = serviceSid) => v.client.verify.v2.services(sid);
    const newIdentity = () => `user-${Date.now().toString(36)}-${++counter}`;

    /** Creates and verifies a passkey through the client; returns the factor, the authenticator and the credential id. */
    const enroll = async (identity: string, authenticator = new SoftAuthenticator(ORIGIN), sid = serviceSid, config?: object) => {
      const factor = await service(sid).newFactors.create({ friendlyName: 'Ana’s laptop', identity, ...(config ? { config } : {}) });
      const registration = authenticator.register(factor.options.publicKey);
      const verified = await service(sid).newVerifyFactors.update(registration);
      return { factor, verified, authenticator, credentialId: registration.id };
    };

    it('registers, verifies, challenges and approves a passkey (camelCase JSON, as the client sends it)', async () => {
      const identity = newIdentity();
      const factor = await service().newFactors.create({ friendlyName: 'Ana’s laptop', identity, config: { userVerification: 'required' } });
      assert.match(factor.sid, /^YF[0-9a-f]{32}$/);
      assert.equal(factor.status, 'unverified');
      assert.equal(factor.factorType, 'passkeys');
      assert.equal(factor.identity, identity);
      assert.equal(factor.serviceSid, serviceSid);
      const options = factor.options.publicKey;
      assert.equal(options.rp.id, RP_ID);
      assert.equal(options.rp.name, 'Acme');
      assert.equal(options.attestation, 'none');
      assert.equal(options.authenticatorSelection.userVerification, 'required', 'the factor config overrides the service');
      assert.ok(options.challenge.length >= 22, 'a 32-byte challenge');
      // The entity was created with the factor.
      assert.equal((await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}`)).status, 200);

      const authenticator = new SoftAuthenticator(ORIGIN);
      const registration = authenticator.register(options);
      const verified = await service().newVerifyFactors.update(registration);
      assert.equal(verified.sid, factor.sid);
      assert.equal(verified.status, 'verified');
      assert.deepEqual(verified.config, { relying_party_id: RP_ID, transports: ['internal'], credential_device_type: 'singleDevice' });

      const challenge = await service().newChallenge().create({ identity });
      assert.match(challenge.sid, /^YC[0-9a-f]{32}$/);
      assert.equal(challenge.status, 'pending');
      assert.equal(challenge.factorSid, factor.sid);
      assert.equal(challenge.factorType, 'passkeys');
      const request = requestOf(challenge);
      assert.equal(request.rpId, RP_ID);
      assert.equal(request.userVerification, 'required');
      assert.deepEqual(request.allowCredentials.map((c: { id: string }) => c.id), [registration.id]);

      const approved = await service().approveChallenge.update(authenticator.authenticate(request));
      assert.equal(approved.sid, challenge.sid);
      assert.equal(approved.status, 'approved');
      assert.ok(approved.dateResponded instanceof Date, 'date_responded is set');
      const fetched = await v.client.verify.v2.services(serviceSid).entities(identity).challenges(challenge.sid).fetch();
      assert.equal(fetched.status, 'approved');
    });

    it('challenges by factorSid, and refuses an identity that is not the factor\'s, an unknown factor, and an empty body', async () => {
      const ana = newIdentity();
      const bob = newIdentity();
      const { factor, authenticator } = await enroll(ana);
      await enroll(bob);
      const challenge = await service().newChallenge().create({ factorSid: factor.sid });
      assert.equal(challenge.identity, ana);
      assert.equal((await service().approveChallenge.update(authenticator.authenticate(requestOf(challenge)))).status, 'approved');
      await refused(service().newChallenge().create({ factorSid: factor.sid, identity: bob }), 404, 20404);
      await refused(service().newChallenge().create({ factorSid: 'YF' + '0'.repeat(32) }), 404, 20404);
      await refused(service().newChallenge().create({}), 400, 60200);
      await refused(service().newChallenge().create({ identity: 'nobody-here-1234' }), 404, 20404);
      // An unverified factor cannot be challenged.
      const pending = await service().newFactors.create({ friendlyName: 'later', identity: newIdentity() });
      await refused(service().newChallenge().create({ factorSid: pending.sid }), 400, 60300);
      // Two passkeys: identity alone is ambiguous.
      await enroll(ana);
      await refused(service().newChallenge().create({ identity: ana }), 400, 60200);
    });

    it('takes the relying party from config on a service without passkey settings, for the registration and every challenge', async () => {
      const identity = newIdentity();
      const config = { relyingParty: { id: 'shop.example.org', name: 'Shop', origins: ['https://shop.example.org'] }, authenticatorAttachment: 'cross-platform', discoverableCredentials: 'required', userVerification: 'required' };
      const authenticator = new SoftAuthenticator('https://shop.example.org');
      const { factor, verified } = await enroll(identity, authenticator, bareServiceSid, config);
      assert.equal(factor.options.publicKey.rp.id, 'shop.example.org');
      assert.equal(factor.options.publicKey.rp.name, 'Shop');
      assert.deepEqual(factor.options.publicKey.authenticatorSelection, { residentKey: 'required', requireResidentKey: true, userVerification: 'required', authenticatorAttachment: 'cross-platform' });
      assert.equal(verified.status, 'verified');
      const challenge = await service(bareServiceSid).newChallenge().create({ identity });
      assert.equal(requestOf(challenge).rpId, 'shop.example.org');
      // The factor's userVerification=required holds at approval too: presence alone is refused.
      await refused(service(bareServiceSid).approveChallenge.update(authenticator.authenticate(requestOf(challenge), { userVerified: false })), 403, 60324);
      assert.equal((await service(bareServiceSid).approveChallenge.update(authenticator.authenticate(requestOf(challenge)))).status, 'approved');
      // Without config, the bare service names no relying party (60371), nor with a malformed one.
      await refused(service(bareServiceSid).newFactors.create({ friendlyName: 'key', identity: newIdentity() }), 400, 60371);
      await refused(service(bareServiceSid).newFactors.create({ friendlyName: 'key', identity: newIdentity(), config: { relyingParty: { id: 'https://shop.example.org' } } }), 400, 60371);
      await refused(service(bareServiceSid).newFactors.create({ friendlyName: 'key', identity: newIdentity(), config: { relyingParty: { id: 'shop.example.org', origins: ['https://shop.example.org/login'] } } }), 400, 60371);
      await refused(service().newFactors.create({ friendlyName: 'key', identity: newIdentity(), config: { userVerification: 'always' } }), 400, 60200);
      await refused(service().newFactors.create({ friendlyName: '', identity: newIdentity() }), 400, 60200);
      await refused(service().newFactors.create({ friendlyName: 'key', identity: 'short' }), 400, 60200);
    });

    it('refuses a registration from a wrong origin, for a wrong challenge, and its replay (60311)', async () => {
      const identity = newIdentity();
      const factor = await service().newFactors.create({ friendlyName: 'key', identity });
      const options = factor.options.publicKey;
      await refused(service().newVerifyFactors.update(new SoftAuthenticator('https://evil.example.net').register(options)), 403, 60311);
      await refused(service().newVerifyFactors.update(new SoftAuthenticator(ORIGIN).register(options, { rpId: 'evil.example.net' })), 403, 60311);
      await refused(service().newVerifyFactors.update(new SoftAuthenticator(ORIGIN).register({ ...options, challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })), 403, 60311);
      const good = new SoftAuthenticator(ORIGIN).register(options);
      assert.equal((await service().newVerifyFactors.update(good)).status, 'verified', 'the failures above left attempts for the right response');
      await refused(service().newVerifyFactors.update(good), 403, 60311);
      // The registration of another service is not this service's.
      const other = await service(bareServiceSid).newFactors.create({ friendlyName: 'key', identity: newIdentity(), config: { relyingParty: { id: RP_ID, origins: [ORIGIN] } } });
      await refused(service().newVerifyFactors.update(new SoftAuthenticator(ORIGIN).register(other.options.publicKey)), 403, 60311);
      // Not a RegistrationResponse at all.
      await refused(service().newVerifyFactors.update({ id: 'x', response: {} } as never), 400, 60200);
      assert.ok(v.logs().includes('passkey registration refused'), 'refusals are logged');
    });

    it('refuses an expired registration (64201)', async () => {
      const factor = await service().newFactors.create({ friendlyName: 'key', identity: newIdentity() });
      (v.clock as NonNullable<TestVerity['clock']>).advance(5 * 60_000 + 1);
      await refused(service().newVerifyFactors.update(new SoftAuthenticator(ORIGIN).register(factor.options.publicKey)), 400, 64201);
    });

    it('refuses assertions from a wrong origin, for a wrong challenge, tampered, replayed or cloned', async () => {
      const identity = newIdentity();
      const { authenticator } = await enroll(identity);
      const challenge = await service().newChallenge().create({ identity });
      const options = requestOf(challenge);
      await refused(service().approveChallenge.update(authenticator.authenticate(options, { origin: 'https://evil.example.net' })), 403, 60324);
      await refused(service().approveChallenge.update(authenticator.authenticate(options, { rpId: 'evil.example.net' })), 403, 60324);
      await refused(service().approveChallenge.update(authenticator.authenticate(options, { tamperSignature: true })), 403, 60324);
      // A challenge no one issued is no challenge of this service (nothing counted on any challenge).
      await refused(service().approveChallenge.update(authenticator.authenticate({ ...options, challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })), 403, 60324);
      const assertion = authenticator.authenticate(options);
      assert.equal((await service().approveChallenge.update(assertion)).status, 'approved', 'three refused responses leave attempts');
      // Replayed once approved: the ceremony is gone.
      await refused(service().approveChallenge.update(assertion), 403, 60324);
      // A cloned authenticator (its counter did not increase) on a new challenge.
      const next = await service().newChallenge().create({ identity });
      await refused(service().approveChallenge.update(authenticator.authenticate(requestOf(next), { counter: 1 })), 403, 64202);
      const state = await v.client.verify.v2.services(serviceSid).entities(identity).challenges(next.sid).fetch();
      assert.equal(state.status, 'pending');
      // The challenge counted the responses: 5 per challenge, then 60308.
      for (let i = 0; i < 4; i++) await refused(service().approveChallenge.update(authenticator.authenticate(requestOf(next), { tamperSignature: true })), 403, 60324);
      await refused(service().approveChallenge.update(authenticator.authenticate(requestOf(next))), 429, 60308);
    });

    it('refuses the answer to an expired challenge (60306)', async () => {
      const identity = newIdentity();
      const { authenticator } = await enroll(identity);
      const challenge = await service().newChallenge().create({ identity });
      (v.clock as NonNullable<TestVerity['clock']>).advance(5 * 60_000 + 1);
      const error = await refused(service().approveChallenge.update(authenticator.authenticate(requestOf(challenge))), 400, 60306);
      assert.match(error.message, /expired/);
    });

    it('accepts the hosted documentation\'s snake_case JSON, and keeps the cross-site guard on JSON bodies', async () => {
      const identity = newIdentity();
      const auth = 'Basic ' + Buffer.from(`${v.accountSid}:${v.authToken}`).toString('base64');
      const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${v.url}/v2/Services/${serviceSid}/Passkeys/${path}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      const created = await post('Factors', { friendly_name: 'key', identity, config: { relying_party: { id: RP_ID, origins: [ORIGIN] }, user_verification: 'discouraged' } });
      assert.equal(created.status, 201);
      const factor = (await created.json()) as { sid: string; options: { publicKey: any } };
      assert.equal(factor.options.publicKey.authenticatorSelection.userVerification, 'discouraged');
      const registration = new SoftAuthenticator(ORIGIN).register(factor.options.publicKey);
      const snake = { id: registration.id, raw_id: registration.rawId, type: 'public-key', response: { client_data_json: registration.response.clientDataJSON, attestation_object: registration.response.attestationObject } };
      const verified = await post('VerifyFactor', snake);
      assert.equal(verified.status, 200, await verified.clone().text());
      assert.equal(((await verified.json()) as { status: string }).status, 'verified');
      const challenged = await post('Challenges', { factor_sid: factor.sid });
      assert.equal(challenged.status, 201);
      // A web page of another site cannot use the API, JSON or not.
      const crossSite = await post('Challenges', { factor_sid: factor.sid }, { origin: 'https://evil.example.net' });
      assert.equal(crossSite.status, 403);
      assert.equal(((await crossSite.json()) as { code: number }).code, 20403);
      // A body that is not JSON is refused as bad input, never a 5xx.
      const broken = await fetch(`${v.url}/v2/Services/${serviceSid}/Passkeys/Challenges`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: '{"identity":' });
      assert.equal(broken.status, 400);
      // Nor is JSON nested thousands of levels deep (a few kilobytes): once a stack overflow and a 500.
      const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
      for (const path of ['Factors', 'VerifyFactor', 'Challenges', 'ApproveChallenge']) {
        const nested = await fetch(`${v.url}/v2/Services/${serviceSid}/Passkeys/${path}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: `{"identity":"${identity}","x":${deep(12_000)},"response":{"y":${deep(12_000)}}}` });
        assert.equal(nested.status, 400, `${path}: ${await nested.clone().text()}`);
      }
    });

    it('approves a challenge at most once when one assertion is sent concurrently', async () => {
      const identity = newIdentity();
      const { authenticator } = await enroll(identity);
      const challenge = await service().newChallenge().create({ identity });
      const assertion = authenticator.authenticate(requestOf(challenge));
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => service().approveChallenge.update(assertion)));
      const approved = results.filter((r) => r.status === 'fulfilled' && r.value.status === 'approved');
      assert.equal(approved.length, 1, JSON.stringify(results.map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as RestError).code))));
      for (const r of results) if (r.status === 'rejected') assert.ok([60306, 60324, 64202].includes((r.reason as RestError).code), String((r.reason as RestError).code));
    });
  });
}
