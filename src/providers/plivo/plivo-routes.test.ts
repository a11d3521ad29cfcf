import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN, startFakePlivo, type FakePlivo, type PlivoCallback } from '../../../test/providers/fake-plivo.ts';
import { receiptRoutesApp } from '../../../test/providers/receipt-routes-app.ts';
import { createPlivoProvider } from './plivo-provider.ts';
import { plivoRoutes } from './plivo-routes.ts';

// Plivo's own receipts: a message sent through the fake, then its status callbacks, signed by the
// fake with X-Plivo-Signature-V3, posted to the route. Failure classification of sends is in the shared contract.

const PUBLIC_URL = 'https://verity.example.com';
const STATUS_URL = `${PUBLIC_URL}/messaging/plivo-us/status`;
let fake: FakePlivo;
before(async () => {
  fake = await startFakePlivo();
});
after(() => fake.close());

const { sink, reported, logLines, inject } = receiptRoutesApp((app, deps) => plivoRoutes(app, { ...deps, instance: 'plivo-us', authToken: PLIVO_AUTH_TOKEN, publicUrl: PUBLIC_URL }));
const post = (callback: PlivoCallback) => inject({ method: 'POST', url: callback.path, headers: callback.headers, payload: callback.body });
const provider = (powerpackUuid?: string) => createPlivoProvider({ authId: PLIVO_AUTH_ID, authToken: PLIVO_AUTH_TOKEN, apiBase: fake.apiBase, from: '+15005550006', powerpackUuid, statusUrl: STATUS_URL });
const message = (body = 'Your Acme code is 834921') => ({ channel: 'sms' as const, to: '+15551234567', body, locale: 'en', verificationSid: `VE${'0'.repeat(32)}`, attemptId: `VL${'1'.repeat(32)}` });

test('a send asks for POST status callbacks to the instance\'s URL; a long message answers one id per part', async () => {
  fake.reset();
  const receipt = await provider().send(message('x'.repeat(400)));
  const request = fake.received.at(-1);
  assert.deepEqual(request?.body, { src: '+15005550006', dst: '+15551234567', text: 'x'.repeat(400), type: 'sms', url: STATUS_URL, method: 'POST' });
  assert.equal(request?.uuids.length, 3);
  assert.deepEqual(receipt, { providerMessageId: request?.uuids[0], parts: 3, partIds: request?.uuids.slice(1) });
  const short = await provider('c8ab5b1c-1b0b-4c8e-9e4a-3f1f7f1f2a11').send(message());
  assert.equal(fake.received.at(-1)?.body['powerpack_uuid'], 'c8ab5b1c-1b0b-4c8e-9e4a-3f1f7f1f2a11');
  assert.equal(fake.received.at(-1)?.body['src'], undefined);
  assert.deepEqual(Object.keys(short), ['providerMessageId', 'parts']);
});

test('a refusal names Plivo\'s error but never echoes the message text', async () => {
  fake.reset();
  fake.behaviour = 'echo-body-400';
  await assert.rejects(provider().send(message('Your code is 834921')), (err: Error & { retryable?: boolean }) => {
    assert.match(err.message, /HTTP 400: text "\[redacted\]" contains blocked content/);
    assert.equal(err.retryable, false);
    return true;
  });
  fake.reset();
});

test('each part\'s callbacks reach the sink under its own MessageUUID, with the cost and the error', async () => {
  const receipt = await provider().send(message('y'.repeat(200)));
  const ids = [receipt.providerMessageId, ...(receipt.partIds ?? [])];
  sink.know('plivo-us', 'VL1', ids);
  assert.equal((await post(fake.callback(ids[0] as string, 'sent'))).statusCode, 200);
  assert.equal((await post(fake.callback(ids[0] as string, 'delivered'))).statusCode, 200);
  assert.equal((await post(fake.callback(ids[1] as string, 'undelivered', { errorCode: '30' }))).statusCode, 200);
  assert.deepEqual(reported(), [
    { provider: 'plivo-us', providerMessageId: ids[0], status: 'sent', price: { amount: '0.00650', currency: 'USD' } },
    { provider: 'plivo-us', providerMessageId: ids[0], status: 'delivered', price: { amount: '0.00650', currency: 'USD' } },
    { provider: 'plivo-us', providerMessageId: ids[1], status: 'undelivered', errorCode: '30', price: { amount: '0.00650', currency: 'USD' } },
  ]);
  // Plivo retries a callback it got no 2xx for: a repeat is answered 200 again.
  assert.equal((await post(fake.callback(ids[0] as string, 'delivered'))).statusCode, 200);
  // `rejected` is a failure; WhatsApp's `read` is taken and ignored.
  assert.equal((await post(fake.callback(ids[1] as string, 'rejected', { errorCode: '200' }))).statusCode, 200);
  assert.equal(reported().at(-1)?.status, 'failed');
  const before = reported().length;
  assert.equal((await post(fake.callback(ids[1] as string, 'read'))).statusCode, 200);
  assert.equal(reported().length, before);
});

test('a forged, tampered or unsigned callback is refused 403, logged once, and never reported', async () => {
  const receipt = await provider().send(message());
  sink.know('plivo-us', 'VL2', [receipt.providerMessageId]);
  const genuine = fake.callback(receipt.providerMessageId, 'delivered');
  const cases: PlivoCallback[] = [
    fake.callback(receipt.providerMessageId, 'delivered', { token: 'another-plivo-auth-token-0123' }),
    { ...genuine, body: genuine.body.replace('Status=delivered', 'Status=failed') },
    // Signed for another URL (another instance, or another Verity): the path is part of what is signed.
    { ...fake.callback(receipt.providerMessageId, 'delivered', { url: `${PUBLIC_URL}/messaging/plivo-eu/status` }), path: '/messaging/plivo-us/status' },
    { ...genuine, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { ...genuine, headers: { ...genuine.headers, 'x-plivo-signature-v3-nonce': '1' } },
  ];
  for (const callback of cases) {
    logLines.length = 0;
    const response = await post(callback);
    assert.equal(response.statusCode, 403, response.body);
    assert.equal((response.json() as { code: number }).code, 20003);
    assert.equal(logLines.filter((l) => l['level'] === 40).length, 1, 'one warning');
  }
  assert.deepEqual(reported(), []);
});

test('a signed callback without MessageUUID or Status is 400 and reported nowhere; an unknown message is 404 (Plivo retries it) and changes nothing', async () => {
  const missing = fake.callback('', 'delivered', { url: STATUS_URL });
  const response = await post(missing);
  assert.equal(response.statusCode, 400, response.body);
  assert.equal((response.json() as { code: number }).code, 20001);
  const unknown = await post(fake.callback('0a7d6a4e-2f21-11ef-9d4b-0242ac110002', 'delivered', { url: STATUS_URL }));
  assert.equal(unknown.statusCode, 404);
  assert.equal((unknown.json() as { code: number }).code, 20404);
  // The sink was asked and changed nothing (`unknown`).
  assert.deepEqual(sink.reports.map((r) => r.outcome), ['unknown']);
});
