import assert from 'node:assert/strict';
import { test } from 'node:test';
import { carrierType, isCertainLandline, verificationLookup } from './line-type.ts';

test('the numbering plan names mobile and landline numbers where it is certain', () => {
  assert.equal(carrierType('+33612345678'), 'mobile');
  assert.equal(carrierType('+4915123456789'), 'mobile');
  assert.equal(carrierType('+33142685300'), 'landline');
  assert.equal(carrierType('+442071838750'), 'landline');
  assert.equal(carrierType('+61291234567'), 'landline');
});

test('North American numbers are FIXED_LINE_OR_MOBILE: type null, and never skipped as landlines', () => {
  for (const number of ['+14155552671', '+12025550123']) {
    assert.equal(carrierType(number), null, number);
    assert.equal(isCertainLandline(number), false, number);
  }
});

test('only a certain landline is skipped; toll-free, unknown and malformed numbers are sent to', () => {
  assert.equal(isCertainLandline('+33142685300'), true);
  assert.equal(isCertainLandline('+33612345678'), false);
  assert.equal(isCertainLandline('+18005550100'), false);
  assert.equal(isCertainLandline('+999'), false);
});

test('the lookup has the hosted shape, with no carrier data offline', () => {
  assert.deepEqual(verificationLookup('+33612345678'), { carrier: { mobile_country_code: null, mobile_network_code: null, name: null, type: 'mobile', error_code: null } });
});
