import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** Names an attacker with API access would use to phish through a trusted sender's messages. */
const PHISHING = ['bit.ly/x', 'evil.example/login', 'https://evil', 'www.evil', 'Code 1 2 3 4 5 6', 'Code 12-34-56', 'Acme\nYour code: 1', 'Acme\u202Eknab'];

describe('friendly names sent in messages are checked on every parameter that sets one', () => {
  let v: TestVerity;
  let serviceSid: string;
  before(async () => {
    v = await startVerity({ manualClock: true });
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme Bank' })).body.sid as string;
  });
  after(async () => v.close());

  it('refuses them as a service FriendlyName, on create and on update (60200)', async () => {
    for (const name of PHISHING) {
      for (const [path, what] of [['/v2/Services', 'create'], [`/v2/Services/${serviceSid}`, 'update']] as const) {
        const response = await v.api('POST', path, { FriendlyName: name });
        assert.equal(response.status, 400, `${what} ${JSON.stringify(name)}`);
        assert.equal(response.body.code, 60200);
        assert.match(response.body.message, /^Invalid parameter: FriendlyName \(/);
      }
    }
    assert.equal((await v.api('GET', `/v2/Services/${serviceSid}`)).body.friendly_name, 'Acme Bank');
  });

  it('refuses them as CustomFriendlyName (60200), and sends nothing', async () => {
    for (const [i, name] of PHISHING.entries()) {
      const to = `+1415555${String(2000 + i)}`;
      const response = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms', CustomFriendlyName: name });
      assert.equal(response.status, 400, JSON.stringify(name));
      assert.equal(response.body.code, 60200);
      assert.match(response.body.message, /^Invalid parameter: CustomFriendlyName \(/);
      assert.deepEqual(await v.inbox(to), []);
    }
  });

  it('accepts real names, in any script, and sends them', async () => {
    for (const [i, name] of ['Café Müller', 'AT&T', "St. John's", 'Дом книги'].entries()) {
      const to = `+1415555${String(3000 + i)}`;
      const response = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms', CustomFriendlyName: name });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      const [message] = await v.inbox(to);
      assert.ok(message?.body.includes(name), `the SMS names ${name}: ${message?.body}`);
    }
    assert.equal((await v.api('POST', '/v2/Services', { FriendlyName: 'Café Müller' })).status, 201);
  });
});
