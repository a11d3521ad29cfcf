/**
 * The Vonage plug-in's harness for the shared provider contract (providers-contract.test.ts): a local
 * stand-in for the SMS API (fake-vonage.ts), and DLRs sent to the `callback` Verity gave with the
 * message, signed with the fake account's signature secret (HMAC-SHA256), as GET, POST form and POST JSON.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { closedPortBase } from './fake-twilio.ts';
import { startFakeVonage, VONAGE_API_KEY, VONAGE_API_SECRET, VONAGE_PART_PRICE, VONAGE_SIGNATURE_SECRET, type DlrOptions, type FakeVonage, type VonageDlrRequest } from './fake-vonage.ts';
import type { CarrierMode, DeliveryHarness, ReceiptAnswer, SentMessage, WebhookReceipts } from './provider-contract.ts';

const PUBLIC_URL = 'https://verity.example.com';
const BASE_ENV = { NODE_ENV: 'test', VERITY_PUBLIC_URL: PUBLIC_URL, VERITY_SMS_FROM: '+15005550006' };
const NONE = { VERITY_SMS_PROVIDER: 'none', VERITY_VOICE_PROVIDER: 'none', VERITY_EMAIL_PROVIDER: 'none', VERITY_WHATSAPP_PROVIDER: 'none' };
const MODES: Record<Exclude<CarrierMode, 'unreachable'>, FakeVonage['behaviour']> = { ok: 'accept', throttled: 'throttle', refusing: 'barred', hanging: 'hang' };

let fake: FakeVonage;
let closed = '';

/** The environment of a Vonage provider against the fake (signed DLRs, HMAC-SHA256). */
export function vonageEnv(apiBase: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...BASE_ENV,
    ...NONE,
    VERITY_SMS_PROVIDER: 'vonage',
    VERITY_VONAGE_API_KEY: VONAGE_API_KEY,
    VERITY_VONAGE_API_SECRET: VONAGE_API_SECRET,
    VERITY_VONAGE_SIGNATURE_SECRET: VONAGE_SIGNATURE_SECRET,
    VERITY_VONAGE_SIGNATURE_METHOD: 'sha256',
    VERITY_VONAGE_API_BASE: apiBase,
    ...extra,
  };
}

export const inject = (app: FastifyInstance, dlr: VonageDlrRequest): Promise<LightMyRequestResponse> =>
  app.inject({ method: dlr.method, url: dlr.path, headers: dlr.headers, ...(dlr.payload !== undefined ? { payload: dlr.payload } : {}) });

const now = (sent: SentMessage) => Math.floor(sent.deps.clock.now() / 1000);
const dlr = (sent: SentMessage, status: string, options: DlrOptions = {}) => fake.dlr(sent.receipt.providerMessageId, status, { timestamp: now(sent), ...options });
const http = async (response: Promise<LightMyRequestResponse>): Promise<ReceiptAnswer> => ({ via: 'http', response: await response });

const receipts: WebhookReceipts = {
  via: 'http',
  async report(app, sent, outcome) {
    // err-code 3: Absent Subscriber - Permanent.
    const errorCode = outcome === 'undelivered' ? '3' : undefined;
    const request = dlr(sent, outcome === 'delivered' ? 'delivered' : 'failed', { ...(errorCode ? { errCode: errorCode } : {}), as: outcome === 'delivered' ? 'POST-json' : 'GET' });
    assert.equal(new URL(request.url).pathname, `/messaging/${sent.deps.instance}/dlr`, 'the callback is the instance\'s DLR route');
    return { answer: await http(inject(app, request)), ...(errorCode ? { errorCode } : {}) };
  },
  async malformed(app, sent) {
    const formWith = (extra: Record<string, string | undefined>) => dlr(sent, 'delivered', { as: 'POST-form', extra });
    const notFlat = dlr(sent, 'delivered');
    return Promise.all([
      inject(app, formWith({ messageId: undefined })),
      inject(app, formWith({ status: undefined })),
      inject(app, formWith({ status: 'teleported' })),
      inject(app, formWith({ 'err-code': 'three' })),
      // A JSON body that is not name → string (a number, a nested object): not a DLR.
      app.inject({ method: 'POST', url: notFlat.path, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...notFlat.params, 'err-code': 0 }) }),
      app.inject({ method: 'POST', url: notFlat.path, headers: { 'content-type': 'application/json' }, payload: '["not", "an", "object"]' }),
      app.inject({ method: 'POST', url: notFlat.path, headers: { 'content-type': 'application/json' }, payload: '{"messageId": ' }),
    ].map(http));
  },
  forged: (app, sent) => inject(app, dlr(sent, 'delivered', { secret: 'another-signature-secret-0123456' })),
  stale: (app, sent) => inject(app, dlr(sent, 'delivered', { timestamp: now(sent) - 6 * 60 })),
};

export const vonageDelivery: DeliveryHarness = {
  failures: true,
  hangs: true,
  async setup() {
    fake = await startFakeVonage();
    closed = await closedPortBase();
  },
  teardown: () => fake.close(),
  reset: () => fake.reset(),
  async env(mode) {
    if (mode !== 'unreachable') fake.behaviour = MODES[mode];
    return vonageEnv(mode === 'unreachable' ? closed : fake.apiBase, mode === 'hanging' ? { VERITY_VONAGE_TIMEOUT_MS: '300' } : {});
  },
  async delivered(message, receipt) {
    const request = fake.received.at(-1);
    assert.equal(request?.auth, 'api_secret');
    assert.equal(request?.params['to'], message.to.replace(/^\+/, ''));
    assert.equal(request?.params['from'], '15005550006');
    assert.equal(request?.params['text'], message.body);
    assert.equal(request?.params['type'], 'text');
    assert.equal(request?.params['client-ref'], message.attemptId);
    assert.equal(request?.params['status-report-req'], '1');
    assert.equal(receipt.providerMessageId, request?.messageIds[0]);
    assert.deepEqual(receipt.price, { amount: VONAGE_PART_PRICE, currency: 'EUR' });
  },
  refused(mode, error) {
    if (mode === 'throttled') assert.match(error.message, /status 1 Throttled/);
    if (mode === 'refusing') assert.match(error.message, /status 7 Number Barred/);
  },
  receipts,
};
