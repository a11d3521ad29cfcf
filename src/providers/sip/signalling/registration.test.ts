import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sip from 'sip';
import { grantedExpires } from './registration.ts';

const CONTACT = '<sip:verity@192.0.2.5:5060>';
const response = (lines: string[]) => {
  const parsed = sip.parse(Buffer.from(['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP 192.0.2.5;branch=z9hG4bKx', 'From: <sip:verity@t>;tag=a', 'To: <sip:verity@t>;tag=b', 'Call-ID: r', 'CSeq: 1 REGISTER', ...lines, '', ''].join('\r\n')));
  assert.ok(parsed, 'parses');
  return parsed;
};

describe('the lifetime a registrar granted (RFC 3261 §10.2.4)', () => {
  it('is our contact\'s expires parameter, among the bindings listed', () => {
    assert.equal(grantedExpires(response(['Contact: <sip:other@198.51.100.1>;expires=30, <sip:verity@192.0.2.5:5060>;expires=120', 'Expires: 999']), CONTACT, 600), 120);
  });
  it('else the Expires header, else what was asked', () => {
    assert.equal(grantedExpires(response(['Expires: 300']), CONTACT, 600), 300);
    assert.equal(grantedExpires(response([]), CONTACT, 600), 600);
  });
});
