import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countedValue } from './charge-rate-limits.ts';

test('spellings of one value share a bucket: surrounding spaces and Unicode compatibility forms do not make a new one', () => {
  for (const spelling of [' 1.2.3.4', '1.2.3.4\t', '１.２.３.４', '\u00a01.2.3.4']) assert.equal(countedValue(spelling), '1.2.3.4', JSON.stringify(spelling));
  // Distinct values stay distinct: case and inner characters are the application's.
  assert.notEqual(countedValue('User-1'), countedValue('user-1'));
  assert.notEqual(countedValue('01.2.3.4'), countedValue('1.2.3.4'));
});
