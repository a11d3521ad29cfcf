import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { test } from 'node:test';
import twilio from 'twilio';
import { isValidTwilioSignature, twilioSignature, urlVariants, type TwilioParams } from './twilio-signature.ts';

const TOKEN = '12345';

// The example from Twilio's "Webhooks security" page, as used by twilio-node's own tests.
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const DOC_PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
const DOC_SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

test('matches the signature of Twilio\'s documentation example', () => {
  assert.equal(twilioSignature(TOKEN, DOC_URL, DOC_PARAMS), DOC_SIGNATURE);
  assert.equal(isValidTwilioSignature(TOKEN, DOC_SIGNATURE, DOC_URL, DOC_PARAMS), true);
});

test('a tampered parameter, URL or token fails', () => {
  assert.equal(isValidTwilioSignature(TOKEN, DOC_SIGNATURE, DOC_URL, { ...DOC_PARAMS, Digits: '1235' }), false);
  assert.equal(isValidTwilioSignature(TOKEN, DOC_SIGNATURE, DOC_URL, { ...DOC_PARAMS, Extra: '' }), false);
  const withoutDigits: Record<string, string> = { ...DOC_PARAMS };
  delete withoutDigits['Digits'];
  assert.equal(isValidTwilioSignature(TOKEN, DOC_SIGNATURE, DOC_URL, withoutDigits), false);
  assert.equal(isValidTwilioSignature(TOKEN, DOC_SIGNATURE, DOC_URL.replace('foo=1', 'foo=2'), DOC_PARAMS), false);
  assert.equal(isValidTwilioSignature(TOKEN, DOC_SIGNATURE, 'http://mycompany.com/myapp.php?foo=1&bar=2', DOC_PARAMS), false);
  assert.equal(isValidTwilioSignature('12346', DOC_SIGNATURE, DOC_URL, DOC_PARAMS), false);
});

test('a missing, empty or malformed header fails', () => {
  assert.equal(isValidTwilioSignature(TOKEN, undefined, DOC_URL, DOC_PARAMS), false);
  assert.equal(isValidTwilioSignature(TOKEN, '', DOC_URL, DOC_PARAMS), false);
  assert.equal(isValidTwilioSignature(TOKEN, DOC_SIGNATURE.slice(0, -1), DOC_URL, DOC_PARAMS), false);
  assert.equal(isValidTwilioSignature(TOKEN, `${DOC_SIGNATURE} `, DOC_URL, DOC_PARAMS), false);
  assert.equal(isValidTwilioSignature('', twilioSignature('', DOC_URL, DOC_PARAMS), DOC_URL, DOC_PARAMS), false, 'an empty token never validates');
});

test('the URL is accepted with and without its default port', () => {
  const https = 'https://verity.example.com/voice/twilio/calls/CL1/answer';
  const httpsPort = 'https://verity.example.com:443/voice/twilio/calls/CL1/answer';
  for (const [signed, received] of [[https, httpsPort], [httpsPort, https], ['http://h.example/x', 'http://h.example:80/x'], ['http://h.example:80/x', 'http://h.example/x']]) {
    const signature = twilioSignature(TOKEN, signed!, DOC_PARAMS);
    assert.equal(isValidTwilioSignature(TOKEN, signature, received!, DOC_PARAMS), true, `${signed} received as ${received}`);
    assert.equal(twilio.validateRequest(TOKEN, signature, received!, DOC_PARAMS), true);
  }
  // The other scheme's default port is not a default port.
  const signature = twilioSignature(TOKEN, 'https://h.example:80/x', DOC_PARAMS);
  assert.equal(isValidTwilioSignature(TOKEN, signature, 'https://h.example/x', DOC_PARAMS), false);
});

test('a non-default port is always part of the signed URL (stricter than twilio-node)', () => {
  const signature = twilioSignature(TOKEN, 'https://h.example/x', DOC_PARAMS);
  assert.equal(isValidTwilioSignature(TOKEN, signature, 'https://h.example:8443/x', DOC_PARAMS), false);
  // twilio-node drops any port when it retries, so it accepts this one.
  assert.equal(twilio.validateRequest(TOKEN, signature, 'https://h.example:8443/x', DOC_PARAMS), true);
});

