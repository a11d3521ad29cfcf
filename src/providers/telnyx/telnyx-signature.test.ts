import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { test } from 'node:test';
import { checkTelnyxSignature, telnyxPublicKey } from './telnyx-signature.ts';

// RFC 8032 §7.1 TEST 2: a public key and the signature of the one-byte message 0x72. It checks
// that a raw 32-byte key (as the Telnyx portal gives it) is wrapped into a key Node verifies with.
const RFC8032_PUBLIC = Buffer.from('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', 'hex');
const RFC8032_MESSAGE = Buffer.from('72', 'hex');
const RFC8032_SIGNATURE = Buffer.from('92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00', 'hex');

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const T = String(NOW / 1000);
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
const key = telnyxPublicKey(raw);
const body = Buffer.from('{"data":{"event_type":"message.finalized","payload":{"id":"40385f64-5717-4562-b3fc-2c963f66afa6"}}}');
const signed = (timestamp: string, bytes: Buffer, signer = privateKey) => sign(null, Buffer.concat([Buffer.from(`${timestamp}|`), bytes]), signer).toString('base64');

test('the raw 32-byte key is wrapped as SPKI correctly: the RFC 8032 test vector verifies', () => {
  assert.equal(verify(null, RFC8032_MESSAGE, telnyxPublicKey(RFC8032_PUBLIC), RFC8032_SIGNATURE), true);
  assert.throws(() => telnyxPublicKey(RFC8032_PUBLIC.subarray(1)), /32 bytes/);
});

test('a signature over `${timestamp}|${body}` with the account key is valid', () => {
  assert.equal(checkTelnyxSignature(key, signed(T, body), T, body, NOW), 'valid');
});

test('a changed body, timestamp or key fails', () => {
  assert.equal(checkTelnyxSignature(key, signed(T, body), T, Buffer.concat([body, Buffer.from(' ')]), NOW), 'invalid');
  assert.equal(checkTelnyxSignature(key, signed(T, body), String(Number(T) + 1), body, NOW + 1000), 'invalid');
  const other = generateKeyPairSync('ed25519').privateKey;
  assert.equal(checkTelnyxSignature(key, signed(T, body, other), T, body, NOW), 'invalid');
  // The signed string joins timestamp and body with "|": a signature over the body alone is not one.
  assert.equal(checkTelnyxSignature(key, sign(null, body, privateKey).toString('base64'), T, body, NOW), 'invalid');
});

test('a timestamp over 5 minutes off either way is stale, even with a valid signature', () => {
  const old = String(NOW / 1000 - 301);
  const ahead = String(NOW / 1000 + 301);
  assert.equal(checkTelnyxSignature(key, signed(old, body), old, body, NOW), 'stale');
  assert.equal(checkTelnyxSignature(key, signed(ahead, body), ahead, body, NOW), 'stale');
  const edge = String(NOW / 1000 - 300);
  assert.equal(checkTelnyxSignature(key, signed(edge, body), edge, body, NOW), 'valid');
});

test('missing or malformed headers fail without throwing', () => {
  assert.equal(checkTelnyxSignature(key, undefined, T, body, NOW), 'missing');
  assert.equal(checkTelnyxSignature(key, signed(T, body), undefined, body, NOW), 'missing');
  assert.equal(checkTelnyxSignature(key, 'not base64 at all', T, body, NOW), 'invalid');
  assert.equal(checkTelnyxSignature(key, signed(T, body).slice(0, 40), T, body, NOW), 'invalid');
  assert.equal(checkTelnyxSignature(key, signed(T, body), `${T}.5`, body, NOW), 'invalid');
});
