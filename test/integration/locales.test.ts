import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

const ENV = { VERITY_SIMULATOR_TIME_SCALE: '0.1' };

/** Verify's `Locale` through the official twilio client: the message a phone receives is in that language. */
describe('Locale: every Twilio Verify locale, through the official client', () => {
  let v: TestVerity;
  let serviceSid: string;
  let n = 0;
  before(async () => {
    v = await startVerity({ env: ENV, manualClock: true });
    serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Acme' })).sid;
  });
  after(async () => v.close());

  const newNumber = (): string => `+1415557${String(1000 + ++n).slice(-4)}`;
  /** Sends an SMS verification with `locale` and returns the text the phone received, the code replaced by `<code>`. */
  async function smsIn(locale: string | undefined): Promise<string> {
    const to = newNumber();
    const verification = await v.client.verify.v2.services(serviceSid).verifications.create({ to, channel: 'sms', ...(locale === undefined ? {} : { locale }) });
    assert.equal(verification.status, 'pending');
    const code = await v.lastCode(to);
    const [message] = await v.inbox(to);
    assert.ok(message?.body.includes(code), `the SMS carries the code: ${message?.body}`);
    return (message?.body ?? '').replace(code, '<code>');
  }

  it('sends the Japanese SMS for Locale=ja', async () => {
    assert.equal(await smsIn('ja'), 'Acmeの認証コードは<code>です');
  });

  it('sends each listed locale its own text, the tag matched without regard to case or `_`', async () => {
    const expected: Array<[string, string]> = [
      ['pt-BR', 'Seu código de verificação para Acme é: <code>'],
      ['pt-br', 'Seu código de verificação para Acme é: <code>'],
      ['pt', 'O seu código de verificação Acme é: <code>'],
      ['zh-HK', '您的Acme驗證碼是：<code>'],
      ['zh_CN', '您的Acme验证码是：<code>'],
      ['ar', 'رمز التحقق الخاص بك من Acme هو: <code>'],
      ['he', 'קוד האימות שלך ל־Acme הוא: <code>'],
      ['ko', 'Acme 인증 코드는 <code>입니다'],
      ['th', 'รหัสยืนยัน Acme ของคุณคือ <code>'],
      ['uk', 'Ваш код підтвердження Acme: <code>'],
      ['tl', 'Ang iyong Acme verification code ay: <code>'],
      ['en-GB', 'Your Acme verification code is: <code>'],
    ];
    for (const [locale, text] of expected) assert.equal(await smsIn(locale), text, locale);
  });

  it('falls back as Twilio does: an unlisted region to its language, an unlisted language to English', async () => {
    assert.equal(await smsIn('es-419'), 'Tu código de verificación de Acme es: <code>');
    assert.equal(await smsIn('fr-CA'), 'Votre code de vérification Acme est : <code>');
    assert.equal(await smsIn('zh-TW'), '您的Acme驗證碼是：<code>');
    assert.equal(await smsIn('eo'), 'Your Acme verification code is: <code>');
    assert.equal(await smsIn(undefined), 'Your Acme verification code is: <code>');
  });

  it('refuses a Locale that is not a language tag with 60200, and sends nothing', async () => {
    const to = newNumber();
    await assert.rejects(
      v.client.verify.v2.services(serviceSid).verifications.create({ to, channel: 'sms', locale: 'ja; DROP' }),
      (error: { status: number; code: number }) => error.status === 400 && error.code === 60200,
    );
    assert.deepEqual(await v.inbox(to), []);
  });

  it('speaks the call in the locale: the Japanese prompts, tagged ja for the voice', async () => {
    const to = newNumber();
    await v.client.verify.v2.services(serviceSid).verifications.create({ to, channel: 'call', locale: 'ja' });
    const phone = v.phone(to);
    const ringing = await phone.latestCall();
    const call = await phone.answer(ringing.sid);
    assert.match(phone.heard(call), /^こんにちは。Acmeです。 認証コードは((\d, ){5}\d)です。 もう一度繰り返します。コードは\1です。/);
    assert.ok(call.prompts.length > 0 && call.prompts.every((p) => p.locale === 'ja'), JSON.stringify(call.prompts.map((p) => p.locale)));
    await phone.hangup(call.sid);
  });

  it('uses the service\'s DefaultLocale when a verification gives none', async () => {
    const other = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme', DefaultLocale: 'pt-BR' })).body.sid as string;
    const to = newNumber();
    await v.client.verify.v2.services(other).verifications.create({ to, channel: 'sms' });
    const [message] = await v.inbox(to);
    assert.match(message?.body ?? '', /^Seu código de verificação para Acme é: \d+$/);
  });
});
