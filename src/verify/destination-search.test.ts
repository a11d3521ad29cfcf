import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { destinationSearch } from './destination-search.ts';

describe('destinationSearch', () => {
  it('normalises numbers as the API normalises To', () => {
    assert.equal(destinationSearch('(415) 555-0123'), '+14155550123');
    assert.equal(destinationSearch('+1 415 555 0123'), '+14155550123');
    assert.equal(destinationSearch('+1 (415) 555-0123'), '+14155550123');
    assert.equal(destinationSearch('14155550123'), '+14155550123');
    assert.equal(destinationSearch('004915123456789'), '+4915123456789');
    assert.equal(destinationSearch(' +49 151 23456789 '), '+4915123456789');
  });

  it('keeps the digits of an incomplete number (a prefix search)', () => {
    assert.equal(destinationSearch('+1 415'), '+1415');
    assert.equal(destinationSearch('0049 151'), '+49151');
  });

  it('lower-cases e-mail addresses and leaves other text alone', () => {
    assert.equal(destinationSearch('Name@Example.COM'), 'name@example.com');
    assert.equal(destinationSearch('a_1@'), 'a_1@');
    assert.equal(destinationSearch('50%'), '50%');
  });
});
