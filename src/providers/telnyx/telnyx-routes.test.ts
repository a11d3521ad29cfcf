import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { startFakeTelnyx, TELNYX_API_KEY, type FakeTelnyx, type TelnyxWebhook } from '../../../test/providers/fake-telnyx.ts';
import { receiptRoutesApp } from '../../../test/providers/receipt-routes-app.ts';
import { createTelnyxProvider } from './telnyx-provider.ts';
import { telnyxRoutes } from './telnyx-routes.ts';

// Telnyx's own receipts: a message sent through the fake, then its webhooks, signed by the fake
// with its Ed25519 key, posted to the route. Failure classification of sends is in the shared contract.

const PUBLIC_URL = 'https://verity.example.com';
const WEBHOOK = `${PUBLIC_URL}/messaging/telnyx-eu/events`;
let fake: FakeTelnyx;
before(async () => {
  fake = await startFakeTelnyx();
});
after(() => fake.close());

const { sink, reported, clock, logLines, inject } = receiptRoutesApp((app, deps) =>
  telnyxRoutes(app, { ...deps, instance: 'telnyx-eu', publicKey: Buffer.from(fake.publicKey, 'base64') }));

const seconds = () => Math.floor(clock.now() / 1000);
const post = (webhook: TelnyxWebhook, url = '/messaging/telnyx-eu/events') => inject({ method: 'POST', url, headers: webhook.headers, payload: webhook.body });

async function sendOne(text = 'Your Acme code is 834921'): Promise<string> {
  const provider = createTelnyxProvider({ apiKey: TELNYX_API_KEY, apiBase: fake.apiBase, from: '+15005550006', webhookUrl: WEBHOOK });
  const receipt = await provider.send({ channel: 'sms', to: '+15551234567', body: text, locale: 'en', verificationSid: `VE${'0'.repeat(32)}`, attemptId: `VL${'1'.repeat(32)}` });
  sink.know('telnyx-eu', `VL${receipt.providerMessageId}`, [receipt.providerMessageId]);
  return receipt.providerMessageId;
}

test('a send names the instance\'s webhook URL, the sender and the recipient, and answers id, parts and cost', async () => {
  fake.reset();
  const provider = createTelnyxProvider({ apiKey: TELNYX_API_KEY, apiBase: fake.apiBase, from: 'Acme', messagingProfileId: '4001767e-ce0f-4cae-9d5f-0d5e636e7809', webhookUrl: WEBHOOK });
  const receipt = await provider.send({ channel: 'sms', to: '+15551234567', body: 'x'.repeat(200), locale: 'en', verificationSid: `VE${'0'.repeat(32)}`, attemptId: `VL${'1'.repeat(32)}` });
  assert.equal(provider.receipts, true);
  const request = fake.received.at(-1);
  assert.deepEqual(request?.body, {
    to: '+15551234567',
    text: 'x'.repeat(200),
    type: 'SMS',
    from: 'Acme',
    messaging_profile_id: '4001767e-ce0f-4cae-9d5f-0d5e636e7809',
    webhook_url: WEBHOOK,
    use_profile_webhooks: false,
  });
  assert.deepEqual(receipt, { providerMessageId: request?.id, parts: 2, price: { amount: '0.0080', currency: 'USD' } });
});

test('a refusal names Telnyx\'s error but never echoes the message text', async () => {
  fake.reset();
  fake.behaviour = 'echo-body-422';
  const provider = createTelnyxProvider({ apiKey: TELNYX_API_KEY, apiBase: fake.apiBase, from: '+15005550006', webhookUrl: WEBHOOK });
  await assert.rejects(provider.send({ channel: 'sms', to: '+15551234567', body: 'Your code is 834921', locale: 'en', verificationSid: `VE${'0'.repeat(32)}`, attemptId: `VL${'1'.repeat(32)}` }), (err: Error & { retryable?: boolean }) => {
    assert.match(err.message, /HTTP 422: Telnyx error 40002/);
    assert.doesNotMatch(err.message, /834921/);
    assert.equal(err.retryable, false);
    return true;
  });
  fake.reset();
});

