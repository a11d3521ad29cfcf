import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWhatsAppSignature, isVerifyToken, whatsAppSignature } from './whatsapp-signature.ts';

// RFC 4231 §4.3 (HMAC-SHA-256 test case 2): Meta's X-Hub-Signature-256 is this HMAC, hex, after `sha256=`.
const RFC_4231_CASE_2 = { key: 'Jefe', data: 'what do ya want for nothing?', mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' };

describe('X-Hub-Signature-256', () => {
  const body = Buffer.from(RFC_4231_CASE_2.data);

  it('is sha256= and the hex HMAC-SHA256 of the raw body keyed with the app secret', () => {
    assert.equal(whatsAppSignature(RFC_4231_CASE_2.key, body), `sha256=${RFC_4231_CASE_2.mac}`);
    assert.equal(checkWhatsAppSignature(RFC_4231_CASE_2.key, `sha256=${RFC_4231_CASE_2.mac}`, body), 'valid');
    assert.equal(checkWhatsAppSignature(RFC_4231_CASE_2.key, `sha256=${RFC_4231_CASE_2.mac.toUpperCase()}`, body), 'valid', 'hex in either case');
  });

  it('refuses a missing, malformed, wrongly keyed or stale one (a body changed after signing)', () => {
    assert.equal(checkWhatsAppSignature('Jefe', undefined, body), 'missing');
    assert.equal(checkWhatsAppSignature('Jefe', '', body), 'missing');
    assert.equal(checkWhatsAppSignature('Jefe', RFC_4231_CASE_2.mac, body), 'malformed', 'without sha256=');
    assert.equal(checkWhatsAppSignature('Jefe', `sha1=${RFC_4231_CASE_2.mac.slice(0, 40)}`, body), 'malformed');
    assert.equal(checkWhatsAppSignature('Jefe', `sha256=${RFC_4231_CASE_2.mac.slice(0, 62)}`, body), 'malformed', 'truncated');
    assert.equal(checkWhatsAppSignature('Jeff', `sha256=${RFC_4231_CASE_2.mac}`, body), 'mismatch');
    assert.equal(checkWhatsAppSignature('Jefe', `sha256=${RFC_4231_CASE_2.mac}`, Buffer.from(`${RFC_4231_CASE_2.data} `)), 'mismatch');
  });
});

describe('hub.verify_token', () => {
  it('matches only the configured token, whatever the lengths', () => {
    assert.equal(isVerifyToken('verify-token-0123456789', 'verify-token-0123456789'), true);
    assert.equal(isVerifyToken('verify-token-0123456789', 'verify-token-012345678'), false);
    assert.equal(isVerifyToken('verify-token-0123456789', ''), false);
    assert.equal(isVerifyToken('verify-token-0123456789', undefined), false);
  });
});
