import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidPlivoV3Signature, plivoV3Signature, plivoV3SignedString } from './plivo-signature.ts';

// Vectors confirmed with Plivo's own validator (npm plivo@4.79.0, dist/utils/v3Security.js
// `validateV3Signature('POST', url, nonce, token, signature, params)` answered true for each;
// the SDK is not a dependency). Plivo publishes no V3 example, only the V2 one.
const TOKEN = 'MAZDQ1ZDRiYzdlOTA2ZjJhNjc5';
const NONCE = '12110773891447012435';
const URL = 'https://verity.example.com/messaging/plivo/status';
const PARAMS = {
  MessageUUID: 'db3ce55a-7f1d-11e1-8ea7-1231380bc196',
  Status: 'delivered',
  From: '14155551234',
  To: '15551234567',
  TotalAmount: '0.00650',
  TotalRate: '0.00650',
  Units: '1',
  ErrorCode: '',
  MCC: '310',
  MNC: '260',
};
const VECTORS = [
  { url: URL, params: PARAMS, signature: 'F3AjVdiw6lOMaNl8dVQ65vVWYDnAb+MPkvoBPAnPN5w=' },
  // A port and an unsorted query: the query is sorted as k=v&…, then "." and the body parameters.
  { url: 'https://verity.example.com:8443/messaging/plivo/status?b=2&a=1', params: PARAMS, signature: 'rgrKlPplbtlVOj1d357M8giIOtpWYEDGo0lxk4FZatY=' },
  // No parameters at all: the URL, "." and the nonce.
  { url: URL, params: {}, signature: 'SgnW3xkcWB47kQh5b0ZvQFfqUNCg1i3p4YgqCgyDtN4=' },
];

test('the signed string follows Plivo\'s SDKs: URL, ?, sorted name+value pairs, ., nonce', () => {
  assert.equal(
    plivoV3SignedString(URL, PARAMS, NONCE),
    `${URL}?ErrorCodeFrom14155551234MCC310MNC260MessageUUIDdb3ce55a-7f1d-11e1-8ea7-1231380bc196StatusdeliveredTo15551234567TotalAmount0.00650TotalRate0.00650Units1.${NONCE}`,
  );
});

test('matches the vectors Plivo\'s validator accepts', () => {
  for (const { url, params, signature } of VECTORS) {
    assert.equal(plivoV3Signature(TOKEN, url, params, NONCE), signature, url);
    assert.equal(isValidPlivoV3Signature(TOKEN, signature, NONCE, url, params), true, url);
  }
});

test('any of several comma-separated signatures may match', () => {
  const [first] = VECTORS;
  assert.equal(isValidPlivoV3Signature(TOKEN, `AAAA,${first?.signature}`, NONCE, URL, PARAMS), true);
  assert.equal(isValidPlivoV3Signature(TOKEN, `${first?.signature}, AAAA`, NONCE, URL, PARAMS), true);
  assert.equal(isValidPlivoV3Signature(TOKEN, 'AAAA,BBBB', NONCE, URL, PARAMS), false);
});

test('a changed parameter, nonce, URL or token fails; a missing header or nonce fails', () => {
  const signature = VECTORS[0]?.signature as string;
  assert.equal(isValidPlivoV3Signature(TOKEN, signature, NONCE, URL, { ...PARAMS, Status: 'undelivered' }), false);
  assert.equal(isValidPlivoV3Signature(TOKEN, signature, NONCE, URL, { ...PARAMS, Extra: '' }), false);
  assert.equal(isValidPlivoV3Signature(TOKEN, signature, `${NONCE}1`, URL, PARAMS), false);
  assert.equal(isValidPlivoV3Signature(TOKEN, signature, NONCE, URL.replace('https:', 'http:'), PARAMS), false);
  assert.equal(isValidPlivoV3Signature(`${TOKEN}x`, signature, NONCE, URL, PARAMS), false);
  assert.equal(isValidPlivoV3Signature(TOKEN, undefined, NONCE, URL, PARAMS), false);
  assert.equal(isValidPlivoV3Signature(TOKEN, signature, undefined, URL, PARAMS), false);
  assert.equal(isValidPlivoV3Signature('', signature, NONCE, URL, PARAMS), false);
});

test('a repeated parameter is signed once per value, values sorted', () => {
  assert.equal(plivoV3SignedString(URL, { B: ['2', '1'], A: 'x' }, 'n'), `${URL}?AxB1B2.n`);
});
