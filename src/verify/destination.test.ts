import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerityError } from '../errors/verity-error.ts';
import { destinationForChannel, parseDestination } from './destination.ts';

describe('destinations', () => {
  it('normalises phone numbers to E.164 with their country', () => {
    assert.deepEqual(parseDestination('+1 (415) 555-2671'), { kind: 'phone', address: '+14155552671', country: 'US' });
    assert.deepEqual(parseDestination('+44 7400 123456'), { kind: 'phone', address: '+447400123456', country: 'GB' });
    assert.deepEqual(parseDestination('4915112345678'), { kind: 'phone', address: '+4915112345678', country: 'DE' });
  });

  it('lower-cases emails', () => {
    assert.deepEqual(parseDestination('Bob.Smith+tag@Example.ORG'), { kind: 'email', address: 'bob.smith+tag@example.org' });
  });

  it('rejects bad input with 60200 naming the parameter', () => {
    for (const bad of ['', '+1 555', '+999 123456', 'abc', '+1415555267100000', 'a@b', '@example.com', 'x@-bad-.com', 'a b@example.com', `${'a'.repeat(65)}@example.com`]) {
      assert.throws(() => parseDestination(bad), (e: unknown) => e instanceof VerityError && e.code === 60200 && e.message.startsWith('Invalid parameter: To'), bad);
    }
  });

  it('requires a phone for sms/call and an email for email', () => {
    assert.throws(() => destinationForChannel('bob@example.com', 'sms'), /needs a phone number/);
    assert.throws(() => destinationForChannel('+14155552671', 'email'), /needs an email address/);
    assert.equal(destinationForChannel('+14155552671', 'call').address, '+14155552671');
  });
});
