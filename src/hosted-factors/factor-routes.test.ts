import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FACTOR_ROUTES } from './factor-routes.ts';
import { HOSTED_FACTORS } from './registry.ts';

it('every registered hosted factor has its routes, and no routes belong to no factor', () => {
  assert.deepEqual(Object.keys(FACTOR_ROUTES).sort(), HOSTED_FACTORS.map((factor) => factor.id).sort());
});
