import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/**
 * A deployment that sends SMS only through VERITY_MESSAGING_CONFIG's routes (VERITY_SMS_PROVIDER=none,
 * production's default): the routes make the channel available, and a number no route serves is
 * refused (60223) before a verification is created or a send is counted.
 */
describe('SMS through configured routes alone (VERITY_SMS_PROVIDER=none)', () => {
  let v: TestVerity;
  let serviceSid: string;

  before(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'verity-routes-only-')), 'messaging.json');
    writeFileSync(file, JSON.stringify({
      instances: { 'sim-uk': { plugin: 'simulator' } },
      routes: [{ id: 'uk', channel: 'sms', prefixes: ['+44'], targets: [{ instance: 'sim-uk' }] }],
    }));
    v = await startVerity({ env: { VERITY_SMS_PROVIDER: 'none', VERITY_WHATSAPP_PROVIDER: 'none', VERITY_MESSAGING_CONFIG: file } });
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Routes only' })).body.sid;
  });
  after(async () => v.close());

  it('sends to a number a route serves, through that route', async () => {
    const created = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: '+447911123456', Channel: 'sms' });
    assert.equal(created.status, 201);
    const [attempt] = created.body.send_code_attempts[0].delivery_attempts;
    assert.deepEqual([attempt.provider, attempt.route], ['sim-uk', 'uk']);
    assert.equal((await v.inbox('+447911123456')).length, 1);
  });

  it('refuses a number no route serves with 60223, creating nothing', async () => {
    const refused = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: '+14155550100', Channel: 'sms' });
    assert.deepEqual([refused.status, refused.body.code], [400, 60223]);
    assert.match(refused.body.message, /no sms route serves this destination/);
    assert.equal((await v.api('GET', `/v2/Services/${serviceSid}/Verifications/+14155550100`)).status, 404);
    assert.deepEqual(await v.inbox('+14155550100'), []);
  });

  it('keeps a channel with neither a provider nor a route disabled', async () => {
    const whatsapp = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: '+447911123456', Channel: 'whatsapp' });
    assert.deepEqual([whatsapp.status, whatsapp.body.code], [400, 60223]);
    assert.match(whatsapp.body.message, /no whatsapp provider is configured/);
  });
});
