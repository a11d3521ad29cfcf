import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VerityError } from '../errors/verity-error.ts';
import { checkIdentity, entityFailureKey } from './entities.ts';

test('Identity: 8–64 dash-separated letters and digits', () => {
  for (const ok of ['user-0001', 'abcdefgh', 'A1b2C3d4-e5', 'x'.repeat(64), 'ff0c7e9c-1d2b-4a54-9a6e-1b0c1f0e9a11']) assert.equal(checkIdentity(ok), ok);
  for (const bad of [undefined, '', 'short', 'x'.repeat(65), 'user--0001', '-user0001', 'user0001-', 'user 0001', 'user_0001', 'alice@example.com']) {
    assert.throws(
      () => checkIdentity(bad),
      (error: unknown) => error instanceof VerityError && error.code === 60200 && /Identity/.test(error.message),
      String(bad),
    );
  }
});

test('the entity failure counter key is per entity SID', () => {
  assert.equal(entityFailureKey('YE0123'), 'entity:YE0123');
});
