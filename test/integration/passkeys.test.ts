import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SoftAuthenticator } from '../support/soft-authenticator.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';

const ORIGIN = 'https://login.example.com';
const RP_ID = 'example.com';

/** Passkeys (WebAuthn) as a factor: registration, challenges, replay and clone defences, usernameless sign-in. */
for (const database of DATABASES) {
  describe(`passkeys (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let counter = 0;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      const created = await v.api('POST', '/v2/Services', {
        FriendlyName: 'Acme Bank',
        'Passkeys.RelyingParty.Id': RP_ID,
        'Passkeys.RelyingParty.Name': 'Acme',
        'Passkeys.RelyingParty.Origins': `${ORIGIN},https://app.example.com`,
        'Passkeys.UserVerification': 'required',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      serviceSid = created.body.sid;
    });
    after(async () => v.close());

    const clock = () => v.clock as NonNullable<TestVerity['clock']>;
    const newIdentity = () => `user-${Date.now().toString(36)}-${++counter}`;
    const entity = (identity: string) => `/v2/Services/${serviceSid}/Entities/${identity}`;

    /** Creates and verifies a passkey factor for `identity` with a fresh authenticator. */
    const enroll = async (identity: string, authenticator = new SoftAuthenticator(ORIGIN)) => {
      const created = await v.api('POST', `${entity(identity)}/Factors`, { FactorType: 'passkeys', FriendlyName: 'Ana’s laptop' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const response = authenticator.register(created.body.binding.registration_options);
      const verified = await v.api('POST', `${entity(identity)}/Factors/${created.body.sid}`, { AuthPayload: JSON.stringify(response) });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      return { factorSid: created.body.sid as string, credentialId: response.id, authenticator, verified };
    };
    const newChallenge = async (identity: string, factorSid: string) => {
      const res = await v.api('POST', `${entity(identity)}/Challenges`, { FactorSid: factorSid });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body;
    };
    const answer = (identity: string, sid: string, response: unknown) => v.api('POST', `${entity(identity)}/Challenges/${sid}`, { AuthPayload: JSON.stringify(response) });

    it('refuses a passkey factor when the service has no relying party id (60300)', async () => {
      const bare = await v.api('POST', '/v2/Services', { FriendlyName: 'No RP' });
      const res = await v.api('POST', `/v2/Services/${bare.body.sid}/Entities/${newIdentity()}/Factors`, { FactorType: 'passkeys', FriendlyName: 'key' });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 60300);
      assert.match(res.body.message, /Passkeys\.RelyingParty\.Id/);
    });

    it('registers a passkey: registration options once in binding, then verified with the RegistrationResponse', async () => {
      const identity = newIdentity();
      const created = await v.api('POST', `${entity(identity)}/Factors`, { FactorType: 'passkeys', FriendlyName: 'Ana’s laptop' });
      assert.equal(created.status, 201);
      assert.equal(created.body.status, 'unverified');
      assert.equal(created.body.factor_type, 'passkeys');
      const options = created.body.binding.registration_options;
      assert.equal(options.rp.id, RP_ID);
      assert.equal(options.rp.name, 'Acme');
      assert.equal(options.attestation, 'none');
      assert.equal(options.authenticatorSelection.userVerification, 'required');
      assert.ok(options.challenge.length >= 22, 'expected options.challenge.length >= 22');
      const fetched = await v.api('GET', `${entity(identity)}/Factors/${created.body.sid}`);
      assert.equal(fetched.body.binding, null, 'the options are given once');

      const authenticator = new SoftAuthenticator(ORIGIN);
      const verified = await v.api('POST', `${entity(identity)}/Factors/${created.body.sid}`, { AuthPayload: JSON.stringify(authenticator.register(options)) });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      assert.equal(verified.body.status, 'verified');
      assert.deepEqual(verified.body.config, { relying_party_id: RP_ID, transports: ['internal'], credential_device_type: 'singleDevice' });

      // A second passkey of the entity excludes the first.
      const second = await v.api('POST', `${entity(identity)}/Factors`, { FactorType: 'passkeys', FriendlyName: 'phone' });
      assert.equal(second.body.binding.registration_options.excludeCredentials.length, 1);
      assert.throws(() => authenticator.register(second.body.binding.registration_options), /already registered/);
    });

    it('refuses a registration from a wrong origin or for a wrong RP id (60311), and after 5 tries (60310)', async () => {
      const identity = newIdentity();
      const created = await v.api('POST', `${entity(identity)}/Factors`, { FactorType: 'passkeys', FriendlyName: 'key' });
      const options = created.body.binding.registration_options;
      const path = `${entity(identity)}/Factors/${created.body.sid}`;
      const wrongOrigin = await v.api('POST', path, { AuthPayload: JSON.stringify(new SoftAuthenticator('https://evil.example.net').register(options)) });
      assert.equal(wrongOrigin.status, 403);
      assert.equal(wrongOrigin.body.code, 60311);
      const wrongRp = await v.api('POST', path, { AuthPayload: JSON.stringify(new SoftAuthenticator(ORIGIN).register(options, { rpId: 'evil.example.net' })) });
      assert.equal(wrongRp.body.code, 60311);
      const notJson = await v.api('POST', path, { AuthPayload: 'not json' });
      assert.equal(notJson.body.code, 60200);
      for (let i = 0; i < 3; i++) assert.equal((await v.api('POST', path, { AuthPayload: JSON.stringify(new SoftAuthenticator('https://evil.example.net').register(options)) })).body.code, 60311);
      const locked = await v.api('POST', path, { AuthPayload: JSON.stringify(new SoftAuthenticator(ORIGIN).register(options)) });
      assert.equal(locked.body.code, 60310);
      assert.ok(v.logs().includes('passkey registration refused'), "expected v.logs().includes('passkey registration refused')");
    });

    it('refuses a registration after its 5 minutes (64201)', async () => {
      const identity = newIdentity();
      const created = await v.api('POST', `${entity(identity)}/Factors`, { FactorType: 'passkeys', FriendlyName: 'key' });
      clock().advance(5 * 60_000 + 1);
      const res = await v.api('POST', `${entity(identity)}/Factors/${created.body.sid}`, { AuthPayload: JSON.stringify(new SoftAuthenticator(ORIGIN).register(created.body.binding.registration_options)) });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 64201);
    });

    it('approves a challenge with a verified assertion (amr swk) and records challenge.approved', async () => {
      const identity = newIdentity();
      const { factorSid, credentialId, authenticator } = await enroll(identity);
      const challenge = await newChallenge(identity, factorSid);
      assert.equal(challenge.status, 'pending');
      assert.equal(challenge.factor_type, 'passkeys');
      const options = challenge.passkey_options;
      assert.equal(options.rpId, RP_ID);
      assert.equal(options.userVerification, 'required');
      assert.deepEqual(options.allowCredentials.map((c: { id: string }) => c.id), [credentialId]);
      const fetched = await v.api('GET', `${entity(identity)}/Challenges/${challenge.sid}`);
      assert.equal(fetched.body.passkey_options, undefined, 'the options are given once, on creation');
      const res = await answer(identity, challenge.sid, authenticator.authenticate(options));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'approved');
      assert.deepEqual(res.body.amr, ['swk']);
      // Another origin listed in Passkeys.RelyingParty.Origins is accepted too.
      const second = await newChallenge(identity, factorSid);
      assert.equal((await answer(identity, second.sid, authenticator.authenticate(second.passkey_options, { origin: 'https://app.example.com' }))).body.status, 'approved');
    });

    it('refuses assertions from a wrong origin, for a wrong RP id, with a tampered signature (60324), counting attempts', async () => {
      const identity = newIdentity();
      const { factorSid, authenticator } = await enroll(identity);
      const challenge = await newChallenge(identity, factorSid);
      const options = challenge.passkey_options;
      const bad = [
        authenticator.authenticate(options, { origin: 'https://evil.example.net' }),
        authenticator.authenticate(options, { rpId: 'evil.example.net' }),
        authenticator.authenticate(options, { tamperSignature: true }),
        authenticator.authenticate({ ...options, challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
      ];
      for (const response of bad) {
        const res = await answer(identity, challenge.sid, response);
        assert.equal(res.status, 403, JSON.stringify(res.body));
        assert.equal(res.body.code, 60324);
      }
      assert.ok(v.logs().includes('passkey response refused'), "expected v.logs().includes('passkey response refused')");
      const fifth = await answer(identity, challenge.sid, authenticator.authenticate(options));
      assert.equal(fifth.body.status, 'approved', 'the fifth attempt is still allowed');
      const sixth = await answer(identity, challenge.sid, authenticator.authenticate(options));
      assert.equal(sixth.body.code, 60306);
    });

    it('allows 5 answers per challenge: the sixth is refused with 60308 even when it verifies', async () => {
      const identity = newIdentity();
      const { factorSid, authenticator } = await enroll(identity);
      const challenge = await newChallenge(identity, factorSid);
      for (let i = 0; i < 5; i++) assert.equal((await answer(identity, challenge.sid, authenticator.authenticate(challenge.passkey_options, { tamperSignature: true }))).body.code, 60324);
      const sixth = await answer(identity, challenge.sid, authenticator.authenticate(challenge.passkey_options));
      assert.equal(sixth.status, 429);
      assert.equal(sixth.body.code, 60308);
    });

    it('refuses an assertion whose counter did not increase (replay or clone: 64202, logged)', async () => {
      const identity = newIdentity();
      const { factorSid, authenticator } = await enroll(identity);
      const first = await newChallenge(identity, factorSid);
      const used = authenticator.authenticate(first.passkey_options);
      assert.equal((await answer(identity, first.sid, used)).body.status, 'approved');
      const second = await newChallenge(identity, factorSid);
      // A cloned authenticator reports a counter at or below the last one seen.
      const cloned = await answer(identity, second.sid, authenticator.authenticate(second.passkey_options, { counter: 1 }));
      assert.equal(cloned.status, 403);
      assert.equal(cloned.body.code, 64202);
      assert.ok(v.logs().includes('possible cloned authenticator'), "expected v.logs().includes('possible cloned authenticator')");
      // The old assertion replayed on the approved challenge, or on a new one, is refused.
      assert.equal((await answer(identity, first.sid, used)).body.code, 60306);
      assert.equal((await answer(identity, second.sid, used)).body.code, 60324);
      const state = await v.api('GET', `${entity(identity)}/Challenges/${second.sid}`);
      assert.equal(state.body.status, 'pending');
    });

    it('accepts authenticators without a counter (both zero)', async () => {
      const identity = newIdentity();
      const { factorSid, authenticator } = await enroll(identity, new SoftAuthenticator(ORIGIN, 0));
      for (let i = 0; i < 2; i++) {
        const challenge = await newChallenge(identity, factorSid);
        assert.equal((await answer(identity, challenge.sid, authenticator.authenticate(challenge.passkey_options))).body.status, 'approved');
      }
    });

    it('refuses an answer to an expired challenge (60306)', async () => {
      const identity = newIdentity();
      const { factorSid, authenticator } = await enroll(identity);
      const challenge = await newChallenge(identity, factorSid);
      clock().advance(5 * 60_000 + 1);
      const res = await answer(identity, challenge.sid, authenticator.authenticate(challenge.passkey_options));
      assert.equal(res.body.code, 60306);
      assert.match(res.body.message, /expired/);
    });

    it('refuses the passkey of another entity', async () => {
      const ana = newIdentity();
      const bob = newIdentity();
      const anaKey = await enroll(ana);
      const bobKey = await enroll(bob);
      // Bob's factor cannot be challenged through Ana's entity.
      const crossed = await v.api('POST', `${entity(ana)}/Challenges`, { FactorSid: bobKey.factorSid });
      assert.equal(crossed.status, 404);
      // Bob's authenticator signing Ana's challenge (as if allowed) is refused.
      const challenge = await newChallenge(ana, anaKey.factorSid);
      const res = await answer(ana, challenge.sid, bobKey.authenticator.authenticate({ ...challenge.passkey_options, allowCredentials: [] }));
      assert.equal(res.body.code, 60324);
    });

    it('approves a challenge at most once when one assertion is sent concurrently', async () => {
      const identity = newIdentity();
      const { factorSid, authenticator } = await enroll(identity);
      const challenge = await newChallenge(identity, factorSid);
      const response = authenticator.authenticate(challenge.passkey_options);
      const results = await Promise.all(Array.from({ length: 10 }, () => answer(identity, challenge.sid, response)));
      assert.equal(results.filter((r) => r.status === 200 && r.body.status === 'approved').length, 1, JSON.stringify(results.map((r) => r.body.code ?? r.body.status)));
      for (const r of results.filter((x) => x.status !== 200)) assert.ok([60306, 64202].includes(r.body.code), JSON.stringify(r.body));
    });

    it('signs in without a username: options without allowCredentials, the response names the identity', async () => {
      const identity = newIdentity();
      const { factorSid, authenticator } = await enroll(identity);
      const opts = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/AuthenticationOptions`);
      assert.equal(opts.status, 201, JSON.stringify(opts.body));
      assert.equal(opts.body.authentication_options.allowCredentials, undefined);
      const response = authenticator.authenticate(opts.body.authentication_options);
      const res = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/Authentications`, { AuthPayload: JSON.stringify(response) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { identity, factor_sid: factorSid, amr: ['swk'] });
      // The options are single-use: the same response again is refused.
      const again = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/Authentications`, { AuthPayload: JSON.stringify(response) });
      assert.equal(again.body.code, 64204);
      // A tampered signature, and a wrong origin, are refused.
      for (const overrides of [{ tamperSignature: true }, { origin: 'https://evil.example.net' }]) {
        const o = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/AuthenticationOptions`);
        const bad = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/Authentications`, { AuthPayload: JSON.stringify(authenticator.authenticate(o.body.authentication_options, overrides)) });
        assert.equal(bad.status, 403);
        assert.equal(bad.body.code, 64203);
      }
      // A counter that went backwards.
      const o = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/AuthenticationOptions`);
      const cloned = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/Authentications`, { AuthPayload: JSON.stringify(authenticator.authenticate(o.body.authentication_options, { counter: 1 })) });
      assert.equal(cloned.body.code, 64202);
      // Expired options.
      const late = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/AuthenticationOptions`);
      clock().advance(5 * 60_000 + 1);
      const expired = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/Authentications`, { AuthPayload: JSON.stringify(authenticator.authenticate(late.body.authentication_options)) });
      assert.equal(expired.body.code, 64204);
      // A passkey this service never registered, and a user handle that is not the passkey's entity.
      const stranger = new SoftAuthenticator(ORIGIN);
      stranger.register({ challenge: 'c2lnbi1pbg', rp: { id: RP_ID, name: 'Acme' }, user: { id: Buffer.from(identity).toString('base64url'), name: identity } });
      const o2 = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/AuthenticationOptions`);
      const unknown = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/Authentications`, { AuthPayload: JSON.stringify(stranger.authenticate(o2.body.authentication_options)) });
      assert.deepEqual([unknown.status, unknown.body.code], [403, 64205]);
      // Twilio has no page for a code Verity added: more_info points at Verity's own list.
      assert.equal(unknown.body.more_info, `${v.url}/docs/errors#64205`);
      const o3 = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/AuthenticationOptions`);
      const otherHandle = authenticator.authenticate(o3.body.authentication_options);
      otherHandle.response.userHandle = Buffer.from('YE-someone-else').toString('base64url');
      const mismatch = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/Authentications`, { AuthPayload: JSON.stringify(otherHandle) });
      assert.equal(mismatch.body.code, 64205);
      // The service requires user verification: presence alone (no biometric or PIN) is refused.
      const o4 = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/AuthenticationOptions`);
      const presenceOnly = await v.api('POST', `/v2/Services/${serviceSid}/Passkeys/Authentications`, { AuthPayload: JSON.stringify(authenticator.authenticate(o4.body.authentication_options, { userVerified: false })) });
      assert.deepEqual([presenceOnly.status, presenceOnly.body.code], [403, 64206]);
    });
  });
}
