/**
 * The Telnyx plug-in's harness for the shared provider contract (providers-contract.test.ts): a
 * local stand-in for the Messaging API v2 (fake-telnyx.ts), and message webhooks posted to the
 * `webhook_url` Verity gave with the message, Ed25519-signed by the fake's key pair.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { closedPortBase } from './fake-twilio.ts';
import { startFakeTelnyx, TELNYX_API_KEY, type FakeTelnyx, type TelnyxWebhook } from './fake-telnyx.ts';
import type { CarrierMode, DeliveryHarness, ReceiptAnswer, SentMessage, WebhookReceipts } from './provider-contract.ts';

const PUBLIC_URL = 'https://verity.example.com';
const BASE_ENV = { NODE_ENV: 'test', VERITY_PUBLIC_URL: PUBLIC_URL, VERITY_SMS_FROM: '+15005550006' };
const NONE = { VERITY_SMS_PROVIDER: 'none', VERITY_VOICE_PROVIDER: 'none', VERITY_EMAIL_PROVIDER: 'none', VERITY_WHATSAPP_PROVIDER: 'none' };
const MODES: Record<Exclude<CarrierMode, 'unreachable'>, FakeTelnyx['behaviour']> = { ok: 'accept', throttled: 'rate-limit', refusing: 'server-error', hanging: 'hang' };

let fake: FakeTelnyx;
let closed = '';

/** The webhook posted where Telnyx posts it: the path of the `webhook_url` the send named. */
function post(app: FastifyInstance, sent: SentMessage, webhook: TelnyxWebhook): Promise<LightMyRequestResponse> {
  const request = fake.received.find((r) => r.id === sent.receipt.providerMessageId);
  const url = new URL(String(request?.body['webhook_url']));
  return app.inject({ method: 'POST', url: url.pathname, headers: webhook.headers, payload: webhook.body });
}

const now = (sent: SentMessage) => Math.floor(sent.deps.clock.now() / 1000);

/** A webhook with a hand-made body, correctly signed. */
function signedBody(sent: SentMessage, body: string): TelnyxWebhook {
  const timestamp = String(now(sent));
  return { body, headers: { 'content-type': 'application/json', 'telnyx-timestamp': timestamp, 'telnyx-signature-ed25519': fake.sign(`${timestamp}|${body}`) } };
}

const receipts: WebhookReceipts = {
  via: 'http',
  async report(app, sent, outcome) {
    const errors = outcome === 'undelivered' ? [{ code: '40008', title: 'Undeliverable' }] : [];
    const webhook = fake.webhook(sent.receipt.providerMessageId, outcome === 'delivered' ? 'delivered' : 'delivery_failed', { timestampSeconds: now(sent), errors });
    const response = await post(app, sent, webhook);
    return { answer: { via: 'http', response }, price: { amount: '0.0040', currency: 'USD' }, ...(outcome === 'undelivered' ? { errorCode: '40008' } : {}) };
  },
  async malformed(app, sent) {
    const bodies = [
      'not json',
      JSON.stringify({ data: {} }),
      JSON.stringify({ data: { event_type: 'message.finalized' } }),
      JSON.stringify({ data: { event_type: 'message.finalized', payload: { to: [{ status: 'delivered' }] } } }),
      JSON.stringify({ data: { event_type: 'message.finalized', payload: { id: sent.receipt.providerMessageId, to: 'delivered' } } }),
    ];
    const answers: ReceiptAnswer[] = [];
    for (const body of bodies) answers.push({ via: 'http', response: await post(app, sent, signedBody(sent, body)) });
    return answers;
  },
  forged: (app, sent) => post(app, sent, fake.webhook(sent.receipt.providerMessageId, 'delivered', { timestampSeconds: now(sent), key: generateKeyPairSync('ed25519').privateKey })),
  stale: (app, sent) => post(app, sent, fake.webhook(sent.receipt.providerMessageId, 'delivered', { timestampSeconds: now(sent) - 301 })),
};

export const telnyxDelivery: DeliveryHarness = {
  failures: true,
  hangs: true,
  async setup() {
    fake = await startFakeTelnyx();
    closed = await closedPortBase();
  },
  teardown: () => fake.close(),
  reset: () => fake.reset(),
  async env(mode) {
    if (mode !== 'unreachable') fake.behaviour = MODES[mode];
    return {
      ...BASE_ENV,
      ...NONE,
      VERITY_SMS_PROVIDER: 'telnyx',
      VERITY_TELNYX_API_KEY: TELNYX_API_KEY,
      VERITY_TELNYX_PUBLIC_KEY: fake.publicKey,
      VERITY_TELNYX_API_BASE: mode === 'unreachable' ? closed : fake.apiBase,
      ...(mode === 'hanging' ? { VERITY_TELNYX_TIMEOUT_MS: '300' } : {}),
    };
  },
  async delivered(message, receipt, deps) {
    const request = fake.received.at(-1);
    assert.equal(request?.id, receipt.providerMessageId);
    assert.equal(request?.body['to'], message.to);
    assert.equal(request?.body['text'], message.body);
    assert.equal(request?.body['from'], '+15005550006');
    assert.equal(request?.body['webhook_url'], `${PUBLIC_URL}/messaging/${deps.instance}/events`);
  },
  refused(mode, error) {
    if (mode === 'throttled') assert.match(error.message, /HTTP 429: Telnyx error 10011/);
    if (mode === 'refusing') assert.match(error.message, /HTTP 500: Telnyx error 10007/);
  },
  receipts,
};
