/**
 * The WhatsApp Cloud API plug-in's harness for the shared provider contract
 * (providers-contract.test.ts): a local stand-in for Meta's Graph API (fake-whatsapp.ts), and
 * status notifications posted to the instance's callback URL signed as Meta signs them
 * (X-Hub-Signature-256 with the app secret).
 */
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { whatsAppWebhookPath } from '../../src/providers/whatsapp/whatsapp-routes.ts';
import { closedPortBase } from './fake-twilio.ts';
import {
  WHATSAPP_ACCESS_TOKEN,
  WHATSAPP_API_VERSION,
  WHATSAPP_APP_SECRET,
  WHATSAPP_LANGUAGES,
  WHATSAPP_PHONE_NUMBER_ID,
  WHATSAPP_TEMPLATE,
  WHATSAPP_VERIFY_TOKEN,
  signedWebhook,
  startFakeWhatsApp,
  statusNotification,
  type FakeWhatsApp,
} from './fake-whatsapp.ts';
import type { CarrierMode, DeliveryHarness, SentMessage } from './provider-contract.ts';

const BASE_ENV = { NODE_ENV: 'test', VERITY_PUBLIC_URL: 'https://verity.example.com', VERITY_SMS_FROM: '+15005550006' };
const NONE = { VERITY_SMS_PROVIDER: 'none', VERITY_VOICE_PROVIDER: 'none', VERITY_EMAIL_PROVIDER: 'none', VERITY_WHATSAPP_PROVIDER: 'none' };

let fakeWhatsApp: FakeWhatsApp;
let closedWhatsApp = '';
const WHATSAPP_MODES: Record<Exclude<CarrierMode, 'unreachable'>, FakeWhatsApp['behaviour']> = { ok: 'accept', throttled: 'throttle', refusing: 'server-error', hanging: 'hang' };

/** A notification as Meta posts it to the callback URL of the instance that sent the message. */
async function whatsAppWebhook(app: FastifyInstance, sent: SentMessage, body: Record<string, unknown> | string, appSecret = WHATSAPP_APP_SECRET): Promise<LightMyRequestResponse> {
  const { payload, headers } = signedWebhook(body, appSecret);
  return app.inject({ method: 'POST', url: whatsAppWebhookPath(sent.deps.instance), headers, payload });
}

export const whatsAppDelivery: DeliveryHarness = {
  failures: true,
  hangs: true,
  async setup() {
    fakeWhatsApp = await startFakeWhatsApp();
    closedWhatsApp = await closedPortBase();
  },
  teardown: () => fakeWhatsApp.close(),
  reset: () => fakeWhatsApp.reset(),
  async env(mode) {
    if (mode !== 'unreachable') fakeWhatsApp.behaviour = WHATSAPP_MODES[mode];
    return {
      ...BASE_ENV,
      ...NONE,
      VERITY_WHATSAPP_PROVIDER: 'whatsapp',
      VERITY_WHATSAPP_ACCESS_TOKEN: WHATSAPP_ACCESS_TOKEN,
      VERITY_WHATSAPP_PHONE_NUMBER_ID: WHATSAPP_PHONE_NUMBER_ID,
      VERITY_WHATSAPP_TEMPLATE: WHATSAPP_TEMPLATE,
      VERITY_WHATSAPP_TEMPLATE_LANGUAGES: WHATSAPP_LANGUAGES.join(','),
      VERITY_WHATSAPP_APP_SECRET: WHATSAPP_APP_SECRET,
      VERITY_WHATSAPP_VERIFY_TOKEN: WHATSAPP_VERIFY_TOKEN,
      VERITY_WHATSAPP_API_VERSION: WHATSAPP_API_VERSION,
      VERITY_WHATSAPP_API_BASE: mode === 'unreachable' ? closedWhatsApp : fakeWhatsApp.apiBase,
      ...(mode === 'hanging' ? { VERITY_WHATSAPP_TIMEOUT_MS: '300' } : {}),
    };
  },
  async delivered(message, receipt) {
    const request = fakeWhatsApp.received.at(-1);
    assert.equal(request?.to, message.to);
    assert.equal(request?.code, message.code, 'the code is the template\'s parameter');
    assert.equal(request?.language, 'en_US', 'locale en picks the approved en_US');
    assert.equal(receipt.providerMessageId, request?.id);
    assert.match(receipt.providerMessageId, /^wamid\./);
  },
  refused(mode, error) {
    if (mode === 'throttled') assert.match(error.message, /Meta error 130429/);
    if (mode === 'refusing') assert.match(error.message, /HTTP 500: Meta error 131000/);
    assert.ok(!error.message.includes('834921'), 'the code is not in the error');
  },
  receipts: {
    via: 'http',
    async report(app, sent, outcome) {
      const errorCode = outcome === 'undelivered' ? '131026' : undefined;
      const body = statusNotification(sent.receipt.providerMessageId, outcome === 'delivered' ? 'delivered' : 'failed', { recipient: sent.message.to, errorCode: 131026 });
      return { answer: { via: 'http', response: await whatsAppWebhook(app, sent, body) }, ...(errorCode ? { errorCode } : {}) };
    },
    async malformed(app, sent) {
      const good = statusNotification(sent.receipt.providerMessageId, 'delivered');
      const withoutId = JSON.parse(JSON.stringify(good)) as { entry: [{ changes: [{ value: { statuses: [Record<string, unknown>] } }] }] };
      delete withoutId.entry[0].changes[0].value.statuses[0]['id'];
      const wrongTypes = { object: 'whatsapp_business_account', entry: [{ id: 1, changes: 'messages' }] };
      return Promise.all(['{"object":', withoutId, wrongTypes, { object: 'whatsapp_business_account' }].map(async (body) => ({ via: 'http' as const, response: await whatsAppWebhook(app, sent, body as Record<string, unknown> | string) })));
    },
    forged: (app, sent) => whatsAppWebhook(app, sent, statusNotification(sent.receipt.providerMessageId, 'delivered'), 'another-app-secret-0123456789'),
  },
};
