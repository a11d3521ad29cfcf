import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricsAccess } from './operations-routes.ts';

/** A request straight from `remoteAddress` (no proxy: the client IP is the TCP peer). */
const request = (remoteAddress: string | undefined, authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization }, socket: { remoteAddress }, ip: remoteAddress }) as never;

/** [environment, token set, TCP peer, Authorization, expected]. */
const CASES: ReadonlyArray<readonly ['development' | 'test' | 'production', boolean, string | undefined, string | undefined, string]> = [
  ['development', false, '127.0.0.1', undefined, 'allowed'],
  ['development', false, '127.8.9.10', undefined, 'allowed'],
  ['development', false, '::1', undefined, 'allowed'],
  ['development', false, '::ffff:127.0.0.1', undefined, 'allowed'],
  ['development', false, '192.168.1.20', undefined, 'hidden'],
  ['development', false, '203.0.113.9', undefined, 'hidden'],
  ['development', false, '::ffff:203.0.113.9', undefined, 'hidden'],
  ['development', false, undefined, undefined, 'hidden'],
  ['test', false, '10.0.0.1', undefined, 'hidden'],
  ['production', false, '127.0.0.1', undefined, 'hidden'],
  ['production', false, '::1', 'Bearer x', 'hidden'],
  ['production', true, '203.0.113.9', 'Bearer 0123456789abcdef0123456789abcdef', 'allowed'],
  ['production', true, '203.0.113.9', 'bearer   0123456789abcdef0123456789abcdef', 'allowed'],
  ['production', true, '127.0.0.1', undefined, 'unauthorized'],
  ['production', true, '127.0.0.1', 'Bearer 0123456789abcdef0123456789abcdeF', 'unauthorized'],
  ['production', true, '127.0.0.1', 'Bearer 0123456789abcdef0123456789abcdef0', 'unauthorized'],
  ['production', true, '127.0.0.1', 'Bearer', 'unauthorized'],
  ['production', true, '127.0.0.1', 'Bearer ', 'unauthorized'],
  ['development', true, '127.0.0.1', undefined, 'unauthorized'],
];

for (const [env, withToken, peer, authorization, expected] of CASES) {
  test(`/metrics is ${expected}: ${env}, ${withToken ? 'token set' : 'no token'}, peer ${peer}, ${authorization ?? 'no Authorization'}`, () => {
    const config = { env, metricsToken: withToken ? '0123456789abcdef0123456789abcdef' : undefined };
    assert.equal(metricsAccess(config, request(peer, authorization)), expected);
  });
}

/** [TCP peer, client IP after trusted proxies, headers, expected]: development, no token. */
const FORWARDED: ReadonlyArray<readonly [string, string, Record<string, string>, string]> = [
  ['127.0.0.1', '8.8.8.8', { 'x-forwarded-for': '8.8.8.8' }, 'hidden'],
  ['127.0.0.1', '127.0.0.1', { 'x-forwarded-for': '8.8.8.8' }, 'hidden'],
  ['127.0.0.1', '127.0.0.1', { 'x-forwarded-for': '127.0.0.1' }, 'hidden'],
  ['127.0.0.1', '127.0.0.1', { forwarded: 'for=203.0.113.9' }, 'hidden'],
  ['127.0.0.1', '127.0.0.1', { 'x-real-ip': '203.0.113.9' }, 'hidden'],
  ['127.0.0.1', '127.0.0.1', { via: '1.1 nginx' }, 'hidden'],
  ['127.0.0.1', '203.0.113.9', {}, 'hidden'],
  ['203.0.113.9', '127.0.0.1', {}, 'hidden'],
  ['::1', '::1', {}, 'allowed'],
];

for (const [peer, ip, headers, expected] of FORWARDED) {
  test(`/metrics without a token is ${expected}: peer ${peer}, client IP ${ip}, ${JSON.stringify(headers)}`, () => {
    assert.equal(metricsAccess({ env: 'development', metricsToken: undefined }, { headers, socket: { remoteAddress: peer }, ip } as never), expected);
  });
}