test('message.sent then message.finalized delivered reach the sink with the cost and the time Telnyx gives', async () => {
  const id = await sendOne();
  assert.equal((await post(fake.webhook(id, 'sent', { timestampSeconds: seconds() }))).statusCode, 204);
  const delivered = await post(fake.webhook(id, 'delivered', { timestampSeconds: seconds() }));
  assert.equal(delivered.statusCode, 204, delivered.body);
  assert.deepEqual(reported(), [
    { provider: 'telnyx-eu', providerMessageId: id, status: 'sent', price: { amount: '0.0040', currency: 'USD' }, at: clock.now() },
    { provider: 'telnyx-eu', providerMessageId: id, status: 'delivered', price: { amount: '0.0040', currency: 'USD' }, at: clock.now() },
  ]);
  // Telnyx retries a webhook it got no 2xx for: a repeat is answered 204 again.
  assert.equal((await post(fake.webhook(id, 'delivered', { timestampSeconds: seconds() }))).statusCode, 204);
});

test('the failure statuses map to undelivered, failed and (no receipt) sent, with Telnyx\'s error', async () => {
  const id = await sendOne();
  const errors = [{ code: '40008', title: 'Undeliverable' }];
  for (const status of ['delivery_failed', 'sending_failed', 'delivery_unconfirmed']) {
    assert.equal((await post(fake.webhook(id, status, { timestampSeconds: seconds(), errors }))).statusCode, 204);
  }
  assert.deepEqual(reported().map((r) => [r.status, r.errorCode, r.errorMessage]), [
    ['undelivered', '40008', 'Undeliverable'],
    ['failed', '40008', 'Undeliverable'],
    ['sent', '40008', 'Undeliverable'],
  ]);
});

test('a forged, re-signed-elsewhere, tampered or stale webhook is refused 403, logged once, and never reported', async () => {
  const id = await sendOne();
  const forged = fake.webhook(id, 'delivered', { timestampSeconds: seconds(), key: generateKeyPairSync('ed25519').privateKey });
  const genuine = fake.webhook(id, 'delivered', { timestampSeconds: seconds() });
  const tampered = { ...genuine, body: genuine.body.replace('"delivered"', '"delivery_failed"') };
  const stale = fake.webhook(id, 'delivered', { timestampSeconds: seconds() - 301 });
  const unsigned = { ...genuine, headers: { 'content-type': 'application/json' } };
  for (const webhook of [forged, tampered, stale, unsigned]) {
    logLines.length = 0;
    const response = await post(webhook);
    assert.equal(response.statusCode, 403, response.body);
    assert.equal((response.json() as { code: number }).code, 20003);
    assert.equal(logLines.filter((l) => l['level'] === 40).length, 1, 'one warning');
  }
  assert.deepEqual(reported(), []);
});

test('a signed but malformed body is 400 with nothing reported; other events are taken and ignored', async () => {
  const id = await sendOne();
  const valid = fake.webhook(id, 'delivered', { timestampSeconds: seconds() });
  const resign = (body: string) => {
    // The fake signs whatever it is given by building a webhook and swapping the body in before signing.
    const webhook = fake.webhook(id, 'delivered', { timestampSeconds: seconds() });
    return { body, headers: { ...webhook.headers, 'telnyx-signature-ed25519': fake.sign(`${webhook.headers['telnyx-timestamp']}|${body}`) } };
  };
  for (const body of ['not json', '{"data":{}}', JSON.stringify({ data: { event_type: 'message.finalized', payload: { to: [] } } })]) {
    const response = await post(resign(body));
    assert.equal(response.statusCode, 400, body);
    assert.equal((response.json() as { code: number }).code, 20001);
  }
  assert.equal((await post(resign(JSON.stringify({ data: { event_type: 'message.received', payload: { id: 'x', to: [{ status: 'webhook_delivered' }] } } })))).statusCode, 204);
  assert.deepEqual(reported(), []);
  assert.equal((await post(valid)).statusCode, 204);
  assert.equal(reported().length, 1);
});

test('a status of a message the sink does not know is answered 404 (Telnyx retries it) and nothing changes', async () => {
  const response = await post(fake.webhook('7ee4241c-f127-47e5-9c34-3aac291f8058', 'delivered', { timestampSeconds: seconds() }));
  assert.equal(response.statusCode, 404);
  assert.equal((response.json() as { code: number }).code, 20404);
  // The sink was asked and changed nothing (`unknown`).
  assert.deepEqual(sink.reports.map((r) => r.outcome), ['unknown']);
});
