import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN, signedWebhook, statusNotification } from '../../../test/providers/fake-whatsapp.ts';
import { receiptRoutesApp } from '../../../test/providers/receipt-routes-app.ts';
import { whatsAppRoutes } from './whatsapp-routes.ts';
import { whatsAppSignature } from './whatsapp-signature.ts';

// Meta's webhook on its own: the handshake, the signature over the raw body, and how statuses map.
// The same receipts through a provider that sent the message are in the shared contract.

const URL_PATH = '/messaging/whatsapp-eu/webhook';
const { sink, reported, logLines, inject } = receiptRoutesApp((app, deps) =>
  whatsAppRoutes(app, { ...deps, instance: 'whatsapp-eu', appSecret: WHATSAPP_APP_SECRET, verifyToken: WHATSAPP_VERIFY_TOKEN }));

const post = (body: Record<string, unknown> | string, headers?: Record<string, string>) => {
  const signed = signedWebhook(body);
  return inject({ method: 'POST', url: URL_PATH, headers: headers ?? signed.headers, payload: signed.payload });
};

test('sent, delivered, read and failed statuses reach the sink by message id; read counts as delivered', async () => {
  sink.know('whatsapp-eu', 'DA1', ['wamid.one']);
  for (const status of ['sent', 'delivered', 'read'] as const) assert.equal((await post(statusNotification('wamid.one', status, { timestamp: 1_767_225_600 }))).statusCode, 200);
  assert.deepEqual(reported(), [
    { provider: 'whatsapp-eu', providerMessageId: 'wamid.one', status: 'sent', at: 1_767_225_600_000 },
    { provider: 'whatsapp-eu', providerMessageId: 'wamid.one', status: 'delivered', at: 1_767_225_600_000 },
    { provider: 'whatsapp-eu', providerMessageId: 'wamid.one', status: 'delivered', at: 1_767_225_600_000 },
  ]);
  sink.know('whatsapp-eu', 'DA2', ['wamid.two']);
  assert.equal((await post(statusNotification('wamid.two', 'failed', { errorCode: 131047 }))).statusCode, 200);
  assert.deepEqual(reported().at(-1), { provider: 'whatsapp-eu', providerMessageId: 'wamid.two', status: 'undelivered', at: 1_767_225_600_000, errorCode: '131047', errorMessage: 'Message undeliverable' });
});

test('every status of a batched notification is reported; a foreign id and an inbound message are taken with 200', async () => {
  const one = statusNotification('wamid.a', 'delivered') as { entry: Array<{ changes: Array<{ value: Record<string, unknown> }> }> };
  const two = statusNotification('wamid.b', 'sent') as typeof one;
  const inbound = { field: 'messages', value: { messaging_product: 'whatsapp', messages: [{ from: '15551234567', id: 'wamid.in', type: 'text', text: { body: 'hi' } }] } };
  one.entry[0]!.changes.push(two.entry[0]!.changes[0]!, inbound as never);
  const response = await post(one);
  assert.equal(response.statusCode, 200, response.body);
  assert.deepEqual(reported().map((r) => [r.providerMessageId, r.status]), [['wamid.a', 'delivered'], ['wamid.b', 'sent']]);
  assert.deepEqual(sink.reports.map((r) => r.outcome), ['unknown', 'unknown']);
});

test('a missing, wrong or stale signature is refused with 403 / 20003, logged, and nothing is reported', async () => {
  const body = JSON.stringify(statusNotification('wamid.one', 'delivered'));
  const cases: Array<[string, Record<string, string>, string]> = [
    ['missing', { 'content-type': 'application/json' }, body],
    ['wrong secret', { 'content-type': 'application/json', 'x-hub-signature-256': whatsAppSignature('another-app-secret-0123456789', body) }, body],
    ['not sha256', { 'content-type': 'application/json', 'x-hub-signature-256': 'sha1=2fd4e1c67a2d28fced849ee1bb76e7391b93eb12' }, body],
    // Signed, then changed on the way: the signature is of another body.
    ['stale body', { 'content-type': 'application/json', 'x-hub-signature-256': whatsAppSignature(WHATSAPP_APP_SECRET, body) }, body.replace('"delivered"', '"failed"')],
  ];
  for (const [what, headers, payload] of cases) {
    const response = await inject({ method: 'POST', url: URL_PATH, headers, payload });
    assert.equal(response.statusCode, 403, what);
    assert.deepEqual({ code: response.json().code, status: response.json().status }, { code: 20003, status: 403 }, what);
  }
  assert.deepEqual(reported(), []);
  assert.equal(logLines.filter((l) => l['level'] === 40).length, cases.length, 'one warning each');
  assert.ok(!JSON.stringify(logLines).includes('wamid.one'), 'the body is not logged');
});

test('a signed body that is not a notification is refused with 400 / 20001 and nothing is reported', async () => {
  for (const body of ['{"entry":', '[]', { object: 'whatsapp_business_account' }, { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { statuses: [{ id: 'wamid.x', status: 'delivered' }] } }] }] }]) {
    const response = await post(body);
    assert.equal(response.statusCode, 400, JSON.stringify(body));
    assert.equal(response.json().code, 20001);
  }
  assert.deepEqual(reported(), []);
});

test('the handshake echoes hub.challenge only for subscribe with the verify token', async () => {
  const handshake = (query: Record<string, string>) => inject({ method: 'GET', url: `${URL_PATH}?${new URLSearchParams(query)}` });
  const ok = await handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': WHATSAPP_VERIFY_TOKEN, 'hub.challenge': '1158201444' });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.body, '1158201444');
  assert.match(String(ok.headers['content-type']), /^text\/plain/);
  const refusedQueries: Array<Record<string, string>> = [
    { 'hub.mode': 'subscribe', 'hub.verify_token': `${WHATSAPP_VERIFY_TOKEN}x`, 'hub.challenge': '1' },
    { 'hub.mode': 'unsubscribe', 'hub.verify_token': WHATSAPP_VERIFY_TOKEN, 'hub.challenge': '1' },
    { 'hub.challenge': '1' },
  ];
  for (const query of refusedQueries) {
    const refused = await handshake(query);
    assert.equal(refused.statusCode, 403, JSON.stringify(query));
    assert.equal(refused.json().code, 20003);
  }
});
