/**
 * The Kannel plug-in's harness for the shared provider contract (providers-contract.test.ts): a
 * local stand-in for smsbox's sendsms (fake-kannel.ts), and Kannel's dlr-url calls made the way
 * smsbox makes them, from the dlr-url Verity gave with the message. The real bearerbox and smsbox
 * run in test/interop/kannel.test.ts.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { closedPortBase } from './fake-twilio.ts';
import { KANNEL_PASSWORD, KANNEL_USERNAME, startFakeKannel, type FakeKannel } from './fake-kannel.ts';
import type { CarrierMode, DeliveryHarness, ReceiptAnswer, SentMessage } from './provider-contract.ts';

const PUBLIC_URL = 'https://verity.example.com';
const MODES: Record<Exclude<CarrierMode, 'unreachable'>, FakeKannel['behaviour']> = { ok: 'accept', throttled: 'temporary', refusing: 'sending-failed', hanging: 'hang' };

let fake: FakeKannel;

/** The dlr-url Verity gave Kannel with this attempt's sendsms. */
function dlrUrlOf(sent: SentMessage): string {
  const request = fake.received.find((r) => new URL(r.query.get('dlr-url') ?? 'x:').searchParams.get('attempt') === sent.message.attemptId);
  const url = request?.query.get('dlr-url');
  assert.ok(url, `Kannel was given a dlr-url for ${sent.message.attemptId}`);
  return url;
}

/** smsbox calling a dlr-url: its escapes replaced by the URL-encoded values (gw/urltrans.c), a GET. */
function kannelCalls(app: FastifyInstance, dlrUrl: string, values: { d?: string; A?: string; T?: string; i?: string }, edit?: (url: URL) => void): Promise<LightMyRequestResponse> {
  const filled = dlrUrl.replace(/%([dATi])/g, (_, escape: 'd' | 'A' | 'T' | 'i') => encodeURIComponent(values[escape] ?? ''));
  const url = new URL(filled);
  edit?.(url);
  return app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
}

const http = (response: LightMyRequestResponse): ReceiptAnswer => ({ via: 'http', response });

export const kannelDelivery: DeliveryHarness = {
  failures: true,
  hangs: true,
  async setup() {
    fake = await startFakeKannel();
  },
  teardown: () => fake.close(),
  reset: () => fake.reset(),
  async env(mode) {
    if (mode !== 'unreachable') fake.behaviour = MODES[mode];
    return {
      NODE_ENV: 'test',
      VERITY_PUBLIC_URL: PUBLIC_URL,
      VERITY_SMS_FROM: '+15005550006',
      VERITY_VOICE_PROVIDER: 'none',
      VERITY_EMAIL_PROVIDER: 'none',
      VERITY_SMS_PROVIDER: 'kannel',
      VERITY_KANNEL_SENDSMS_URL: mode === 'unreachable' ? `${await closedPortBase()}/cgi-bin/sendsms` : fake.sendsmsUrl,
      VERITY_KANNEL_USERNAME: KANNEL_USERNAME,
      VERITY_KANNEL_PASSWORD: KANNEL_PASSWORD,
      ...(mode === 'hanging' ? { VERITY_KANNEL_TIMEOUT_MS: '300' } : {}),
    };
  },
  async delivered(message, receipt, deps) {
    const q = fake.received.at(-1)?.query;
    assert.equal(q?.get('to'), message.to);
    assert.equal(q?.get('from'), '+15005550006');
    assert.equal(q?.get('text'), message.body);
    assert.equal(q?.get('charset'), 'UTF-8');
    assert.equal(q?.get('coding'), '0');
    assert.equal(q?.get('dlr-mask'), '31');
    const dlr = new URL(q?.get('dlr-url') ?? 'x:');
    assert.equal(`${dlr.origin}${dlr.pathname}`, `${PUBLIC_URL}/messaging/${deps.instance}/dlr`);
    assert.equal(dlr.searchParams.get('attempt'), message.attemptId);
    assert.match(dlr.searchParams.get('token') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(receipt.providerMessageId, message.attemptId, 'Kannel answers no id: the attempt id names the message');
    assert.equal(receipt.status, 'queued');
  },
  refused(mode, error) {
    if (mode === 'throttled') assert.match(error.message, /503: Temporal failure, try again later/);
    if (mode === 'refusing') assert.match(error.message, /500: Sending failed/);
  },
  receipts: {
    via: 'http',
    async report(app, sent, outcome) {
      const stat = outcome === 'delivered' ? 'stat:DELIVRD err:000' : 'stat:UNDELIV err:011';
      const response = await kannelCalls(app, dlrUrlOf(sent), {
        d: outcome === 'delivered' ? '1' : '2',
        A: `id:p000001 sub:001 dlvrd:001 submit date:2612061240 done date:2612061241 ${stat} text:Your Acme code is`,
        T: '1796558460',
        i: 'smsc1',
      });
      return { answer: http(response), ...(outcome === 'undelivered' ? { errorCode: '011' } : {}) };
    },
    async malformed(app, sent) {
      const url = dlrUrlOf(sent);
      return [
        http(await kannelCalls(app, url, { d: '' })),
        http(await kannelCalls(app, url, { d: 'delivered' })),
        http(await kannelCalls(app, url, { d: '32' })),
        http(await kannelCalls(app, url, { d: '1', T: 'yesterday' })),
        http(await kannelCalls(app, url, { d: '1' }, (u) => u.searchParams.delete('attempt'))),
        http(await kannelCalls(app, url, { d: '1' }, (u) => u.searchParams.delete('token'))),
      ];
    },
    async forged(app, sent) {
      // A dlr-url with another attempt's id: the token is not that attempt's.
      return kannelCalls(app, dlrUrlOf(sent), { d: '1', A: 'stat:DELIVRD err:000' }, (u) => u.searchParams.set('attempt', `${sent.message.attemptId.slice(0, -1)}${sent.message.attemptId.endsWith('f') ? 'e' : 'f'}`));
    },
  },
};
