import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ManualClock } from '../crypto/clock.ts';
import { createKeyring, type Keyring } from '../crypto/keyring.ts';
import { TokenChecks, tokenDigest } from './account-credentials.ts';

/** A keyring whose current key the test swaps, as a server would after dropping a retired key. */
function swappable(initial: Keyring): Keyring & { swap(next: Keyring): void } {
  let current = initial;
  return {
    get keyId() {
      return current.keyId;
    },
    derive: (purpose) => current.derive(purpose),
    deriveFor: (id, purpose) => current.deriveFor(id, purpose),
    swap: (next) => (current = next),
  };
}

describe('TokenChecks: a matched token remembered by its stored digest', () => {
  const token = randomBytes(32).toString('hex');

  it('answers as tokenMatches does, before and after a match is remembered', () => {
    const keyring = createKeyring(randomBytes(32));
    const checks = new TokenChecks(keyring, new ManualClock());
    const stored = tokenDigest(keyring, token);
    assert.equal(checks.matches(randomBytes(32).toString('hex'), stored), false, 'a wrong token');
    assert.equal(checks.matches(token, stored), true, 'the right token');
    assert.equal(checks.matches(token, stored), true, 'the right token again (remembered)');
    assert.equal(checks.matches(`${token}x`, stored), false, 'a wrong token after the right one was remembered');
    assert.equal(checks.matches('', stored), false, 'an empty token');
    assert.equal(checks.matches(token, undefined), false, 'no stored digest (unknown account or deleted key)');
  });

  it('refuses the old token once the stored digest is a new one (rotated token)', () => {
    const keyring = createKeyring(randomBytes(32));
    const checks = new TokenChecks(keyring, new ManualClock());
    assert.equal(checks.matches(token, tokenDigest(keyring, token)), true);
    const rotated = randomBytes(32).toString('hex');
    assert.equal(checks.matches(token, tokenDigest(keyring, rotated)), false, 'the old token against the new digest');
    assert.equal(checks.matches(rotated, tokenDigest(keyring, rotated)), true, 'the new token');
  });

  it('forgets a match when the master key it was made under leaves the keyring, and after its time-to-live', () => {
    const keyring = swappable(createKeyring(randomBytes(32)));
    const clock = new ManualClock();
    const checks = new TokenChecks(keyring, clock, 10_000);
    const stored = tokenDigest(keyring, token);
    assert.equal(checks.matches(token, stored), true);
    keyring.swap(createKeyring(randomBytes(32)));
    assert.equal(checks.matches(token, stored), false, 'the digest was made under a key the keyring no longer holds');

    const steady = createKeyring(randomBytes(32));
    const later = new TokenChecks(steady, clock, 10_000);
    const digest = tokenDigest(steady, token);
    assert.equal(later.matches(token, digest), true);
    clock.advance(10_001);
    assert.equal(later.matches(token, digest), true, 'still right after expiry (checked again with the HMAC)');
  });
});
