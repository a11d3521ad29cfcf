import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateDeviceKey, signDeviceToken, signFactorVerification, signPushResponse } from '../../src/factors/push/device-signing.ts';
import type { DeviceChallenge } from '../../src/factors/push/push-protocol.ts';
import { ApnsPlatform } from '../../src/factors/push/platforms/apns.ts';
import { deviceTokenDigest } from '../../src/factors/push/platforms/push-delivery.ts';
import { startApnsServer, type ApnsServer } from '../support/apns-server.ts';
import { startFcmServer, type FcmServer } from '../support/fcm-server.ts';
import { deviceCall } from '../support/push-device.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { restError } from '../support/test-helpers.ts';
import { makeTestCa, type TestCa } from '../support/tls-test-ca.ts';

const TEAM_ID = 'TEAM123456';
const KEY_ID = 'KEY1234567';
const TOPIC = 'com.example.bank';
const PROJECT = 'verity-test-project';
const CLIENT_EMAIL = 'verity-push@verity-test-project.iam.gserviceaccount.com';
const FIELDS = [JSON.stringify({ label: 'Amount', value: '€1,250.00' }), JSON.stringify({ label: 'Payee', value: 'ACME Ltd' })];

const apnsToken = (): string => randomBytes(32).toString('hex');
const fcmToken = (): string => `f${randomBytes(6).toString('hex')}:APA91b${randomBytes(100).toString('base64url')}`;

