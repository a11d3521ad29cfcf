/**
 * `Channel=whatsapp` end to end through the Verify API: through the simulated carrier (what a fresh
 * `npm start` uses) and through the WhatsApp Cloud API provider against a local fake of Meta's Graph
 * API, with Meta's signed status webhooks recorded against the attempt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { whatsAppSignature } from '../../src/providers/whatsapp/whatsapp-signature.ts';
import {
  WHATSAPP_ACCESS_TOKEN,
  WHATSAPP_API_VERSION,
  WHATSAPP_APP_SECRET,
  WHATSAPP_LANGUAGES,
  WHATSAPP_PHONE_NUMBER_ID,
  WHATSAPP_TEMPLATE,
  WHATSAPP_VERIFY_TOKEN,
  startFakeWhatsApp,
  statusNotification,
  type FakeWhatsApp,
} from '../providers/fake-whatsapp.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

describe('Channel=whatsapp through the simulated carrier', () => {
  let v: TestVerity;
  let service: string;
  before(async () => {
    v = await startVerity({ manualClock: true });
    service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid;
  });
  after(async () => v.close());

  const create = (to: string, channel: string, extra: Record<string, string> = {}) => v.api('POST', `/v2/Services/${service}/Verifications`, { To: to, Channel: channel, ...extra });

  it('a new service enables whatsapp with the other channels', async () => {
    const fetched = await v.api('GET', `/v2/Services/${service}`);
    assert.ok(fetched.body.enabled_channels.includes('whatsapp'), JSON.stringify(fetched.body.enabled_channels));
  });

  it('creates, resends the same code and approves a WhatsApp verification', async () => {
    const to = '+14155550170';
    const created = await create(to, 'whatsapp');
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.channel, 'whatsapp');
    assert.equal(created.body.status, 'pending');
    // The hosted API's examples write whatsapp in lower case (SMS, EMAIL, CALL in upper case).
    assert.equal(created.body.send_code_attempts[0].channel, 'whatsapp');

    const [message] = await v.inbox(to);
    assert.equal(message?.channel, 'whatsapp');
    assert.equal(message?.from, '+15005550006');
    // Meta's authentication template text: the code, then the expiry footer.
    assert.match(message?.body ?? '', /^\d{6} is your verification code\.\nThis code expires in 10 minutes\.$/);
    const code = await v.lastCode(to);

    const resent = await create(to, 'whatsapp');
    assert.equal(resent.status, 201);
    assert.equal(resent.body.sid, created.body.sid, 'a resend joins the pending verification');
    assert.deepEqual(resent.body.send_code_attempts.map((a: { channel: string }) => a.channel), ['whatsapp', 'whatsapp']);
    assert.equal((await v.inbox(to)).length, 2);
    assert.equal(await v.lastCode(to), code, 'the same code again');

    // The same verification resent by SMS carries the same code too.
    assert.equal((await create(to, 'sms')).body.sid, created.body.sid);
    assert.equal(await v.lastCode(to), code);

    const wrong = await v.api('POST', `/v2/Services/${service}/VerificationCheck`, { To: to, Code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.body.status, 'pending');
    const checked = await v.api('POST', `/v2/Services/${service}/VerificationCheck`, { To: to, Code: code });
    assert.equal(checked.status, 200, JSON.stringify(checked.body));
    assert.equal(checked.body.status, 'approved');
    assert.equal(checked.body.channel, 'sms', 'the channel of the latest send');
  });

  it('says the security recommendation when the service asks for it, in the verification\'s language', async () => {
    const other = (await v.api('POST', '/v2/Services', { FriendlyName: 'Careful', DoNotShareWarningEnabled: 'true' })).body.sid;
    const to = '+14155550171';
    assert.equal((await v.api('POST', `/v2/Services/${other}/Verifications`, { To: to, Channel: 'whatsapp', Locale: 'fr' })).status, 201);
    const [message] = await v.inbox(to);
    assert.match(message?.body ?? '', /^\d{6} est votre code de vérification\. Pour votre sécurité, ne le partagez pas\.\nCe code expire dans 10 minutes\.$/);
  });

  it('needs a phone number (60200) and an enabled channel (60223)', async () => {
    const email = await create('someone@example.com', 'whatsapp');
    assert.equal(email.status, 400);
    assert.equal(email.body.code, 60200);
    assert.match(email.body.message, /whatsapp channel needs a phone number/);

    const smsOnly = (await v.api('POST', '/v2/Services', { FriendlyName: 'Texts', EnabledChannels: 'sms' })).body.sid;
    const refused = await v.api('POST', `/v2/Services/${smsOnly}/Verifications`, { To: '+14155550172', Channel: 'whatsapp' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 60223);
    assert.deepEqual(await v.inbox('+14155550172'), []);

    // Still foreign: Silent Network Auth.
    assert.equal((await create('+14155550173', 'sna')).body.code, 60223);
  });
});

describe('Channel=whatsapp through the WhatsApp Cloud API', () => {
  let v: TestVerity;
  let fake: FakeWhatsApp;
  let service: string;
  before(async () => {
    fake = await startFakeWhatsApp();
    v = await startVerity({
      manualClock: true,
      env: {
        VERITY_WHATSAPP_PROVIDER: 'whatsapp',
        VERITY_WHATSAPP_ACCESS_TOKEN: WHATSAPP_ACCESS_TOKEN,
        VERITY_WHATSAPP_PHONE_NUMBER_ID: WHATSAPP_PHONE_NUMBER_ID,
        VERITY_WHATSAPP_TEMPLATE: WHATSAPP_TEMPLATE,
        VERITY_WHATSAPP_TEMPLATE_LANGUAGES: WHATSAPP_LANGUAGES.join(','),
        VERITY_WHATSAPP_APP_SECRET: WHATSAPP_APP_SECRET,
        VERITY_WHATSAPP_VERIFY_TOKEN: WHATSAPP_VERIFY_TOKEN,
        VERITY_WHATSAPP_API_VERSION: WHATSAPP_API_VERSION,
        VERITY_WHATSAPP_API_BASE: fake.apiBase,
      },
    });
    service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme' })).body.sid;
  });
  after(async () => {
    await v.close();
    await fake.close();
  });

  const create = (to: string, extra: Record<string, string> = {}) => v.api('POST', `/v2/Services/${service}/Verifications`, { To: to, Channel: 'whatsapp', ...extra });
  const webhook = (body: string, signature: string | undefined) =>
    fetch(`${v.url}/messaging/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }) }, body });
  const attemptOf = (messageId: string) => v.ctx.db.kysely.selectFrom('delivery_attempts').select(['status', 'error_code', 'provider', 'channel']).where('provider_message_id', '=', messageId).executeTakeFirst();

  it('sends the authentication template with the code, resends the same code, and approves it', async () => {
    const to = '+14155550180';
    const created = await create(to);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const first = fake.received.at(-1);
    assert.equal(first?.to, to);
    assert.equal(first?.template, WHATSAPP_TEMPLATE);
    assert.equal(first?.language, 'en_US');
    assert.match(first?.code ?? '', /^\d{6}$/);

    const resent = await create(to);
    assert.equal(resent.body.sid, created.body.sid);
    assert.equal(fake.received.length, 2);
    assert.equal(fake.received[1]?.code, first?.code, 'the same code again');

    const checked = await v.api('POST', `/v2/Services/${service}/VerificationCheck`, { To: to, Code: first?.code ?? '' });
    assert.equal(checked.body.status, 'approved');
  });

  it('picks the template language from the verification\'s locale', async () => {
    await create('+14155550181', { Locale: 'pt-BR' });
    assert.equal(fake.received.at(-1)?.language, 'pt_BR');
    await create('+14155550182', { Locale: 'fr-CA' });
    assert.equal(fake.received.at(-1)?.language, 'fr');
    await create('+14155550183', { Locale: 'de' });
    assert.equal(fake.received.at(-1)?.language, 'en_US', 'a language the template lacks falls back to the first');
  });

  it('records Meta\'s signed statuses against the attempt; unsigned, forged or altered ones change nothing', async () => {
    await create('+14155550184');
    const id = fake.received.at(-1)?.id ?? '';
    assert.equal((await attemptOf(id))?.provider, 'whatsapp');
    const delivered = JSON.stringify(statusNotification(id, 'delivered', { recipient: '+14155550184' }));

    for (const [what, signature, body] of [
      ['missing', undefined, delivered],
      ['wrong secret', whatsAppSignature('another-app-secret-0123456789', delivered), delivered],
      ['malformed header', 'sha1=0123', delivered],
      ['altered body', whatsAppSignature(WHATSAPP_APP_SECRET, delivered), delivered.replace('"delivered"', '"read"')],
    ] as const) {
      const response = await webhook(body, signature);
      assert.equal(response.status, 403, what);
      assert.equal(((await response.json()) as { code: number }).code, 20003, what);
      assert.notEqual((await attemptOf(id))?.status, 'delivered', `${what}: nothing recorded`);
    }

    const accepted = await webhook(delivered, whatsAppSignature(WHATSAPP_APP_SECRET, delivered));
    assert.equal(accepted.status, 200);
    assert.equal((await attemptOf(id))?.status, 'delivered');
  });

  it('a failed status is recorded undelivered with Meta\'s error code', async () => {
    await create('+14155550185');
    const id = fake.received.at(-1)?.id ?? '';
    const failed = JSON.stringify(statusNotification(id, 'failed', { errorCode: 131026 }));
    assert.equal((await webhook(failed, whatsAppSignature(WHATSAPP_APP_SECRET, failed))).status, 200);
    const attempt = await attemptOf(id);
    assert.equal(attempt?.status, 'undelivered');
    assert.equal(attempt?.error_code, '131026');
  });

  it('answers Meta\'s subscription handshake only with the verify token', async () => {
    const handshake = (token: string, mode = 'subscribe') => fetch(`${v.url}/messaging/whatsapp/webhook?${new URLSearchParams({ 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': '1158201444' })}`);
    const ok = await handshake(WHATSAPP_VERIFY_TOKEN);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), '1158201444');
    assert.equal((await handshake('not-the-token-0123456789')).status, 403);
    assert.equal((await handshake(WHATSAPP_VERIFY_TOKEN, 'unsubscribe')).status, 403);
  });

  it('a throttled Cloud API fails the send with 30008, the code never in the answer', async () => {
    fake.behaviour = 'pair-rate-limit';
    try {
      const refused = await create('+14155550186');
      assert.equal(refused.status, 502, JSON.stringify(refused.body));
      assert.equal(refused.body.code, 30008);
      assert.ok(!refused.body.message.includes(fake.received.at(-1)?.code ?? 'none'), 'the code is not in the message');
    } finally {
      fake.behaviour = 'accept';
    }
  });
});
