import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rateLimitKeyOf } from './client-address.ts';

/** [client address as request.ip gives it, expected key]. */
const CASES: ReadonlyArray<readonly [string | undefined, string]> = [
  ['203.0.113.9', '203.0.113.9'],
  ['127.0.0.1', '127.0.0.1'],
  ['::ffff:203.0.113.9', '203.0.113.9'],
  ['::FFFF:cb00:7109', '203.0.113.9'],
  ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
  ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
  ['2001:DB8:1:2:0:0:0:ABCD', '2001:db8:1:2::/64'],
  ['2001:db8:1:3::1', '2001:db8:1:3::/64'],
  ['2001:db8::1', '2001:db8::/64'],
  ['::1', '::/64'],
  ['fe80::1%eth0', 'fe80::/64'],
  [undefined, 'undefined'],
  ['not-an-address', 'not-an-address'],
];

for (const [ip, key] of CASES) {
  test(`per-IP limits count ${ip} under ${key}`, () => {
    assert.equal(rateLimitKeyOf(ip), key);
  });
}
