import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoDay, isoSeconds } from './format.ts';

test('times are written in UTC to the second, days as YYYY-MM-DD', () => {
  const ms = Date.UTC(2015, 6, 30, 20, 0, 0, 999);
  assert.equal(isoSeconds(ms), '2015-07-30T20:00:00Z');
  assert.equal(isoSeconds(0), '1970-01-01T00:00:00Z');
  assert.equal(isoDay(ms), '2015-07-30');
  assert.equal(isoDay(Date.UTC(2024, 1, 29, 23, 59, 59)), '2024-02-29');
});
