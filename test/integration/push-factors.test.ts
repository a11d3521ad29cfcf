import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateDeviceKey, signDeviceToken, signFactorVerification, signPushResponse } from '../../src/factors/push/device-signing.ts';
import { DEVICE_AUDIENCE, JWT_TYPES, type DeviceChallenge } from '../../src/factors/push/push-protocol.ts';
import { SignJWT } from 'jose';
import { collectEvents, deviceCall, enrollDevice, type TestDevice } from '../support/push-device.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { restError } from '../support/test-helpers.ts';
import { nextSubscription } from '../support/wait-for.ts';


const FIELDS = [JSON.stringify({ label: 'Amount', value: '€1,250.00' }), JSON.stringify({ label: 'Payee', value: 'ACME Ltd' })];

/** Push approval: enrollment, signed responses, number matching, fatigue cap, live streams, races. */
for (const database of DATABASES) {
  describe(`push factors and challenges (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let counter = 0;
    before(async () => {
      v = await startVerity({ manualClock: true, ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}) });
      serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Acme Bank' })).sid;
    });
    after(async () => v.close());

    const clock = () => v.clock as NonNullable<TestVerity['clock']>;
    const service = () => v.client.verify.v2.services(serviceSid);
    const newIdentity = () => `user-${Date.now().toString(36)}-${++counter}`;
    const newChallenge = (identity: string, device: TestDevice, extra: Record<string, unknown> = {}) =>
      service()
        .entities(identity)
        .challenges.create({ factorSid: device.factorSid, 'details.message': 'Approve the transfer?', 'details.fields': FIELDS, hiddenDetails: { ip: '203.0.113.9' }, ...extra });
    /** The number to match, as the app reads it (a Verity field the twilio client does not model). */
    const numberOf = async (identity: string, sid: string): Promise<string> => {
      const res = await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}/Challenges/${sid}`);
      return String(res.body.number_match);
    };
    const pendingOne = async (device: TestDevice, sid: string): Promise<DeviceChallenge> => {
      const found = (await device.pending()).find((c) => c.sid === sid);
      assert.ok(found, `challenge ${sid} is pending for the device`);
      return found;
    };

    it('enrolls a device with a single-use enrollment token from AccessTokens, verified by its signature', async () => {
      const identity = newIdentity();
      const token = await service().accessTokens.create({ identity, factorType: 'push', factorFriendlyName: 'Ana’s phone', ttl: 300 });
      assert.match(token.sid, /^YK[0-9a-f]{32}$/);
      assert.equal(token.ttl, 300);
      const { privateKey, publicKey } = await generateDeviceKey();
      const created = await deviceCall(v, 'POST', '/device/v1/Factors', { 'Binding.Alg': 'ES256', 'Binding.PublicKey': publicKey }, token.token);
      assert.equal(created.status, 201);
      assert.equal(created.body.status, 'unverified');
      assert.equal(created.body.friendly_name, 'Ana’s phone');
      assert.deepEqual(created.body.binding, { alg: 'ES256', public_key: publicKey });

      const again = await deviceCall(v, 'POST', '/device/v1/Factors', { 'Binding.Alg': 'ES256', 'Binding.PublicKey': publicKey }, token.token);
      assert.equal(again.status, 401);
      assert.equal(again.body.code, 20003);
      assert.match(again.body.message, /already used/);

      const sid = created.body.sid as string;
      const now = Math.floor(clock().now() / 1000);
      // Challenges need a verified factor; the device verifies it by signing.
      const early = await restError(service().entities(identity).challenges.create({ factorSid: sid, 'details.message': 'Log in?' }));
      assert.equal(early.code, 60300);
      const other = await generateDeviceKey();
      const forged = await deviceCall(v, 'POST', `/device/v1/Factors/${sid}`, { AuthPayload: await signFactorVerification(other.privateKey, sid, now) }, await signDeviceToken(privateKey, sid, 60, now));
      assert.equal(forged.status, 403);
      assert.equal(forged.body.code, 60311);
      const verified = await deviceCall(v, 'POST', `/device/v1/Factors/${sid}`, { AuthPayload: await signFactorVerification(privateKey, sid, now) }, await signDeviceToken(privateKey, sid, 60, now));
      assert.equal(verified.body.status, 'verified');

      const listed = await service().entities(identity).factors(sid).fetch();
      assert.equal(listed.factorType, 'push');
      assert.equal(listed.status, 'verified');
      assert.ok((listed.toJSON() as { binding?: unknown }).binding == null, 'the binding is shown only on create');
      assert.deepEqual(listed.config, { sdk_version: null, app_id: null, notification_platform: 'none', notification_token: null });
    });

    it('refuses bad enrollment tokens and bad keys, and spends no token on bad input', async () => {
      const identity = newIdentity();
      const issue = async () => (await service().accessTokens.create({ identity, factorType: 'push' })).token;
      const { publicKey } = await generateDeviceKey();
      const enroll = async (token: string, key = publicKey, alg = 'ES256') => deviceCall(v, 'POST', '/device/v1/Factors', { 'Binding.Alg': alg, 'Binding.PublicKey': key }, token);

      const token = await issue();
      const [head, body, signature] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
      const tampered = `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: 'user-someone-else' })).toString('base64url')}.${signature}`;
      assert.equal((await enroll(tampered)).body.code, 20003);
      assert.equal((await enroll('not-a-jwt')).body.code, 20003);
      assert.equal((await deviceCall(v, 'POST', '/device/v1/Factors', { 'Binding.Alg': 'ES256', 'Binding.PublicKey': publicKey }, undefined)).status, 401);

      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
      const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
      for (const [key, why] of [['not base64!', /base64 DER/], [Buffer.from('hello').toString('base64'), /base64 DER/], [rsa, /P-256/], [p384, /P-256/]] as const) {
        const refused = await enroll(token, key);
        assert.equal(refused.status, 400);
        assert.equal(refused.body.code, 60200);
        assert.match(refused.body.message, why);
      }
      assert.equal((await enroll(token, publicKey, 'RS256')).body.code, 60200);
      // None of those spent the token.
      assert.equal((await enroll(token)).status, 201);

      const expiring = await issue();
      clock().advance(61_000);
      const expired = await enroll(expiring);
      assert.equal(expired.status, 401);
      assert.match(expired.body.message, /invalid or expired/);

      const badTtl = await restError(service().accessTokens.create({ identity, factorType: 'push', ttl: 3600 }));
      assert.equal(badTtl.code, 60200);
      const badType = await restError(service().accessTokens.create({ identity, factorType: 'totp' as 'push' }));
      assert.equal(badType.code, 60200);
    });

    it('lets the app create and verify a push factor with its own credentials, as the hosted API does', async () => {
      const identity = newIdentity();
      const { privateKey, publicKey } = await generateDeviceKey();
      const factor = await service().entities(identity).newFactors.create({ friendlyName: 'Phone', factorType: 'push', 'binding.alg': 'ES256', 'binding.publicKey': publicKey, 'config.notificationPlatform': 'none' });
      assert.equal(factor.status, 'unverified');
      const wrong = await restError(service().entities(identity).factors(factor.sid).update({ authPayload: 'eyJhbGciOiJub25lIn0.e30.' }));
      assert.equal(wrong.status, 403);
      assert.equal(wrong.code, 60311);
      const verified = await service().entities(identity).factors(factor.sid).update({ authPayload: await signFactorVerification(privateKey, factor.sid, Math.floor(clock().now() / 1000)) });
      assert.equal(verified.status, 'verified');
      const missingToken = await restError(service().entities(identity).newFactors.create({ friendlyName: 'P', factorType: 'push', 'binding.alg': 'ES256', 'binding.publicKey': publicKey, 'config.notificationPlatform': 'fcm' }));
      assert.equal(missingToken.code, 60200);
    });

    it('approves with the number shown on the login page, bound to the details, with live progress for the page', async () => {
      const identity = newIdentity();
      const device = await enrollDevice(v, serviceSid, identity);
      const challenge = await newChallenge(identity, device);
      assert.equal(challenge.status, 'pending');
      const number = await numberOf(identity, challenge.sid);
      assert.match(number, /^[1-9][0-9]$/);
      assert.deepEqual(challenge.details, { message: 'Approve the transfer?', date: challenge.details.date, fields: [{ label: 'Amount', value: '€1,250.00' }, { label: 'Payee', value: 'ACME Ltd' }] });
      assert.equal(Date.parse(String(challenge.expirationDate)) - Date.parse(String(challenge.dateCreated)), 5 * 60_000);
      const eventsUrl = (challenge.links as Record<string, string>)['events'] as string;
      assert.match(eventsUrl, new RegExp(`/events/v1/Challenges/${challenge.sid}/`));

      const seen = await pendingOne(device, challenge.sid);
      assert.equal(seen.number_match_required, true);
      assert.equal(seen.service_name, 'Acme Bank');
      assert.deepEqual(seen.hidden_details, { ip: '203.0.113.9' });
      assert.ok(!JSON.stringify(seen).includes(`"${number}"`) || seen.details.fields.some((f) => f.value.includes(number)), 'the device is not told the number');

      const answered = await device.answer(seen, 'approved', number);
      assert.equal(answered.status, 200, JSON.stringify(answered.body));
      assert.equal(answered.body.status, 'approved');
      const fetched = await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}/Challenges/${challenge.sid}`);
      assert.equal(fetched.body.status, 'approved');
      assert.deepEqual(fetched.body.amr, ['swk']);
      assert.ok(fetched.body.date_responded, 'expected fetched.body.date_responded');

      const events = await collectEvents(eventsUrl, {}, (e) => e.length >= 3);
      assert.deepEqual(events.map((e) => [e.id, e.event]), [['1', 'created'], ['2', 'delivered'], ['3', 'approved']]);
      assert.deepEqual(JSON.parse(events[2]?.data ?? '{}').sequence, 3);
      const resumed = await collectEvents(eventsUrl, { 'last-event-id': '2' }, (e) => e.length >= 1);
      assert.deepEqual(resumed.map((e) => e.event), ['approved']);
      assert.ok(!v.logs().includes(eventsUrl.slice(eventsUrl.lastIndexOf('/') + 1)), 'the events token is not logged');
      const forgedUrl = eventsUrl.replace(/\/[^/]+$/, '/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      assert.equal((await fetch(forgedUrl)).status, 404);

      const again = await device.answer(seen, 'approved', number);
      assert.equal(again.status, 400);
      assert.equal(again.body.code, 60306);
    });

    it('denies on the user’s word or on a wrong number, and refuses answers that are not signed for this challenge (60324)', async () => {
      const identity = newIdentity();
      const device = await enrollDevice(v, serviceSid, identity);
      const denied = await pendingOne(device, (await newChallenge(identity, device)).sid);
      const byUser = await device.answer(denied, 'denied');
      assert.equal(byUser.body.status, 'denied');

      const mismatch = await newChallenge(identity, device);
      const wrongNumber = String(((Number(await numberOf(identity, mismatch.sid)) - 10 + 1) % 90) + 10);
      const answer = await device.answer(await pendingOne(device, mismatch.sid), 'approved', wrongNumber);
      assert.equal(answer.body.status, 'denied');
      const fetched = await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}/Challenges/${mismatch.sid}`);
      assert.equal(fetched.body.denied_reason, 'number_mismatch');
      assert.equal(fetched.body.amr, null);

      const target = await newChallenge(identity, device);
      const seen = await pendingOne(device, target.sid);
      const number = await numberOf(identity, target.sid);
      const other = await generateDeviceKey();
      const now = device.now();
      const refusals: Array<[string, string]> = [
        ['no number', await signPushResponse(device.privateKey, seen, 'approved', undefined, now)],
        ['changed amount', await signPushResponse(device.privateKey, { ...seen, details: { ...seen.details, fields: [{ label: 'Amount', value: '€1.00' }] } }, 'approved', number, now)],
        ['changed hidden details', await signPushResponse(device.privateKey, { ...seen, hidden_details: null }, 'approved', number, now)],
        ['another key', await signPushResponse(other.privateKey, seen, 'approved', number, now)],
      ];
      for (const [why, payload] of refusals) {
        const res = await device.call('POST', `/device/v1/Factors/${device.factorSid}/Challenges/${seen.sid}`, { AuthPayload: payload });
        assert.equal(res.status, 403, why);
        assert.equal(res.body.code, 60324, why);
      }
      // A device token is not an approval, nor is a stale signature.
      const token = await device.call('POST', `/device/v1/Factors/${device.factorSid}/Challenges/${seen.sid}`, { AuthPayload: await device.token() });
      assert.equal(token.body.code, 60324);
      // Five responses were counted: even a right one is now refused.
      const sixth = await device.answer(seen, 'approved', number);
      assert.equal(sixth.status, 429);
      assert.equal(sixth.body.code, 60308);
      assert.match(v.logs(), /push response refused/);
      assert.ok(!v.logs().includes(await device.token()), 'tokens are not logged');
    });

    it('expires unanswered challenges and refuses late answers (60306)', async () => {
      const identity = newIdentity();
      const device = await enrollDevice(v, serviceSid, identity);
      const challenge = await newChallenge(identity, device);
      const seen = await pendingOne(device, challenge.sid);
      clock().advance(5 * 60_000 + 1);
      const late = await device.answer(seen, 'approved', await numberOf(identity, challenge.sid));
      assert.equal(late.status, 400);
      assert.equal(late.body.code, 60306);
      assert.match(late.body.message, /expired/);
      assert.equal((await service().entities(identity).challenges(challenge.sid).fetch()).status, 'expired');
      assert.deepEqual((await device.pending()).map((c) => c.sid), []);
      const events = await collectEvents((challenge.links as Record<string, string>)['events'] as string, {}, (e) => e.length >= 3);
      assert.deepEqual(events.map((e) => e.event), ['created', 'delivered', 'expired']);
    });

    it('caps push challenges since the last success (64001) and turns number matching off when the service says so', async () => {
      const capped = await v.client.verify.v2.services.create({ friendlyName: 'Capped' });
      const set = await v.api('POST', `/v2/Services/${capped.sid}`, { 'Push.MaxChallengesSinceSuccess': '3', 'Push.NumberMatching': 'false' });
      assert.equal(set.status, 200);
      assert.equal(set.body.push.max_challenges_since_success, 3);
      assert.equal(set.body.push.number_matching, false);
      const identity = newIdentity();
      const device = await enrollDevice(v, capped.sid, identity);
      const create = () => v.api('POST', `/v2/Services/${capped.sid}/Entities/${identity}/Challenges`, { FactorSid: device.factorSid, 'Details.Message': 'Log in?' });
      const first = await create();
      assert.equal(first.body.number_match, null);
      await create();
      await create();
      const fourth = await create();
      assert.equal(fourth.status, 429);
      assert.equal(fourth.body.code, 64001);
      // Approving one (no number needed here) lifts the cap.
      const approved = await device.answer(await pendingOne(device, first.body.sid as string), 'approved');
      assert.equal(approved.body.status, 'approved');
      assert.equal((await create()).status, 201);

      // Concurrent creates cannot slip past the cap.
      const racer = newIdentity();
      const racing = await enrollDevice(v, capped.sid, racer);
      const burst = await Promise.all(
        Array.from({ length: 12 }, () => v.api('POST', `/v2/Services/${capped.sid}/Entities/${racer}/Challenges`, { FactorSid: racing.factorSid, 'Details.Message': 'Log in?' })),
      );
      assert.equal(burst.filter((r) => r.status === 201).length, 3);
      assert.ok(burst.every((r) => r.status === 201 || r.body.code === 64001), 'expected burst.every((r) => r.status === 201 || r.body.code === 64001)');
    });

    it('streams new challenges to the device as they are created', async () => {
      const identity = newIdentity();
      const device = await enrollDevice(v, serviceSid, identity);
      const url = `${v.url}/device/v1/Factors/${device.factorSid}/Challenges/Stream`;
      const streaming = nextSubscription(v.ctx.bus, `factor:${device.factorSid}`);
      let notification: Promise<{ sid: string; priority: string; ttl: number }> | undefined;
      const received = collectEvents(
        url,
        { authorization: `Bearer ${await device.token()}` },
        (e) => {
          // Once shown, the app asks for it to be shown again (the hosted API's Notifications).
          if (e.length === 1) notification = service().entities(identity).challenges(JSON.parse(e[0]?.data ?? '{}').sid).notifications.create({ ttl: 60 });
          return e.length >= 2;
        },
        10_000,
      );
      // The stream is open once the server subscribed to the factor's changes: the challenge then arrives live.
      await streaming;
      const challenge = await newChallenge(identity, device);
      const events = await received;
      assert.deepEqual(events.map((e) => [e.event, JSON.parse(e.data).sid]), [['challenge', challenge.sid], ['challenge', challenge.sid]]);
      const sent = await notification;
      assert.match(sent?.sid ?? '', /^NT[0-9a-f]{32}$/);
      assert.equal(sent?.priority, 'high');
      assert.equal(sent?.ttl, 60);
      const data = JSON.parse(events[0]?.data ?? '{}') as DeviceChallenge;
      assert.equal(data.sid, challenge.sid);
      assert.equal(data.details.message, 'Approve the transfer?');
      const fetched = await v.api('GET', `/v2/Services/${serviceSid}/Entities/${identity}/Challenges/${challenge.sid}`);
      assert.equal(fetched.body.status, 'pending');
    });

    it('authenticates device calls only with a short token signed by that factor’s key', async () => {
      const identity = newIdentity();
      const device = await enrollDevice(v, serviceSid, identity);
      const other = await enrollDevice(v, serviceSid, newIdentity());
      const path = `/device/v1/Factors/${device.factorSid}/Challenges`;
      const now = device.now();
      /** A device token made by hand, past what signDeviceToken allows. */
      const handMade = (typ: string, lifetime: number) =>
        new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: device.factorSid, typ }).setSubject(device.factorSid).setAudience(DEVICE_AUDIENCE).setIssuedAt(now).setExpirationTime(now + lifetime).sign(device.privateKey);
      const cases: Array<[string, string | undefined]> = [
        ['no token', undefined],
        ['another factor’s token', await other.token()],
        ['lives longer than 5 minutes', await handMade(JWT_TYPES.device, 3600)],
        ['a push-response type', await handMade(JWT_TYPES.pushResponse, 60)],
        ['expired', await signDeviceToken(device.privateKey, device.factorSid, 60, now - 600)],
        ['signed by another key', await signDeviceToken(other.privateKey, device.factorSid, 60, now)],
      ];
      for (const [why, token] of cases) {
        const res = await deviceCall(v, 'GET', path, undefined, token);
        assert.equal(res.status, 401, why);
        assert.equal(res.body.code, 20003, why);
      }
      assert.equal((await device.call('GET', path)).status, 200, 'a good token works');
      await service().entities(identity).factors(device.factorSid).remove();
      const gone = await device.call('GET', path);
      assert.equal(gone.status, 401);
    });

    it('gives a stable 4xx code for every bad push input, never a 500, and takes responses relayed by the app', async () => {
      const identity = newIdentity();
      const device = await enrollDevice(v, serviceSid, identity);
      const create = (form: Record<string, string | string[]>) => v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Challenges`, { FactorSid: device.factorSid, ...form });
      const cases: Array<[string, Record<string, string | string[]>, number]> = [
        ['no message', {}, 60200],
        ['message over 256 characters', { 'Details.Message': 'x'.repeat(257) }, 60200],
        ['21 fields', { 'Details.Message': 'm', 'Details.Fields': Array.from({ length: 21 }, (_, i) => JSON.stringify({ label: `l${i}`, value: 'v' })) }, 60200],
        ['field value over 128', { 'Details.Message': 'm', 'Details.Fields': [JSON.stringify({ label: 'l', value: 'v'.repeat(129) })] }, 60200],
        ['field not JSON', { 'Details.Message': 'm', 'Details.Fields': ['label=value'] }, 60200],
        ['hidden details not JSON', { 'Details.Message': 'm', HiddenDetails: '{nope' }, 60200],
        ['hidden details over 1024', { 'Details.Message': 'm', HiddenDetails: JSON.stringify({ k: 'v'.repeat(1100) }) }, 60200],
        ['AuthPayload on push', { 'Details.Message': 'm', AuthPayload: '123456' }, 60300],
        ['expiry past 60 minutes', { 'Details.Message': 'm', ExpirationDate: new Date(clock().now() + 2 * 3600_000).toISOString() }, 60200],
      ];
      for (const [why, form, code] of cases) {
        const res = await create(form);
        assert.equal(res.body.code, code, `${why}: ${JSON.stringify(res.body)}`);
        assert.ok(res.status >= 400 && res.status < 500, why);
      }
      const unknown = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Challenges`, { FactorSid: `YF${'0'.repeat(32)}`, 'Details.Message': 'm' });
      assert.equal(unknown.body.code, 20404);

      const challenge = await create({ 'Details.Message': 'Log in?' });
      const path = `/device/v1/Factors/${device.factorSid}/Challenges/${challenge.body.sid}`;
      for (const payload of ['garbage', 'a.b.c', 'x'.repeat(5457), '']) {
        const res = await device.call('POST', path, { AuthPayload: payload });
        assert.ok([60200, 60324].includes(res.body.code as number), `${payload.slice(0, 10)}: ${JSON.stringify(res.body)}`);
      }
      assert.equal((await device.call('POST', `/device/v1/Factors/${device.factorSid}/Challenges/YC${'0'.repeat(32)}`, { AuthPayload: 'x' })).body.code, 20404);
      for (const bearer of ['x', 'a.b.c', 'eyJhbGciOiJFUzI1NiIsImtpZCI6IllGMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMCJ9.e30.AAAA']) {
        assert.equal((await deviceCall(v, 'GET', `/device/v1/Factors/${device.factorSid}`, undefined, bearer)).body.code, 20003);
      }

      // The app may relay the device's signed answer with its own credentials (the hosted API's way).
      const seen = await pendingOne(device, challenge.body.sid as string);
      const relayed = await service()
        .entities(identity)
        .challenges(seen.sid)
        .update({ authPayload: await signPushResponse(device.privateKey, seen, 'approved', String(challenge.body.number_match), device.now()) });
      assert.equal(relayed.status, 'approved');
      assert.doesNotMatch(v.logs(), /"level":50/, 'no error was logged');
    });

    it('answers each challenge once under concurrent responses, and spends an enrollment token once', async () => {
      const identity = newIdentity();
      const device = await enrollDevice(v, serviceSid, identity);
      const challenge = await newChallenge(identity, device);
      const seen = await pendingOne(device, challenge.sid);
      const number = await numberOf(identity, challenge.sid);
      const payload = await signPushResponse(device.privateKey, seen, 'approved', number, device.now());
      const results = await Promise.all(Array.from({ length: 20 }, () => device.call('POST', `/device/v1/Factors/${device.factorSid}/Challenges/${seen.sid}`, { AuthPayload: payload })));
      assert.equal(results.filter((r) => r.status === 200).length, 1);
      assert.ok(results.every((r) => r.status === 200 || r.body.code === 60306 || r.body.code === 60308), JSON.stringify(results.map((r) => r.body.code)));

      const token = (await service().accessTokens.create({ identity: newIdentity(), factorType: 'push' })).token;
      const { publicKey } = await generateDeviceKey();
      const enrolls = await Promise.all(Array.from({ length: 10 }, () => deviceCall(v, 'POST', '/device/v1/Factors', { 'Binding.Alg': 'ES256', 'Binding.PublicKey': publicKey }, token)));
      assert.equal(enrolls.filter((r) => r.status === 201).length, 1);
      assert.equal(enrolls.filter((r) => r.status === 401).length, 9);
    });
  });
}
