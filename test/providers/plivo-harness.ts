/**
 * The Plivo plug-in's harness for the shared provider contract (providers-contract.test.ts): a
 * local stand-in for the Message API (fake-plivo.ts), and status callbacks posted to the `url`
 * Verity gave with the message, signed by the fake with X-Plivo-Signature-V3.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { closedPortBase } from './fake-twilio.ts';
import { PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN, startFakePlivo, type FakePlivo, type PlivoCallback } from './fake-plivo.ts';
import type { CarrierMode, DeliveryHarness, ReceiptAnswer, WebhookReceipts } from './provider-contract.ts';

const PUBLIC_URL = 'https://verity.example.com';
const BASE_ENV = { NODE_ENV: 'test', VERITY_PUBLIC_URL: PUBLIC_URL, VERITY_SMS_FROM: '+15005550006' };
const NONE = { VERITY_SMS_PROVIDER: 'none', VERITY_VOICE_PROVIDER: 'none', VERITY_EMAIL_PROVIDER: 'none', VERITY_WHATSAPP_PROVIDER: 'none' };
const MODES: Record<Exclude<CarrierMode, 'unreachable'>, FakePlivo['behaviour']> = { ok: 'accept', throttled: 'rate-limit', refusing: 'server-error', hanging: 'hang' };

let fake: FakePlivo;
let closed = '';

/** The callback posted where Plivo posts it (the fake signs for the `url` the send named). */
const post = (app: FastifyInstance, callback: PlivoCallback): Promise<LightMyRequestResponse> =>
  app.inject({ method: 'POST', url: callback.path, headers: callback.headers, payload: callback.body });

const receipts: WebhookReceipts = {
  via: 'http',
  async report(app, sent, outcome) {
    const errorCode = outcome === 'undelivered' ? '30' : undefined;
    const response = await post(app, fake.callback(sent.receipt.providerMessageId, outcome, errorCode ? { errorCode } : {}));
    return { answer: { via: 'http', response }, price: { amount: '0.00650', currency: 'USD' }, ...(errorCode ? { errorCode } : {}) };
  },
  async malformed(app, sent) {
    const id = sent.receipt.providerMessageId;
    const answers: ReceiptAnswer[] = [];
    for (const omit of [['MessageUUID'], ['Status'], ['MessageUUID', 'Status']]) {
      answers.push({ via: 'http', response: await post(app, fake.callback(id, 'delivered', { omit })) });
    }
    answers.push({ via: 'http', response: await post(app, fake.callback(id, '', {})) });
    return answers;
  },
  forged: (app, sent) => post(app, fake.callback(sent.receipt.providerMessageId, 'delivered', { token: 'another-plivo-auth-token-0123' })),
};

export const plivoDelivery: DeliveryHarness = {
  failures: true,
  hangs: true,
  async setup() {
    fake = await startFakePlivo();
    closed = await closedPortBase();
  },
  teardown: () => fake.close(),
  reset: () => fake.reset(),
  async env(mode) {
    if (mode !== 'unreachable') fake.behaviour = MODES[mode];
    return {
      ...BASE_ENV,
      ...NONE,
      VERITY_SMS_PROVIDER: 'plivo',
      VERITY_PLIVO_AUTH_ID: PLIVO_AUTH_ID,
      VERITY_PLIVO_AUTH_TOKEN: PLIVO_AUTH_TOKEN,
      VERITY_PLIVO_API_BASE: mode === 'unreachable' ? closed : fake.apiBase,
      ...(mode === 'hanging' ? { VERITY_PLIVO_TIMEOUT_MS: '300' } : {}),
    };
  },
  async delivered(message, receipt, deps) {
    const request = fake.received.at(-1);
    assert.equal(request?.uuids[0], receipt.providerMessageId);
    assert.deepEqual(request?.body, { src: '+15005550006', dst: message.to, text: message.body, type: 'sms', url: `${PUBLIC_URL}/messaging/${deps.instance}/status`, method: 'POST' });
  },
  refused(mode, error) {
    if (mode === 'throttled') assert.match(error.message, /HTTP 429: too many requests/);
    if (mode === 'refusing') assert.match(error.message, /HTTP 500: internal server error/);
  },
  receipts,
};
