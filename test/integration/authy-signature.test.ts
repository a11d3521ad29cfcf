import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { nestParams } from '../../src/authy/bracket-params.ts';
import { signOneTouchCallback } from '../../src/authy/onetouch-signature.ts';
import { pythonValidator } from '../support/authy-python-validator.ts';

interface Vector {
  name: string;
  key: string;
  nonce: string;
  method: string;
  url: string;
  body: Record<string, unknown>;
  signature: string;
}

const { vectors } = JSON.parse(readFileSync(new URL('../vectors/authy-onetouch-signatures.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

/** A small seeded PRNG (mulberry32): the same bodies on every run (FUZZ_SEED picks others). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('X-Authy-Signature (OneTouch callbacks)', () => {
  for (const vector of vectors) {
    it(`matches authy-client's vector: ${vector.name}`, () => {
      assert.equal(signOneTouchCallback({ ...vector, apiKey: vector.key }), vector.signature);
      assert.equal(pythonValidator(vector.key, vector.signature, vector.nonce, vector.method, vector.url, vector.body), true);
    });
  }

  it('signs the URL without its query, the method in upper case', () => {
    const [first] = vectors;
    assert.ok(first, 'a vector');
    assert.equal(signOneTouchCallback({ ...first, apiKey: first.key, url: 'https://foo.bar/?x=1', method: 'post' }), first.signature);
    assert.notEqual(signOneTouchCallback({ ...first, apiKey: first.key, url: 'https://foo.bar/other' }), first.signature);
    assert.notEqual(signOneTouchCallback({ ...first, apiKey: first.key, nonce: '1455825430' }), first.signature);
  });

  it('agrees with authy-python\'s validator on 300 seeded callback-shaped bodies', () => {
    const random = mulberry32(Number(process.env.FUZZ_SEED ?? 20261206));
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const words = ['approved', 'denied', 'Requested by', 'a/b', 'ümlaut €', "it's (ok)!*", '~tilde_dot.', '', '100%', 'x+y=z&w', '\u{1F600}'];
    const scalar = (): unknown => pick([() => pick(words), () => Math.floor(random() * 1e6), () => random() < 0.5, () => null])();
    const object = (depth: number): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      const n = Math.floor(random() * 5);
      for (let i = 0; i < n; i++) out[`${pick(words)}${i}`] = depth > 0 && random() < 0.3 ? object(depth - 1) : scalar();
      return out;
    };
    for (let i = 0; i < 300; i++) {
      const body = { approval_request: { transaction: object(2), logos: null }, authy_id: Math.floor(random() * 1e7), status: pick(['approved', 'denied']), extra: object(1) };
      const input = { apiKey: `key-${i}`, nonce: String(1_700_000_000 + i), method: 'POST', url: 'https://app.example/authy/callback', body };
      assert.equal(pythonValidator(input.apiKey, signOneTouchCallback(input), input.nonce, 'POST', input.url, body), true, JSON.stringify(body));
    }
  });
});

describe('bracket parameters (the npm authy client\'s form bodies)', () => {
  it('nests details, hidden details and logos as a JSON body would carry them', () => {
    const params = nestParams(new URLSearchParams('message=Hi&details[Requested by]=Alice&details[Amount]=10&hidden_details[ip]=1.2.3.4&logos[0][res]=default&logos[0][url]=https://a/x.png&logos[1][res]=low&logos[1][url]=https://a/y.png'));
    assert.deepEqual(JSON.parse(JSON.stringify(params)), {
      message: 'Hi',
      details: { 'Requested by': 'Alice', Amount: '10' },
      hidden_details: { ip: '1.2.3.4' },
      logos: [
        { res: 'default', url: 'https://a/x.png' },
        { res: 'low', url: 'https://a/y.png' },
      ],
    });
  });

  it('groups empty-bracket arrays of objects (logos[][res], logos[][url]) one object per res', () => {
    const params = nestParams(new URLSearchParams('logos[][res]=default&logos[][url]=u1&logos[][res]=low&logos[][url]=u2'));
    assert.deepEqual(JSON.parse(JSON.stringify(params.logos)), [
      { res: 'default', url: 'u1' },
      { res: 'low', url: 'u2' },
    ]);
  });

  it('drops prototype keys, over-deep keys and huge indices', () => {
    const params = nestParams(new URLSearchParams(`a[__proto__][x]=1&b[constructor]=2&c${'[d]'.repeat(10)}=3&e[0]=4&e[999]=6&f=5`));
    assert.deepEqual(JSON.parse(JSON.stringify(params)), { e: ['4'], f: '5' });
    assert.equal(({} as Record<string, unknown>)['x'], undefined);
  });
});
