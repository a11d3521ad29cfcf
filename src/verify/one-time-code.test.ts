import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createKeyring } from '../crypto/keyring.ts';
import { codesMatch, customCodeDigest, deriveCode, newCodeSeed } from './one-time-code.ts';

describe('one-time codes', () => {
  const masterKey = randomBytes(32);
  const keyring = createKeyring(masterKey);

  it('derives the same code from the same seed (resend) and another for another seed or sid', () => {
    const seed = newCodeSeed(keyring);
    const code = deriveCode(keyring, 'VE1', seed, 6);
    assert.match(code, /^\d{6}$/);
    assert.equal(deriveCode(keyring, 'VE1', seed, 6), code);
    const others = new Set(Array.from({ length: 20 }, () => deriveCode(keyring, 'VE1', newCodeSeed(keyring), 6)));
    assert.ok(others.size > 15, 'expected others.size > 15');
    assert.match(deriveCode(keyring, 'VE1', seed, 10), /^\d{10}$/);
    assert.match(deriveCode(keyring, 'VE1', seed, 4), /^\d{4}$/);
  });

  it('spreads digits uniformly (chi-square over 60,000 digits)', () => {
    const counts = new Array(10).fill(0) as number[];
    for (let i = 0; i < 10_000; i++) for (const d of deriveCode(keyring, `VE${i}`, newCodeSeed(keyring), 6)) counts[Number(d)]! += 1;
    const expected = 6_000;
    const chi = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: p = 0.001 at 27.88.
    assert.ok(chi < 27.88, `chi-square ${chi.toFixed(2)} for ${counts.join(',')}`);
  });

  it('matches only the right code, generated or custom', () => {
    const seed = newCodeSeed(keyring);
    const code = deriveCode(keyring, 'VE1', seed, 6);
    assert.equal(codesMatch(keyring, 'VE1', code, { seed, length: 6 }), true);
    assert.equal(codesMatch(keyring, 'VE1', code.slice(0, 5), { seed, length: 6 }), false);
    assert.equal(codesMatch(keyring, 'VE2', code, { seed, length: 6 }), false);
    const digest = customCodeDigest(keyring, 'VE3', 'AB12cd');
    assert.ok(!digest.includes('AB12cd'), "expected !digest.includes('AB12cd')");
    assert.equal(codesMatch(keyring, 'VE3', 'AB12cd', { digest }), true);
    assert.equal(codesMatch(keyring, 'VE3', 'ab12cd', { digest }), false);
    assert.equal(codesMatch(keyring, 'VE4', 'AB12cd', { digest }), false);
  });

  it('keeps pending codes valid across a master-key rotation and fails closed on an unknown key', () => {
    const seed = newCodeSeed(keyring);
    const code = deriveCode(keyring, 'VE1', seed, 6);
    const rotated = createKeyring(randomBytes(32), [masterKey]);
    assert.equal(deriveCode(rotated, 'VE1', seed, 6), code);
    assert.throws(() => deriveCode(createKeyring(randomBytes(32)), 'VE1', seed, 6), /unknown master key/);
  });
});
