import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PUBLIC_ADDRESSES, REFUSED_ADDRESSES } from '../../test/support/ssrf-targets.ts';
import { checkAddress, invalidNetworks, PUBLIC_ONLY, type OutboundAddressPolicy } from './outbound-address-policy.ts';

const LOOPBACK: OutboundAddressPolicy = { allowLoopback: true, allowedNetworks: [] };

test('every non-public spelling is classified by its range and refused by default', () => {
  for (const [address, range] of REFUSED_ADDRESSES) {
    const verdict = checkAddress(address, PUBLIC_ONLY);
    assert.ok(verdict, `${address} is an IP address`);
    assert.equal(verdict.range, range, address);
    assert.equal(verdict.allowed, false, `${address} (${range}) must be refused`);
  }
});

test('public unicast addresses are allowed, including the neighbours of refused ranges', () => {
  for (const address of PUBLIC_ADDRESSES) {
    const verdict = checkAddress(address, PUBLIC_ONLY);
    assert.equal(verdict?.range, 'unicast', address);
    assert.equal(verdict?.allowed, true, address);
  }
});

test('an IPv4-mapped IPv6 address is judged, and reported, as the IPv4 address it reaches', () => {
  assert.deepEqual(checkAddress('::ffff:127.0.0.1', PUBLIC_ONLY), { address: '127.0.0.1', family: 4, range: 'loopback', allowed: false });
  assert.deepEqual(checkAddress('::ffff:808:808', PUBLIC_ONLY), { address: '8.8.8.8', family: 4, range: 'unicast', allowed: true });
  assert.deepEqual(checkAddress('2130706433', PUBLIC_ONLY), { address: '127.0.0.1', family: 4, range: 'loopback', allowed: false });
});

test('VERITY_WEBHOOK_ALLOW_LOOPBACK allows loopback in every spelling, and nothing else', () => {
  for (const [address, range] of REFUSED_ADDRESSES) {
    assert.equal(checkAddress(address, LOOPBACK)?.allowed, range === 'loopback', `${address} (${range})`);
  }
});

test('allowed networks let exactly their addresses through; unspecified, multicast and broadcast never', () => {
  const policy: OutboundAddressPolicy = { allowLoopback: false, allowedNetworks: ['10.1.2.0/24', 'fd00:1::/64', '100.64.0.7', '::ffff:192.168.7.0/120'] };
  assert.equal(checkAddress('10.1.2.3', policy)?.allowed, true);
  assert.equal(checkAddress('::ffff:10.1.2.3', policy)?.allowed, true, 'mapped form of an allowed address');
  assert.equal(checkAddress('10.1.3.1', policy)?.allowed, false, 'outside the /24');
  assert.equal(checkAddress('fd00:1::5', policy)?.allowed, true);
  assert.equal(checkAddress('fd00:2::5', policy)?.allowed, false);
  assert.equal(checkAddress('100.64.0.7', policy)?.allowed, true, 'a single address');
  assert.equal(checkAddress('100.64.0.8', policy)?.allowed, false);
  assert.equal(checkAddress('192.168.7.9', policy)?.allowed, true, 'an IPv4 range written as IPv4-mapped IPv6');
  assert.equal(checkAddress('127.0.0.1', policy)?.allowed, false, 'loopback needs its own setting');

  const everything: OutboundAddressPolicy = { allowLoopback: true, allowedNetworks: ['0.0.0.0/0', '::/0'] };
  for (const address of ['0.0.0.0', '::', '224.0.0.1', 'ff02::1', '255.255.255.255']) {
    assert.equal(checkAddress(address, everything)?.allowed, false, `${address} is never a receiver`);
  }
  assert.equal(checkAddress('169.254.169.254', everything)?.allowed, true, 'an operator may allow anything else explicitly');
});

test('names are not addresses; the setting is validated entry by entry', () => {
  for (const name of ['localhost', 'example.com', '127.0.0.1.nip.io', '', '1.2.3.4.5']) assert.equal(checkAddress(name, PUBLIC_ONLY), undefined, name);
  assert.deepEqual(invalidNetworks(['10.0.0.0/8', 'fd00::/8', '192.168.1.10', 'intranet', '10.0.0.0/33']), ['intranet', '10.0.0.0/33']);
});
