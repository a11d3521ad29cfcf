import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createKeyring, parseMasterKey } from './keyring.ts';
import { seal, unseal } from './seal.ts';

describe('sealing secrets at rest (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const keyring = createKeyring(key);

  it('round-trips and never contains the plaintext', () => {
    const sealed = seal(keyring, 'whsec-very-secret', 'webhook:YW1');
    assert.ok(!sealed.includes('whsec-very-secret'), "expected !sealed.includes('whsec-very-secret')");
    assert.match(sealed, /^v1\.[0-9a-f]{12}\./);
    assert.equal(unseal(keyring, sealed, 'webhook:YW1'), 'whsec-very-secret');
  });

  it('uses a fresh IV every time', () => {
    assert.notEqual(seal(keyring, 'x', 'c'), seal(keyring, 'x', 'c'));
  });

  it('refuses another context, a flipped bit, or an unknown key', () => {
    const sealed = seal(keyring, 'secret', 'webhook:YW1');
    assert.throws(() => unseal(keyring, sealed, 'webhook:YW2'));
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] as string, 'base64url');
    body[0] = (body[0] as number) ^ 1;
    assert.throws(() => unseal(keyring, [parts[0], parts[1], parts[2], body.toString('base64url')].join('.'), 'webhook:YW1'));
    assert.throws(() => unseal(createKeyring(randomBytes(32)), sealed, 'webhook:YW1'), /unknown master key/);
  });

  it('opens secrets sealed under a retired master key after rotation', () => {
    const sealed = seal(keyring, 'old secret', 'ctx');
    const rotated = createKeyring(randomBytes(32), [key]);
    assert.notEqual(rotated.keyId, keyring.keyId);
    assert.equal(unseal(rotated, sealed, 'ctx'), 'old secret');
  });

  it('derives a different key per purpose and parses hex and base64 master keys', () => {
    assert.notDeepEqual(keyring.derive('otp-code'), keyring.derive('api-token-digest'));
    const hex = randomBytes(32).toString('hex');
    assert.deepEqual(parseMasterKey(hex), Buffer.from(hex, 'hex'));
    assert.deepEqual(parseMasterKey(Buffer.from(hex, 'hex').toString('base64')), Buffer.from(hex, 'hex'));
    assert.throws(() => parseMasterKey('short'));
    assert.throws(() => createKeyring(randomBytes(16)));
  });
});
