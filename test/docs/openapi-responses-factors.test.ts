import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateDeviceKey, signDeviceToken, signFactorVerification, signPushResponse } from '../../src/factors/push/device-signing.ts';
import type { DeviceChallenge } from '../../src/factors/push/push-protocol.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { buildApp, type BuiltApp } from '../../src/http/build-app.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { accountAuthorization, injectTourRequest, type TourBody } from './schema-tour.ts';

/**
 * The tour of openapi-responses.test.ts for webhooks, entities, TOTP and push factors, challenges,
 * notifications, enrollment tokens, the device API and the progress streams' refusals: every JSON
 * response is parsed, strictly, with the schema its route publishes, and the violations are
 * recorded so that one assertion lists them all.
 */
describe('real responses of webhooks, factors, challenges and devices match the published schemas', () => {
  let v: TestVerity;
  let built: BuiltApp;
  const send = (method: 'GET' | 'POST' | 'DELETE', url: string, authorization: string | undefined, form?: TourBody) => injectTourRequest(built.app, method, url, authorization, form);
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, form?: TourBody) => send(method, url, accountAuthorization(v), form);
  before(async () => {
    v = await startVerity({ manualClock: true });
    built = await buildApp(v.ctx);
    built.responseChecks.mode = 'record';
  });
  after(async () => {
    await built?.app.close();
    await v?.close();
  });

  it('webhooks, entities, factors, challenges, notifications and the device API', async () => {
    const service = (await call('POST', '/v2/Services', { FriendlyName: 'Tour' })).body?.sid as string;
    const base = `/v2/Services/${service}`;

    // Webhooks: create (event types repeated and comma-separated), list, fetch, update, delete.
    const hook = await call('POST', `${base}/Webhooks`, { FriendlyName: 'Tour', EventTypes: ['factor.created,factor.verified', 'challenge.approved'], WebhookUrl: 'https://example.com/hook' });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    assert.equal(typeof hook.body?.secret, 'string');
    assert.equal((await call('GET', `${base}/Webhooks?PageSize=1`)).status, 200);
    assert.equal((await call('GET', `${base}/Webhooks/${hook.body?.sid}`)).status, 200);
    assert.equal((await call('POST', `${base}/Webhooks/${hook.body?.sid}`, { Status: 'disabled', EventTypes: '*' })).body?.status, 'disabled');
    const badType = await call('POST', `${base}/Webhooks`, { FriendlyName: 'x', EventTypes: 'nope', WebhookUrl: 'https://example.com/' });
    assert.match(String(badType.body?.message), /^Invalid parameter: EventTypes \(expected \* or any of /);
    assert.equal((await call('DELETE', `${base}/Webhooks/${hook.body?.sid}`)).status, 204);

    // Entities.
    const entity = await call('POST', `${base}/Entities`, { Identity: 'tour-user-0001' });
    assert.equal(entity.status, 201, JSON.stringify(entity.body));
    assert.equal((await call('GET', `${base}/Entities`)).status, 200);
    assert.equal((await call('GET', `${base}/Entities/tour-user-0001`)).status, 200);
    const entityPath = `${base}/Entities/tour-user-0001`;

    // A TOTP factor: create, verify with a code, list, fetch, challenge and answer it.
    const factor = await call('POST', `${entityPath}/Factors`, { FriendlyName: 'Phone app', FactorType: 'totp', 'Config.CodeLength': '6', Metadata: '{"os":"ios"}' });
    assert.equal(factor.status, 201, JSON.stringify(factor.body));
    const secret = factor.body?.binding.secret as string;
    const code = () => totp(base32Decode(secret), v.ctx.clock.now(), { algorithm: 'sha1', digits: 6, period: 30, skew: 1 });
    const verified = await call('POST', `${entityPath}/Factors/${factor.body?.sid}`, { AuthPayload: code() });
    assert.equal(verified.body?.status, 'verified', JSON.stringify(verified.body));
    assert.equal((await call('GET', `${entityPath}/Factors?PageSize=5`)).status, 200);
    assert.equal((await call('GET', `${entityPath}/Factors/${factor.body?.sid}`)).status, 200);
    v.clock?.advance(30_000);
    const challenge = await call('POST', `${entityPath}/Challenges`, { FactorSid: factor.body?.sid, 'Details.Message': 'Sign in', 'Details.Fields': '{"label":"IP","value":"192.0.2.1"}', HiddenDetails: '{"ip":"192.0.2.1"}' });
    assert.equal(challenge.status, 201, JSON.stringify(challenge.body));
    const answered = await call('POST', `${entityPath}/Challenges/${challenge.body?.sid}`, { AuthPayload: code(), Metadata: '{"via":"tour"}' });
    assert.equal(answered.body?.status, 'approved', JSON.stringify(answered.body));
    assert.equal((await call('GET', `${entityPath}/Challenges?Order=desc&Status=approved`)).status, 200);
    assert.equal((await call('GET', `${entityPath}/Challenges/${challenge.body?.sid}`)).status, 200);

    // Input errors keep their order and words.
    assert.equal((await call('POST', `${entityPath}/Factors`, { FriendlyName: 'x' })).body?.message, 'Invalid parameter: FactorType (required)');
    const skew = await call('POST', `${entityPath}/Factors`, { FriendlyName: 'x', FactorType: 'totp', 'Config.Skew': '9', 'Config.NotificationToken': 'short' });
    assert.equal(skew.body?.message, 'Invalid parameter: Config.Skew (expected an integer from 0 to 2)', 'a TOTP factor ignores push fields');
    assert.equal((await call('POST', `${entityPath}/Factors/${factor.body?.sid}`, { AuthPayload: 'x'.repeat(9) })).body?.message, 'Invalid parameter: AuthPayload (at most 8 characters)');
    assert.equal((await call('GET', `${entityPath}/Challenges?FactorSid=nope`)).body?.message, 'Invalid parameter: FactorSid (expected YF followed by 32 hex characters)');
    assert.equal((await call('POST', `${base}/Entities/nobody-0000/Challenges`, { ExpirationDate: 'x'.repeat(99) })).status, 404, 'an unknown entity is reported before the body');

    // Push: an enrollment token, the device enrolls, verifies, lists and answers a challenge.
    const token = await call('POST', `${base}/AccessTokens`, { Identity: 'tour-user-0001', FactorType: 'push', Ttl: '120' });
    assert.equal(token.status, 201, JSON.stringify(token.body));
    const { privateKey, publicKey } = await generateDeviceKey();
    const now = () => Math.floor(v.ctx.clock.now() / 1000);
    const enrolled = await send('POST', '/device/v1/Factors', `Bearer ${token.body?.token}`, { 'Binding.Alg': 'ES256', 'Binding.PublicKey': publicKey, 'Config.AppId': 'tour' });
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
    const push = enrolled.body?.sid as string;
    const device = async () => `Bearer ${await signDeviceToken(privateKey, push, 60, now())}`;
    assert.equal((await send('GET', `/device/v1/Factors/${push}`, await device())).status, 200);
    const pushVerified = await send('POST', `/device/v1/Factors/${push}`, await device(), { AuthPayload: await signFactorVerification(privateKey, push, now()) });
    assert.equal(pushVerified.body?.status, 'verified', JSON.stringify(pushVerified.body));
    const pushChallenge = await call('POST', `${entityPath}/Challenges`, { FactorSid: push, 'Details.Message': 'Approve the sign-in?' });
    assert.equal(pushChallenge.status, 201, JSON.stringify(pushChallenge.body));
    assert.equal((await call('POST', `${entityPath}/Challenges/${pushChallenge.body?.sid}/Notifications`, { Ttl: '60' })).status, 201);
    const listed = await send('GET', `/device/v1/Factors/${push}/Challenges?Status=pending`, await device());
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    const shown = listed.body?.challenges[0] as DeviceChallenge;
    const number = pushChallenge.body?.number_match as string | null;
    const reply = await send('POST', `/device/v1/Factors/${push}/Challenges/${shown.sid}`, await device(), { AuthPayload: await signPushResponse(privateKey, shown, 'approved', number ?? undefined, now()) });
    assert.equal(reply.body?.status, 'approved', JSON.stringify(reply.body));
    assert.equal((await send('GET', `/device/v1/Factors/${push}/Challenges?Status=nope`, await device())).body?.message, 'Invalid parameter: Status (expected one of pending, approved, denied, expired)');
    assert.equal((await send('POST', `/device/v1/Factors/${push}`, 'Bearer nope', { AuthPayload: 'x'.repeat(6000) })).status, 401, 'the device is authenticated before its input is validated');

    // The progress streams refuse an unknown SID or token with the API's error body.
    assert.equal((await send('GET', `/events/v1/Challenges/${challenge.body?.sid}/nope`, undefined)).status, 404);
    assert.equal((await send('GET', `/events/v1/Verifications/VE${'0'.repeat(32)}/nope`, undefined)).status, 404);

    assert.equal((await call('DELETE', `${entityPath}/Factors/${factor.body?.sid}`)).status, 204);
    assert.equal((await call('DELETE', entityPath)).status, 204);
    assert.deepEqual(built.responseChecks.violations, []);
  });
});
