import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isValidVonageSignature, vonageSignature, type VonageSignatureMethod } from './vonage-signature.ts';

const VECTORS = JSON.parse(readFileSync(new URL('../../../test/vectors/vonage-sms-signatures.json', import.meta.url), 'utf8')) as {
  vectors: { name: string; secret: string; method: VonageSignatureMethod; params: Record<string, string>; sig: string }[];
};

describe('Vonage SMS API signatures', () => {
  for (const vector of VECTORS.vectors) {
    it(`matches Vonage's SDK vector: ${vector.name}`, () => {
      assert.equal(vonageSignature(vector.params, vector.secret, vector.method), vector.sig);
      assert.equal(isValidVonageSignature({ ...vector.params, sig: vector.sig }, vector.secret, vector.method), true);
    });
  }

  it('replaces & and = in values with _ (three values, one signature)', () => {
    const sig = (k: string) => vonageSignature({ k }, 'my_secret_key_for_testing', 'md5hash');
    assert.equal(sig('&'), sig('_'));
    assert.equal(sig('='), sig('_'));
  });

  it('leaves sig itself out of what is signed', () => {
    const params = { a: '1', b: '2', timestamp: '1461605396' };
    assert.equal(vonageSignature({ ...params, sig: 'anything' }, 'secret', 'sha256'), vonageSignature(params, 'secret', 'sha256'));
  });

  it('refuses a signature made with another secret, another method, over other values, or none', () => {
    const [vector] = VECTORS.vectors.filter((v) => v.method === 'sha256');
    assert.ok(vector, 'a SHA-256 vector');
    const signed = { ...vector.params, sig: vector.sig };
    assert.equal(isValidVonageSignature(signed, 'another-secret', 'sha256'), false);
    assert.equal(isValidVonageSignature(signed, vector.secret, 'sha512'), false);
    assert.equal(isValidVonageSignature({ ...signed, text: 'Test again!' }, vector.secret, 'sha256'), false);
    assert.equal(isValidVonageSignature(vector.params, vector.secret, 'sha256'), false);
    assert.equal(isValidVonageSignature({ ...signed, sig: '' }, vector.secret, 'sha256'), false);
    assert.equal(isValidVonageSignature(signed, '', 'sha256'), false);
  });

  it('takes either case of the hex digest (lowercase md5hash, uppercase HMACs are the same digest)', () => {
    const [vector] = VECTORS.vectors.filter((v) => v.method === 'sha1');
    assert.ok(vector, 'a SHA-1 vector');
    assert.equal(isValidVonageSignature({ ...vector.params, sig: vector.sig.toLowerCase() }, vector.secret, 'sha1'), true);
  });
});
