import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newCallId, newTag, sdpOf, uriUser } from './sip-headers.ts';

describe('SIP header pieces', () => {
  it('writes numbers into a URI user part as they are, and escapes anything that could break out of it', () => {
    assert.equal(uriUser('+14155550100'), '+14155550100');
    assert.equal(uriUser('14155550100'), '14155550100');
    assert.equal(uriUser('a b>\r\nX: y'), 'a%20b%3E%0D%0AX%3A%20y');
    assert.equal(uriUser('#9@x'), '%239%40x');
  });

  it('tags and Call-IDs are random and long enough (RFC 3261 §19.3)', () => {
    assert.match(newTag(), /^[0-9a-f]{16}$/);
    assert.match(newCallId(), /^[0-9a-f]{32}$/);
    assert.notEqual(newCallId(), newCallId());
  });

  it('finds SDP only in an application/sdp body that is not empty', () => {
    assert.equal(sdpOf({ headers: { 'content-type': 'application/sdp' }, content: 'v=0\r\n' }), 'v=0\r\n');
    assert.equal(sdpOf({ headers: { 'content-type': 'Application/SDP; charset=utf-8' }, content: 'v=0' }), 'v=0');
    assert.equal(sdpOf({ headers: { 'content-type': 'application/sdp' }, content: '  ' }), undefined);
    assert.equal(sdpOf({ headers: { 'content-type': 'application/dtmf-relay' }, content: 'Signal=1' }), undefined);
    assert.equal(sdpOf({ headers: {}, content: 'v=0' }), undefined);
  });
});
