import assert from 'node:assert/strict';
import { DeliveryError } from '../../src/providers/provider.ts';

/** Awaits a promise that must reject with a DeliveryError, and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof DeliveryError, `expected a DeliveryError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}
