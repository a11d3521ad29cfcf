import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PUBLIC_ONLY } from './outbound-address-policy.ts';
import { OutboundTargetError, resolveOutboundTarget, type ResolvedAddress, type ResolveHost } from './resolve-outbound-target.ts';

function fakeDns(answers: Record<string, ResolvedAddress[]>): ResolveHost & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const found = answers[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  return Object.assign(resolve, { calls });
}

const refused = (range: string) => (err: unknown) => err instanceof OutboundTargetError && err.reason === 'refused' && err.range === range;

test('a literal address is checked without DNS (brackets of IPv6 removed)', async () => {
  const dns = fakeDns({});
  await assert.rejects(resolveOutboundTarget('127.0.0.1', PUBLIC_ONLY, dns), refused('loopback'));
  await assert.rejects(resolveOutboundTarget('[::ffff:7f00:1]', PUBLIC_ONLY, dns), refused('loopback'));
  const pinned = await resolveOutboundTarget('[2606:4700:4700::1111]', PUBLIC_ONLY, dns);
  assert.deepEqual(pinned.addresses.map((a) => a.address), ['2606:4700:4700::1111']);
  assert.deepEqual(dns.calls, []);
});

test('a name is resolved once; any refused address refuses the whole name', async () => {
  const dns = fakeDns({
    'public.example': [{ address: '93.184.215.14', family: 4 }, { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 }],
    'mixed.example': [{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.5', family: 4 }],
    'metadata.example': [{ address: '169.254.169.254', family: 4 }],
    'mapped.example': [{ address: '::ffff:127.0.0.1', family: 6 }],
  });
  const pinned = await resolveOutboundTarget('public.example', PUBLIC_ONLY, dns);
  assert.equal(pinned.hostname, 'public.example');
  assert.deepEqual(pinned.addresses.map((a) => [a.address, a.family]), [['93.184.215.14', 4], ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', 6]]);
  assert.deepEqual(dns.calls, ['public.example']);
  await assert.rejects(resolveOutboundTarget('mixed.example', PUBLIC_ONLY, dns), refused('private'));
  await assert.rejects(resolveOutboundTarget('metadata.example', PUBLIC_ONLY, dns), refused('linkLocal'));
  await assert.rejects(resolveOutboundTarget('mapped.example', PUBLIC_ONLY, dns), refused('loopback'));
});

test('localhost names are loopback whatever the resolver says (RFC 6761 §6.3)', async () => {
  const dns = fakeDns({ 'localhost': [{ address: '93.184.215.14', family: 4 }], 'app.localhost': [{ address: '93.184.215.14', family: 4 }] });
  for (const name of ['localhost', 'LocalHost', 'localhost.', 'app.localhost']) {
    await assert.rejects(resolveOutboundTarget(name, PUBLIC_ONLY, dns), refused('loopback'), name);
  }
  assert.deepEqual(dns.calls, [], 'refused without asking DNS');
});

test('a name that does not resolve, or resolves to nothing usable, is a lookup failure', async () => {
  const dns = fakeDns({ 'empty.example': [], 'odd.example': [{ address: 'not-an-ip', family: 4 }] });
  for (const name of ['missing.example', 'empty.example', 'odd.example']) {
    await assert.rejects(resolveOutboundTarget(name, PUBLIC_ONLY, dns), (err: unknown) => err instanceof OutboundTargetError && err.reason === 'lookup-failed', name);
  }
});
