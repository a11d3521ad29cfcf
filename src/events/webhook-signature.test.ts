import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.ts';

const secret = 'whsec-test-secret';
const body = '{"id":"EV1","type":"verification.approved"}';
const t = 1_767_225_600;

test('signature round trip', () => {
  const header = signWebhook(secret, t, body);
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  assert.equal(header, `t=${t},v1=${expected}`);
  assert.equal(verifyWebhookSignature(secret, header, body, { nowSeconds: t }), true);
  assert.equal(verifyWebhookSignature(secret, header, body, { nowSeconds: t + 299 }), true);
});

test('tampered body, wrong secret and stale or future timestamps are rejected', () => {
  const header = signWebhook(secret, t, body);
  assert.equal(verifyWebhookSignature(secret, header, body.replace('approved', 'canceled'), { nowSeconds: t }), false);
  assert.equal(verifyWebhookSignature('another-secret', header, body, { nowSeconds: t }), false);
  assert.equal(verifyWebhookSignature(secret, header, body, { nowSeconds: t + 301 }), false);
  assert.equal(verifyWebhookSignature(secret, header, body, { nowSeconds: t - 301 }), false);
  assert.equal(verifyWebhookSignature(secret, header, body, { nowSeconds: t + 60, toleranceSeconds: 30 }), false);
  // Re-signing the body under a new timestamp without the secret is impossible: swapping t breaks it.
  assert.equal(verifyWebhookSignature(secret, header.replace(`t=${t}`, `t=${t + 100}`), body, { nowSeconds: t + 100 }), false);
});

test('any one of several v1 signatures is accepted', () => {
  const good = signWebhook(secret, t, body).split(',v1=')[1];
  const bad = signWebhook('old-secret', t, body).split(',v1=')[1];
  assert.equal(verifyWebhookSignature(secret, `t=${t},v1=${bad},v1=${good}`, body, { nowSeconds: t }), true);
  assert.equal(verifyWebhookSignature(secret, `t=${t},v1=${bad}`, body, { nowSeconds: t }), false);
});

test('malformed headers are rejected', () => {
  const sig = signWebhook(secret, t, body).split(',v1=')[1] ?? '';
  for (const header of [undefined, '', 'garbage', `v1=${sig}`, `t=${t}`, `t=abc,v1=${sig}`, `t=${t},v1=${sig.slice(2)}`, `t=${t},t=${t},v1=${sig}`, `t=${t},v0=${sig}`]) {
    assert.equal(verifyWebhookSignature(secret, header, body, { nowSeconds: t }), false, String(header));
  }
});