test('urlVariants handles user info and IPv6 literals', () => {
  assert.deepEqual(urlVariants('https://u:p@[::1]/a?b=:443'), ['https://u:p@[::1]/a?b=:443', 'https://u:p@[::1]:443/a?b=:443']);
  assert.deepEqual(urlVariants('http://[::1]:80/a'), ['http://[::1]:80/a', 'http://[::1]/a']);
  assert.deepEqual(urlVariants('not a url'), ['not a url']);
});

test('repeated parameters: each distinct value, sorted', () => {
  const params = { StatusCallbackEvent: ['ringing', 'initiated', 'ringing'], A: 'x' };
  assert.equal(twilioSignature(TOKEN, DOC_URL, params), twilio.getExpectedTwilioSignature(TOKEN, DOC_URL, params));
  assert.equal(
    twilioSignature(TOKEN, DOC_URL, params),
    twilioSignature(TOKEN, DOC_URL, { A: 'x', StatusCallbackEvent: ['initiated', 'ringing'] }),
  );
});

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~';
const VALUE_CHARS = `${ALPHABET} +#*&=?/%:é中😀'"<>`;
const pick = (chars: string, n: number): string => Array.from({ length: n }, () => [...chars][randomInt([...chars].length)]).join('');

function randomUrl(): string {
  const scheme = randomInt(2) === 0 ? 'https' : 'http';
  const port = ['', `:${scheme === 'https' ? 443 : 80}`, `:${randomInt(1024, 65535)}`][randomInt(3)];
  const path = Array.from({ length: randomInt(0, 4) }, () => pick(ALPHABET, randomInt(1, 10))).join('/');
  const query = randomInt(2) === 0 ? '' : `?${pick(ALPHABET, randomInt(1, 6))}=${pick(ALPHABET, randomInt(0, 6))}&b=${randomInt(100)}`;
  return `${scheme}://${pick('abcdefghijklmnopqrstuvwxyz', randomInt(1, 10))}.example${port}/${path}${query}`;
}

function randomParams(): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (let i = randomInt(0, 8); i > 0; i--) {
    const name = pick(ALPHABET, randomInt(1, 12));
    params[name] = randomInt(5) === 0
      ? Array.from({ length: randomInt(1, 4) }, () => pick(VALUE_CHARS, randomInt(0, 5)))
      : pick(VALUE_CHARS, randomInt(0, 20));
  }
  return params;
}

test('agrees with the official twilio package on 500 random requests', () => {
  for (let i = 0; i < 500; i++) {
    const token = randomBytes(16).toString('hex');
    const url = randomUrl();
    const params = randomParams();
    const expected = twilio.getExpectedTwilioSignature(token, url, params);
    assert.equal(twilioSignature(token, url, params as TwilioParams), expected, `signature of ${url}`);

    // The signature Twilio made, received on each form of the URL Verity may reconstruct.
    for (const received of urlVariants(url)) {
      assert.equal(isValidTwilioSignature(token, expected, received, params), true, `${url} as ${received}`);
      assert.equal(twilio.validateRequest(token, expected, received, params), true);
    }

    // Forgeries: a changed value, an added parameter, a wrong token, a signature for another URL.
    const names = Object.keys(params);
    const tampered: Record<string, string | string[]> = { ...params };
    if (names.length > 0) tampered[names[randomInt(names.length)]!] = `${pick(ALPHABET, 3)}!`;
    else tampered['Digits'] = '1';
    const forgeries: [string, string, Record<string, string | string[]>][] = [
      [token, url, tampered],
      [token, url, { ...params, Injected: 'x' }],
      [randomBytes(16).toString('hex'), url, params],
    ];
    for (const [t, u, p] of forgeries) {
      assert.equal(isValidTwilioSignature(t, expected, u, p), false, `forgery accepted for ${u}`);
      assert.equal(twilio.validateRequest(t, expected, u, p), false);
    }
    const otherUrl = randomUrl();
    const ours = isValidTwilioSignature(token, expected, otherUrl, params);
    const theirs = twilio.validateRequest(token, expected, otherUrl, params);
    if (!(/:\d+\//.test(otherUrl) && theirs && !ours)) assert.equal(ours, theirs, `${url} vs ${otherUrl}`);
  }
});
