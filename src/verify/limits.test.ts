import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LOCKOUT, lockoutDelayMs } from './limits.ts';

it('locks out with growing delays after ten free failures, capped at one hour, and hard-locks at 100', () => {
  assert.equal(lockoutDelayMs(1), 0);
  assert.equal(lockoutDelayMs(9), 0);
  assert.equal(lockoutDelayMs(10), 30_000);
  assert.equal(lockoutDelayMs(11), 60_000);
  assert.equal(lockoutDelayMs(12), 120_000);
  assert.equal(lockoutDelayMs(17), 3_600_000);
  assert.equal(lockoutDelayMs(99), 3_600_000);
  assert.equal(lockoutDelayMs(100), LOCKOUT.hardLockMs);
  assert.equal(lockoutDelayMs(150), LOCKOUT.hardLockMs);
});
