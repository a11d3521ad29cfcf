import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type BuiltApp } from '../../src/http/build-app.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { accountAuthorization, injectTourRequest, type TourBody } from './schema-tour.ts';

/**
 * A tour of the API whose every JSON response is parsed, strictly, with the schema its route
 * publishes (src/http/schema/validation.ts). Under NODE_ENV=test every suite's responses are
 * checked this way (a mismatch answers 500); here they are recorded, so one assertion lists them all.
 */
describe('real responses match the published schemas', () => {
  let v: TestVerity;
  let built: BuiltApp;
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: TourBody) => injectTourRequest(built.app, method, url, accountAuthorization(v), body);
  before(async () => {
    v = await startVerity();
    built = await buildApp(v.ctx);
    built.responseChecks.mode = 'record';
  });
  after(async () => {
    await built?.app.close();
    await v?.close();
  });

  it('services, verifications over SMS, email and calls, checks, cancels and errors', async () => {
    const created = await call('POST', '/v2/Services', { FriendlyName: 'Tour', CodeLength: '6', 'Totp.Issuer': 'Tour Inc', 'Push.NumberMatching': 'false', AllowedCountries: ['US', 'GB'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const service = created.body?.sid as string;
    assert.equal((await call('GET', '/v2/Services?PageSize=2')).status, 200);
    assert.equal((await call('GET', `/v2/Services/${service}`)).status, 200);
    const updated = await call('POST', `/v2/Services/${service}`, { Psd2Enabled: 'false', 'Voiceprint.Threshold': '0.5', DefaultLocale: 'fr', EnabledChannels: 'sms,email,call' });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));

    const sms = await call('POST', `/v2/Services/${service}/Verifications`, { To: '+14155552671', Channel: 'sms' });
    assert.equal(sms.status, 201, JSON.stringify(sms.body));
    assert.equal((await call('GET', `/v2/Services/${service}/Verifications/${sms.body?.sid}`)).status, 200);
    assert.equal((await call('POST', `/v2/Services/${service}/VerificationCheck`, { To: '+14155552671', Code: '000000' })).status, 200);
    const approved = await call('POST', `/v2/Services/${service}/VerificationCheck`, { To: '+14155552671', Code: await v.lastCode('+14155552671') });
    assert.equal(approved.body?.status, 'approved');

    const email = await call('POST', `/v2/Services/${service}/Verifications`, { To: 'tour@example.com', Channel: 'email' });
    assert.equal(email.status, 201, JSON.stringify(email.body));
    assert.equal((await call('POST', `/v2/Services/${service}/Verifications/${email.body?.sid}`, { Status: 'canceled' })).body?.status, 'canceled');

    const voice = await call('POST', `/v2/Services/${service}/Verifications`, { To: '+14155550199', Channel: 'call', VoiceFlow: 'keypad_code' });
    assert.equal(voice.status, 201, JSON.stringify(voice.body));
    assert.equal(typeof voice.body?.display_code, 'string');

    const bad = await call('POST', `/v2/Services/${service}/Verifications`, { To: 'x'.repeat(321), Channel: 'sms' });
    assert.deepEqual([bad.status, bad.body?.code, bad.body?.message], [400, 60200, 'Invalid parameter: To (at most 320 characters)']);
    assert.equal((await call('GET', '/v2/Services?PageSize=0')).body?.message, 'Invalid parameter: PageSize (expected an integer from 1 to 1000)');
    assert.equal((await call('POST', `/v2/Services/VA${'0'.repeat(32)}`, { CodeLength: '99' })).status, 404, 'an unknown service is reported before the body');
    assert.equal((await call('DELETE', `/v2/Services/${service}`)).status, 204);

    assert.deepEqual(built.responseChecks.violations, []);
  });
});
