import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricsAccess } from './operations-routes.ts';

const request = (remoteAddress: string | undefined, authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization }, socket: { remoteAddress } }) as never;

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
