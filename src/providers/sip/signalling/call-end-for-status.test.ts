import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallEnd } from '../../../voice/call-script.ts';
import { callEndForStatus } from './call-end-for-status.ts';

describe('how a final response ends a call', () => {
  const table: [number, boolean, CallEnd][] = [
    [486, false, 'busy'],
    [600, false, 'busy'],
    [603, false, 'rejected'],
    [403, false, 'failed'],
    [408, false, 'no-answer'],
    [480, false, 'no-answer'],
    [487, true, 'canceled'],
    [487, false, 'failed'],
    [404, false, 'failed'],
    [410, false, 'failed'],
    [484, false, 'failed'],
    [604, false, 'failed'],
    [302, false, 'failed'],
    [488, false, 'failed'],
    [500, false, 'failed'],
    [503, false, 'failed'],
    [606, false, 'failed'],
  ];
  for (const [status, canceled, how] of table) {
    it(`${status}${canceled ? ' after our CANCEL' : ''} → ${how}`, () => {
      assert.equal(callEndForStatus(status, canceled).how, how);
    });
  }
});
