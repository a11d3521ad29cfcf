import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VerityError } from '../errors/verity-error.ts';
import { appHashOf, withAppHash } from './app-hash.ts';

test('the SMS Retriever line: "<#> " first, the 11-character hash last', () => {
  assert.equal(withAppHash('Your AppName verification code is: 1234', 'He42w354ol9'), '<#> Your AppName verification code is: 1234 He42w354ol9');
});

test('AppHash must be 11 base64 characters', () => {
  assert.equal(appHashOf('He42w354ol9'), 'He42w354ol9');
  assert.equal(appHashOf('ab+/ab+/ab+'), 'ab+/ab+/ab+');
  assert.equal(appHashOf(undefined), undefined);
  for (const bad of ['short', 'He42w354ol9x', 'He42w354ol\n', 'He42w354o-9']) assert.throws(() => appHashOf(bad), (e: unknown) => e instanceof VerityError && e.code === 60200, bad);
});