/** APNs and FCM delivery of push challenges, against local servers that speak Apple's and Google's APIs. */
for (const database of DATABASES) {
  describe(`push challenges to phones through APNs and FCM (${database.name})`, () => {
    let ca: TestCa;
    let dir: string;
    let apns: ApnsServer;
    let fcm: FcmServer;
    let v: TestVerity;
    let serviceSid: string;
    let counter = 0;
    const serverNow = () => Math.floor((v?.clock?.now() ?? Date.now()) / 1000);

    before(async () => {
      ca = makeTestCa();
      dir = mkdtempSync(join(tmpdir(), 'verity-push-platforms-'));
      // The team's APNs key (.p8 is PKCS #8 PEM) and a Firebase service-account key file.
      const apnsKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      writeFileSync(join(dir, `AuthKey_${KEY_ID}.p8`), apnsKey.privateKey.export({ format: 'pem', type: 'pkcs8' }));
      const googleKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
      apns = await startApnsServer({ ca, teamId: TEAM_ID, keyId: KEY_ID, publicKey: createPublicKey(apnsKey.privateKey), topic: TOPIC, now: serverNow });
      fcm = await startFcmServer({ ca, projectId: PROJECT, clientEmail: CLIENT_EMAIL, publicKey: createPublicKey(googleKey.privateKey), now: serverNow });
      writeFileSync(join(dir, 'service-account.json'), JSON.stringify({
        type: 'service_account',
        project_id: PROJECT,
        private_key_id: 'a1b2c3d4e5f6',
        private_key: googleKey.privateKey.export({ format: 'pem', type: 'pkcs8' }),
        client_email: CLIENT_EMAIL,
        client_id: '1234567890',
        token_uri: fcm.tokenUri,
      }));
      v = await startVerity({
        manualClock: true,
        ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}),
        env: {
          VERITY_APNS_KEY_FILE: join(dir, `AuthKey_${KEY_ID}.p8`),
          VERITY_APNS_KEY_ID: KEY_ID,
          VERITY_APNS_TEAM_ID: TEAM_ID,
          VERITY_APNS_TOPIC: TOPIC,
          VERITY_APNS_HOST: apns.host,
          VERITY_APNS_PORT: String(apns.port),
          VERITY_APNS_CA_FILE: ca.caFile,
          VERITY_FCM_SERVICE_ACCOUNT_FILE: join(dir, 'service-account.json'),
          VERITY_FCM_BASE_URL: fcm.origin,
          VERITY_FCM_CA_FILE: ca.caFile,
        },
      });
      serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Acme Bank' })).sid;
    });
    after(async () => {
      await v?.close();
      await apns?.close();
      await fcm?.close();
      ca?.remove();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const clock = () => v.clock as NonNullable<TestVerity['clock']>;
    const service = () => v.client.verify.v2.services(serviceSid);
    const now = () => Math.floor(clock().now() / 1000);

    /** A phone's app registers its push factor through the official client, and proves its key. */
    async function enroll(platform: 'apn' | 'fcm' | 'none', notificationToken?: string) {
      const identity = `user-${Date.now().toString(36)}-${++counter}`;
      const { privateKey, publicKey } = await generateDeviceKey();
      const factor = await service().entities(identity).newFactors.create({
        friendlyName: 'Ana’s phone',
        factorType: 'push',
        'binding.alg': 'ES256',
        'binding.publicKey': publicKey,
        'config.notificationPlatform': platform,
        ...(notificationToken ? { 'config.notificationToken': notificationToken } : {}),
        'config.appId': TOPIC,
        'config.sdkVersion': '2.2.2',
      });
      const verified = await service().entities(identity).factors(factor.sid).update({ authPayload: await signFactorVerification(privateKey, factor.sid, now()) });
      assert.equal(verified.status, 'verified');
      return { identity, factorSid: factor.sid, privateKey };
    }

    const challenge = (identity: string, factorSid: string) =>
      service().entities(identity).challenges.create({ factorSid, 'details.message': 'Approve the transfer to ACME Ltd?', 'details.fields': FIELDS, hiddenDetails: { ip: '203.0.113.9' } });

    it('sends an APNs alert with the provider JWT, the documented headers and Twilio Verify Push\'s keys', async () => {
      const token = apnsToken();
      const device = await enroll('apn', token);
      const before = apns.requests.length;
      const created = await challenge(device.identity, device.factorSid);
      const received = await apns.request(before + 1);
      assert.equal(received.status, 200);
      assert.equal(received.deviceToken, token);
      assert.equal(received.headers['apns-push-type'], 'alert');
      assert.equal(received.headers['apns-topic'], TOPIC);
      assert.equal(received.headers['apns-collapse-id'], created.sid);
      assert.equal(received.headers['apns-priority'], '10');
      assert.equal(Number(received.headers['apns-expiration']), Math.floor(created.expirationDate.getTime() / 1000));
      assert.deepEqual(received.payload, {
        aps: { alert: { title: 'Acme Bank', body: 'Approve the transfer to ACME Ltd?' }, sound: 'default', category: 'verify_push_challenge' },
        type: 'verify_push_challenge',
        challenge_sid: created.sid,
        factor_sid: device.factorSid,
        message: 'Approve the transfer to ACME Ltd?',
      });
      // Nothing that answers the challenge travels through Apple: no number, no hidden details.
      const number = String((await v.api('GET', `/v2/Services/${serviceSid}/Entities/${device.identity}/Challenges/${created.sid}`)).body.number_match);
      assert.match(number, /^\d{2}$/);
      assert.ok(!JSON.stringify(received.payload).includes('203.0.113.9'), 'hidden details stay out of the notification');

      // Woken by the alert, the app fetches the challenge and answers it signed by the device key, with the number.
      const bearer = await signDeviceToken(device.privateKey, device.factorSid, 120, now());
      const pending = await deviceCall(v, 'GET', `/device/v1/Factors/${device.factorSid}/Challenges?Status=pending`, undefined, bearer);
      const fetched = (pending.body.challenges as DeviceChallenge[]).find((c) => c.sid === created.sid);
      assert.ok(fetched, 'the challenge named by the notification is pending for the device');
      const answer = await deviceCall(v, 'POST', `/device/v1/Factors/${device.factorSid}/Challenges/${created.sid}`, { AuthPayload: await signPushResponse(device.privateKey, fetched, 'approved', number, now()) }, bearer);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal((await service().entities(device.identity).challenges(created.sid).fetch()).status, 'approved');
    });

    it('reuses the APNs provider JWT for 50 minutes, then signs a new one', async () => {
      const device = await enroll('apn', apnsToken());
      const start = apns.requests.length;
      await challenge(device.identity, device.factorSid);
      const first = await apns.request(start + 1);
      clock().advance(10 * 60_000);
      await challenge(device.identity, device.factorSid);
      const second = await apns.request(start + 2);
      assert.equal(second.providerToken, first.providerToken);
      clock().advance(41 * 60_000);
      await challenge(device.identity, device.factorSid);
      const third = await apns.request(start + 3);
      assert.equal(third.status, 200);
      assert.notEqual(third.providerToken, first.providerToken);
      assert.ok(third.issuedAt - first.issuedAt >= 51 * 60, 'the new token carries the current time as iat');
    });

    it('marks a token APNs answers 410 Unregistered, stops sending to it, and sends again after Config.NotificationToken changes', async () => {
      const gone = apnsToken();
      apns.answer(gone, { status: 410, reason: 'Unregistered', timestamp: clock().now() - 60_000 });
      const device = await enroll('apn', gone);
      const start = apns.requests.length;
      await challenge(device.identity, device.factorSid);
      const refused = await apns.request(start + 1);
      assert.equal(refused.status, 410);
      await v.ctx.pushDelivery.idle();
      const mark = await v.ctx.stores.pushDeviceMarks.find(device.factorSid);
      assert.equal(mark?.reason, 'Unregistered');
      assert.equal(mark?.token_digest, deviceTokenDigest(gone));
      assert.equal(mark?.provider_timestamp, clock().now() - 60_000);

      // The factor stays verified and usable; the next challenge is not sent to the dead token.
      assert.equal((await service().entities(device.identity).factors(device.factorSid).fetch()).status, 'verified');
      await challenge(device.identity, device.factorSid);
      await v.ctx.pushDelivery.idle();
      assert.equal(apns.requests.filter((r) => r.deviceToken === gone).length, 1);
      assert.match(v.logs(), /the provider refused this device token/);
      assert.ok(!v.logs().includes(gone), 'device tokens are never logged');

      // The app registers its new token (as the hosted API allows) and is reached again.
      const fresh = apnsToken();
      const updated = await service().entities(device.identity).factors(device.factorSid).update({ 'config.notificationToken': fresh } as never);
      assert.equal((updated.config as { notification_token: string }).notification_token, fresh);
      assert.equal(await v.ctx.stores.pushDeviceMarks.find(device.factorSid), undefined);
      const next = apns.requests.length;
      await challenge(device.identity, device.factorSid);
      const delivered = await apns.request(next + 1);
      assert.equal(delivered.deviceToken, fresh);
      assert.equal(delivered.status, 200);
    });

    it('marks a token APNs answers 400 BadDeviceToken', async () => {
      const bad = apnsToken();
      apns.answer(bad, { status: 400, reason: 'BadDeviceToken' });
      const device = await enroll('apn', bad);
      await challenge(device.identity, device.factorSid);
      await v.ctx.pushDelivery.idle();
      assert.equal((await v.ctx.stores.pushDeviceMarks.find(device.factorSid))?.reason, 'BadDeviceToken');

      // The app on the phone registers its new token itself, through the device API (signed by the device key).
      const fresh = apnsToken();
      const bearer = await signDeviceToken(device.privateKey, device.factorSid, 120, now());
      const updated = await deviceCall(v, 'POST', `/device/v1/Factors/${device.factorSid}`, { 'Config.NotificationToken': fresh }, bearer);
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body.config.notification_token, fresh);
      assert.equal(await v.ctx.stores.pushDeviceMarks.find(device.factorSid), undefined);
      const start = apns.requests.length;
      await challenge(device.identity, device.factorSid);
      assert.equal((await apns.request(start + 1)).deviceToken, fresh);
      // Without a device token nobody can change it.
      const anonymous = await deviceCall(v, 'POST', `/device/v1/Factors/${device.factorSid}`, { 'Config.NotificationToken': apnsToken() }, undefined);
      assert.equal(anonymous.status, 401);
    });

    it('retries APNs 503 and 429 and delivers', async () => {
      const busy = apnsToken();
      apns.answer(busy, { status: 503, reason: 'ServiceUnavailable', times: 1 });
      const device = await enroll('apn', busy);
      const start = apns.requests.length;
      await challenge(device.identity, device.factorSid);
      assert.equal((await apns.request(start + 1)).status, 503);
      assert.equal((await apns.request(start + 2)).status, 200);
      await v.ctx.pushDelivery.idle();
      assert.equal(await v.ctx.stores.pushDeviceMarks.find(device.factorSid), undefined);
      const metrics = await v.ctx.metrics.registry.getSingleMetricAsString('verity_push_notifications_total');
      assert.match(metrics, /verity_push_notifications_total\{platform="apn",outcome="retried"\} [1-9]/);
      assert.match(metrics, /verity_push_notifications_total\{platform="apn",outcome="unusable"\} [1-9]/);
    });

    it('sends an FCM HTTP v1 message with a service-account access token, and reuses the token until shortly before it expires', async () => {
      const token = fcmToken();
      const device = await enroll('fcm', token);
      const exchanges = fcm.exchanges.length;
      const start = fcm.requests.length;
      const created = await challenge(device.identity, device.factorSid);
      const received = await fcm.request(start + 1);
      assert.equal(received.status, 200);
      // The default 5-minute challenge, on a clock that stands still.
      const ttl = 300;
      assert.deepEqual(received.message, {
        token,
        data: { type: 'verify_push_challenge', challenge_sid: created.sid, factor_sid: device.factorSid, message: 'Approve the transfer to ACME Ltd?' },
        android: { priority: 'high', ttl: `${ttl}s`, collapse_key: created.sid },
        apns: {
          headers: { 'apns-push-type': 'alert', 'apns-priority': '10', 'apns-expiration': String(Math.floor(created.expirationDate.getTime() / 1000)), 'apns-collapse-id': created.sid },
          payload: { aps: { alert: { title: 'Acme Bank', body: 'Approve the transfer to ACME Ltd?' }, sound: 'default', category: 'verify_push_challenge' } },
        },
      });
      assert.ok(exchanges <= 1 && fcm.exchanges.length >= 1, 'one token exchange');
      const exchange = fcm.exchanges.at(-1);
      assert.equal(exchange?.assertionHeader.alg, 'RS256');
      assert.equal(exchange?.assertionHeader.kid, 'a1b2c3d4e5f6');
      assert.equal(exchange?.claims.iss, CLIENT_EMAIL);
      assert.equal(exchange?.claims.aud, fcm.tokenUri);
      assert.equal(exchange?.claims.scope, 'https://www.googleapis.com/auth/firebase.messaging');

      // The access token is reused…
      const exchanged = fcm.exchanges.length;
      clock().advance(30 * 60_000);
      await challenge(device.identity, device.factorSid);
      assert.equal((await fcm.request(start + 2)).accessToken, received.accessToken);
      assert.equal(fcm.exchanges.length, exchanged);
      // …until 5 minutes before its hour is up.
      clock().advance(26 * 60_000);
      await challenge(device.identity, device.factorSid);
      const renewed = await fcm.request(start + 3);
      assert.equal(renewed.status, 200);
      assert.notEqual(renewed.accessToken, received.accessToken);
      assert.equal(fcm.exchanges.length, exchanged + 1);

      // Two sends at once when the cached token has expired share one exchange.
      const other = await enroll('fcm', fcmToken());
      clock().advance(60 * 60_000);
      const sent = fcm.requests.length;
      await Promise.all([challenge(device.identity, device.factorSid), challenge(other.identity, other.factorSid)]);
      await Promise.all([fcm.request(sent + 1), fcm.request(sent + 2)]);
      assert.equal(fcm.exchanges.length, exchanged + 2);
    });

    it('exchanges a new access token when FCM answers 401, and retries UNAVAILABLE after Retry-After', async () => {
      const token = fcmToken();
      const device = await enroll('fcm', token);
      fcm.revokeAccessTokens();
      fcm.answer(token, { status: 503, rpcStatus: 'UNAVAILABLE', errorCode: 'UNAVAILABLE', retryAfter: '0', times: 1 });
      const start = fcm.requests.length;
      await challenge(device.identity, device.factorSid);
      assert.equal((await fcm.request(start + 1)).status, 401);
      assert.equal((await fcm.request(start + 2)).status, 503);
      const delivered = await fcm.request(start + 3);
      assert.equal(delivered.status, 200);
      await v.ctx.pushDelivery.idle();
    });

    it('marks a token FCM answers UNREGISTERED and sends nothing more to it', async () => {
      const token = fcmToken();
      fcm.answer(token, { status: 404, rpcStatus: 'NOT_FOUND', errorCode: 'UNREGISTERED', message: 'Requested entity was not found.' });
      const device = await enroll('fcm', token);
      await challenge(device.identity, device.factorSid);
      await v.ctx.pushDelivery.idle();
      assert.equal((await v.ctx.stores.pushDeviceMarks.find(device.factorSid))?.reason, 'UNREGISTERED');
      await challenge(device.identity, device.factorSid);
      await v.ctx.pushDelivery.idle();
      assert.equal(fcm.requests.filter((r) => r.message.token === token).length, 1);
    });

    it('re-sends a challenge through its platform with POST …/Notifications, bounded by Ttl', async () => {
      const device = await enroll('apn', apnsToken());
      const start = apns.requests.length;
      const created = await challenge(device.identity, device.factorSid);
      await apns.request(start + 1);
      const notification = await service().entities(device.identity).challenges(created.sid).notifications.create({ ttl: 60 });
      assert.equal(notification.ttl, 60);
      const again = await apns.request(start + 2);
      assert.equal(again.headers['apns-collapse-id'], created.sid);
      assert.equal(Number(again.headers['apns-expiration']), now() + 60);

      // Re-sends are capped per challenge: 5 at once, then one a minute.
      for (let i = 2; i <= 5; i++) await service().entities(device.identity).challenges(created.sid).notifications.create();
      const refused = await restError(service().entities(device.identity).challenges(created.sid).notifications.create());
      assert.equal(refused.status, 429);
      assert.equal(refused.code, 20429);
      await apns.request(start + 6);
      await v.ctx.pushDelivery.idle();
      assert.equal(apns.requests.filter((r) => r.headers['apns-collapse-id'] === created.sid).length, 6);
      clock().advance(60_000);
      await service().entities(device.identity).challenges(created.sid).notifications.create();
      assert.equal((await apns.request(start + 7)).headers['apns-collapse-id'], created.sid);
    });

    it('never sends to a server whose certificate no trusted CA issued (TLS is always verified)', async () => {
      const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
      const platform = new ApnsPlatform({ key, keyId: KEY_ID, teamId: TEAM_ID, topic: TOPIC, origin: apns.origin, clock: clock() });
      const before = apns.requests.length;
      const outcome = await platform.send({ deviceToken: apnsToken(), challengeSid: `YC${'0'.repeat(32)}`, factorSid: `YF${'0'.repeat(32)}`, title: 't', message: 'm', expiresAt: clock().now() + 60_000 });
      platform.close();
      assert.equal(outcome.kind, 'retry');
      assert.match(outcome.kind === 'retry' ? outcome.reason : '', /certificate/i);
      assert.equal(apns.requests.length, before);
    });

    it('sends nothing to a platform for a factor with Config.NotificationPlatform none', async () => {
      const device = await enroll('none');
      const before = { apns: apns.requests.length, fcm: fcm.requests.length };
      await challenge(device.identity, device.factorSid);
      await v.ctx.pushDelivery.idle();
      assert.deepEqual({ apns: apns.requests.length, fcm: fcm.requests.length }, before);
    });
  });
}
