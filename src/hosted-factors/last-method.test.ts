import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKeyring } from '../crypto/keyring.ts';
import type { FactorOption } from '../handoff/factor-options.ts';
import { methodOf, orderOptions, withLastUsedFirst } from './chooser-order.ts';
import { decodeLastMethods, encodeLastMethods, MAX_LAST_METHODS, userKey } from './last-method.ts';

const keyring = createKeyring(Buffer.alloc(32, 7));
const other = createKeyring(Buffer.alloc(32, 8));
const ada = userKey(keyring, { serviceSid: 'VA1', subject: 'ada' });
const bob = userKey(keyring, { serviceSid: 'VA1', subject: 'bob' });

describe('last-method cookie', () => {
  it('round-trips its entries, signed, and names nobody in clear', () => {
    const value = encodeLastMethods(keyring, [{ user: ada, method: 'totp' }, { user: bob, method: 'passkeys' }]);
    assert.deepEqual(decodeLastMethods(keyring, value), [{ user: ada, method: 'totp' }, { user: bob, method: 'passkeys' }]);
    assert.doesNotMatch(value, /ada|bob|VA1/);
    assert.match(value, /^[A-Za-z0-9_~:.-]+$/, 'only cookie-safe characters');
  });

  it('keys a user by service and subject', () => {
    assert.notEqual(userKey(keyring, { serviceSid: 'VA2', subject: 'ada' }), ada);
    assert.notEqual(userKey(other, { serviceSid: 'VA1', subject: 'ada' }), ada, 'keyed by the server key');
  });

  it('ignores a forged, edited, foreign-key or malformed cookie', () => {
    const value = encodeLastMethods(keyring, [{ user: ada, method: 'totp' }]);
    assert.deepEqual(decodeLastMethods(keyring, value.replace(':totp', ':push')), []);
    assert.deepEqual(decodeLastMethods(other, value), []);
    assert.deepEqual(decodeLastMethods(keyring, 'garbage'), []);
    assert.deepEqual(decodeLastMethods(keyring, undefined), []);
    assert.deepEqual(decodeLastMethods(keyring, `${value}x`), []);
  });

  it('keeps a few entries only', () => {
    const entries = Array.from({ length: 9 }, (_, i) => ({ user: userKey(keyring, { serviceSid: 'VA1', subject: `u${i}` }), method: 'push' as const }));
    assert.equal(decodeLastMethods(keyring, encodeLastMethods(keyring, entries)).length, MAX_LAST_METHODS);
  });
});

const OPTIONS: FactorOption[] = [
  { kind: 'totp', factorSid: 'YF1', name: 'Pixel' },
  { kind: 'push', factorSid: 'YF2', name: 'Phone' },
  { kind: 'phone', channel: 'sms', masked: '••23' },
  { kind: 'recovery_code', remaining: 8 },
  { kind: 'passkey', passkeys: [{ factorSid: 'YF3', name: 'Mac' }] },
];

describe('chooser order', () => {
  it('is passkey, push, TOTP, phone, recovery code by default', () => {
    assert.deepEqual(orderOptions(OPTIONS).map(methodOf), ['passkeys', 'push', 'totp', 'sms', 'recovery_code']);
  });

  it('follows the application order, then Verity’s for the rest', () => {
    assert.deepEqual(orderOptions(OPTIONS, ['sms', 'totp']).map(methodOf), ['sms', 'totp', 'passkeys', 'push', 'recovery_code']);
  });

  it('puts the last-used method first when it is offered', () => {
    const ordered = orderOptions(OPTIONS);
    assert.deepEqual(withLastUsedFirst(ordered, 'totp').options.map(methodOf), ['totp', 'passkeys', 'push', 'sms', 'recovery_code']);
    assert.equal(withLastUsedFirst(ordered, 'totp').lastUsedFirst, true);
    assert.deepEqual(withLastUsedFirst(ordered, 'voiceprint'), { options: ordered, lastUsedFirst: false });
  });
});
