import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { rejection } from '../../../test/support/delivery-rejection.ts';
import {
  WHATSAPP_ACCESS_TOKEN,
  WHATSAPP_API_VERSION,
  WHATSAPP_LANGUAGES,
  WHATSAPP_PHONE_NUMBER_ID,
  WHATSAPP_TEMPLATE,
  startFakeWhatsApp,
  type FakeWhatsApp,
} from '../../../test/providers/fake-whatsapp.ts';
import type { OutboundMessage } from '../provider.ts';
import { authenticationTemplate, createWhatsAppProvider } from './whatsapp-provider.ts';
import { templateLanguage } from './whatsapp-settings.ts';

// The wire format and the shared failure modes are in the provider contract (test/providers/);
// here: the template's shape, the language choice and how Meta's error codes are classified.

const message: OutboundMessage = { channel: 'whatsapp', to: '+33612345678', body: '482913 is your verification code.', code: '482913', locale: 'fr', verificationSid: 'VE1', attemptId: 'DA1' };

describe('WhatsApp Cloud API provider', () => {
  let fake: FakeWhatsApp;
  before(async () => {
    fake = await startFakeWhatsApp();
  });
  after(async () => fake.close());
  beforeEach(() => fake.reset());

  const provider = (overrides: { accessToken?: string; template?: string } = {}) =>
    createWhatsAppProvider({
      graphUrl: `${fake.apiBase}/${WHATSAPP_API_VERSION}`,
      accessToken: overrides.accessToken ?? WHATSAPP_ACCESS_TOKEN,
      phoneNumberId: WHATSAPP_PHONE_NUMBER_ID,
      template: overrides.template ?? WHATSAPP_TEMPLATE,
      languages: WHATSAPP_LANGUAGES,
    });

  it('sends the code as the body parameter and the copy-code button\'s URL parameter', () => {
    assert.deepEqual(authenticationTemplate('+33612345678', '482913', 'verity_code', 'fr'), {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+33612345678',
      type: 'template',
      template: {
        name: 'verity_code',
        language: { code: 'fr' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: '482913' }] },
          { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] },
        ],
      },
    });
  });

  it('answers Meta\'s message id and reports receipts', async () => {
    const built = provider();
    assert.equal(built.receipts, true);
    const receipt = await built.send(message);
    assert.equal(receipt.providerMessageId, fake.received[0]?.id);
    assert.equal(fake.received[0]?.language, 'fr');
    assert.equal(fake.received[0]?.code, '482913');
  });

  it('Meta\'s rate limits are retryable; a missing template or a bad token is not; the code never shows', async () => {
    fake.behaviour = 'pair-rate-limit';
    const limited = await rejection(provider().send(message));
    assert.equal(limited.retryable, true);
    assert.match(limited.message, /Meta error 131056/);
    fake.behaviour = 'accept';

    const missing = await rejection(provider({ template: 'no_such_template' }).send(message));
    assert.equal(missing.retryable, false);
    assert.match(missing.message, /HTTP 404: Meta error 132001/);

    const token = await rejection(provider({ accessToken: 'EAA-wrong-token-0123456789' }).send(message));
    assert.equal(token.retryable, false);
    assert.match(token.message, /HTTP 401: Meta error 190/);
    for (const error of [limited, missing, token]) assert.ok(!error.message.includes('482913'), error.message);
  });

  it('refuses a message without its code, and other channels, without retrying', async () => {
    const withoutCode: OutboundMessage = { ...message };
    delete withoutCode.code;
    assert.equal((await rejection(provider().send(withoutCode))).retryable, false);
    assert.equal((await rejection(provider().send({ ...message, channel: 'sms' }))).retryable, false);
    assert.equal(fake.received.length, 0);
  });
});

describe('template language', () => {
  const languages = ['en_US', 'fr', 'pt_BR', 'es'];
  it('the exact one, else one of the same language, else the first', () => {
    assert.equal(templateLanguage('pt-BR', languages), 'pt_BR');
    assert.equal(templateLanguage('pt_br', languages), 'pt_BR');
    assert.equal(templateLanguage('fr-CA', languages), 'fr');
    assert.equal(templateLanguage('en', languages), 'en_US');
    assert.equal(templateLanguage('pt', languages), 'pt_BR');
    assert.equal(templateLanguage('es-MX', languages), 'es');
    assert.equal(templateLanguage('de', languages), 'en_US');
  });
});
