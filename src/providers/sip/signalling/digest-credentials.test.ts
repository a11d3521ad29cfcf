import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import digest from 'sip/digest.js';
import type { SipMessage } from 'sip';
import { answerableChallenge, isStale, signRequest } from './digest-credentials.ts';

const vector = JSON.parse(readFileSync(new URL('../../../../test/vectors/rfc2617-section-3.5-digest.json', import.meta.url), 'utf8')) as Record<string, string>;
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

const invite = (): SipMessage => ({
  method: 'INVITE',
  uri: 'sip:+15550001111@trunk.example',
  headers: { 'call-id': 'c1', cseq: { seq: 2, method: 'INVITE' } },
  content: 'v=0\r\n',
});
const challenge = (status: number, headers: Record<string, string | undefined>[]): SipMessage => ({
  status,
  headers: { [status === 407 ? 'proxy-authenticate' : 'www-authenticate']: headers.map((header) => ({ scheme: 'Digest', ...header })) },
});
/** The digest fields of a credentials header, unquoted. */
const fields = (header: Record<string, string | undefined>) => Object.fromEntries(Object.entries(header).map(([name, value]) => [name, value?.replace(/^"|"$/g, '')]));

describe('digest credentials (npm sip/digest, RFC 2617 as SIP uses it)', () => {
  it('computes the RFC 2617 §3.5 example response', () => {
    const ha1 = digest.calculateUserRealmPasswordHash(vector['username']!, vector['realm']!, vector['password']!);
    const response = digest.calculateDigest({ ha1, method: vector['method']!, uri: vector['uri']!, nonce: vector['nonce']!, nc: vector['nc']!, cnonce: vector['cnonce']!, qop: vector['qop']! });
    assert.equal(response, vector['response']);
  });

  it('answers a 401 with Authorization: qop=auth, nc 00000001, a cnonce, the opaque, a response that verifies', () => {
    const request = invite();
    const signed = signRequest(request, challenge(401, [{ realm: '"trunk"', nonce: '"n0nce"', qop: '"auth,auth-int"', algorithm: 'MD5', opaque: '"0paque"' }]), { username: 'verity', password: 'pw' });
    assert.deepEqual(signed, { ok: true });
    const header = request.headers.authorization?.[0];
    assert.ok(header, 'Authorization added');
    assert.equal(request.headers['proxy-authorization'], undefined);
    const f = fields(header);
    assert.equal(f['username'], 'verity');
    assert.equal(f['realm'], 'trunk');
    assert.equal(f['uri'], 'sip:+15550001111@trunk.example');
    assert.equal(f['qop'], 'auth');
    assert.equal(f['nc'], '00000001');
    assert.equal(f['opaque'], '0paque');
    assert.match(f['cnonce'] ?? '', /^[0-9a-f]{32}$/);
    const expected = md5(`${md5('verity:trunk:pw')}:n0nce:00000001:${f['cnonce']}:auth:${md5('INVITE:sip:+15550001111@trunk.example')}`);
    assert.equal(f['response'], expected);
  });

  it('answers a 407 with Proxy-Authorization', () => {
    const request = invite();
    assert.deepEqual(signRequest(request, challenge(407, [{ realm: '"proxy"', nonce: '"x"', qop: '"auth"' }]), { username: 'u', password: 'p' }), { ok: true });
    assert.ok(request.headers['proxy-authorization']?.[0], 'Proxy-Authorization added');
  });

  it('answers a challenge without qop the RFC 2069 way (no nc, no cnonce)', () => {
    const request = invite();
    signRequest(request, challenge(401, [{ realm: '"r"', nonce: '"n"' }]), { username: 'u', password: 'p' });
    const f = fields(request.headers.authorization![0]!);
    assert.equal(f['nc'], undefined);
    assert.equal(f['response'], md5(`${md5('u:r:p')}:n:${md5('INVITE:sip:+15550001111@trunk.example')}`));
  });

  it('picks the MD5 challenge beside a SHA-256 one, and refuses when there is none', () => {
    const both = challenge(401, [{ realm: '"r"', nonce: '"sha"', algorithm: 'SHA-256' }, { realm: '"r"', nonce: '"md5"', algorithm: 'MD5' }]);
    assert.equal(answerableChallenge(both)?.['nonce'], '"md5"');
    const request = invite();
    const refused = signRequest(request, challenge(401, [{ realm: '"r"', nonce: '"sha"', algorithm: 'SHA-256' }]), { username: 'u', password: 'p' });
    assert.equal(refused.ok, false);
    assert.equal(request.headers.authorization, undefined);
    assert.equal(signRequest(invite(), { status: 401, headers: {} }, { username: 'u', password: 'p' }).ok, false);
  });

  it('refuses a challenge whose qop offers neither auth nor auth-int', () => {
    assert.equal(signRequest(invite(), challenge(401, [{ realm: '"r"', nonce: '"n"', qop: '"auth-conf"' }]), { username: 'u', password: 'p' }).ok, false);
  });

  it('tells a stale nonce from a refusal', () => {
    assert.equal(isStale({ scheme: 'Digest', stale: 'TRUE' }), true);
    assert.equal(isStale({ scheme: 'Digest', stale: '"true"' }), true);
    assert.equal(isStale({ scheme: 'Digest' }), false);
  });
});
