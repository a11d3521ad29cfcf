import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REFUSED_WEBHOOK_URLS } from '../../test/support/ssrf-targets.ts';
import { asWireError } from '../http/domain-error-mapping.ts';
import { PUBLIC_ONLY } from '../net/outbound-address-policy.ts';
import type { ResolvedAddress, ResolveHost } from '../net/resolve-outbound-target.ts';
import { checkWebhookUrl } from './webhook-target.ts';

const dns = (answers: Record<string, ResolvedAddress[]>): ResolveHost => async (hostname) => {
  const found = answers[hostname];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return found;
};
const noDns: ResolveHost = () => Promise.reject(new Error('no DNS in this test'));
const code = (expected: number) => (err: unknown) => asWireError(err)?.code === expected && /WebhookUrl/.test(asWireError(err)?.message ?? '');

test('every refused spelling of an internal address is refused at registration with 64501', async () => {
  for (const url of REFUSED_WEBHOOK_URLS) {
    await assert.rejects(checkWebhookUrl(url, { policy: PUBLIC_ONLY, resolveHost: noDns }), code(64501), url);
  }
});

test('host names are refused when they resolve to a refused address', async () => {
  const resolveHost = dns({
    'intranet.example': [{ address: '10.0.0.5', family: 4 }],
    'metadata.example': [{ address: '169.254.169.254', family: 4 }],
    'v6.example': [{ address: '::1', family: 6 }],
    'split.example': [{ address: '93.184.215.14', family: 4 }, { address: '192.168.1.1', family: 4 }],
    'public.example': [{ address: '93.184.215.14', family: 4 }],
  });
  for (const host of ['intranet.example', 'metadata.example', 'v6.example', 'split.example']) {
    await assert.rejects(checkWebhookUrl(`https://${host}/hook`, { policy: PUBLIC_ONLY, resolveHost }), code(64501), host);
  }
  assert.equal(await checkWebhookUrl('https://public.example/hook?x=1', { policy: PUBLIC_ONLY, resolveHost }), 'https://public.example/hook?x=1');
  const refused = await checkWebhookUrl('https://metadata.example/', { policy: PUBLIC_ONLY, resolveHost }).catch((err: unknown) => err);
  assert.match(asWireError(refused)?.message ?? '', /link-local/);
  assert.deepEqual(asWireError(refused)?.details, { range: 'linkLocal' });
});

test('a name that does not resolve yet, or resolves slowly, is accepted (delivery checks again)', async () => {
  assert.equal(await checkWebhookUrl('https://not-deployed-yet.example/hook', { policy: PUBLIC_ONLY, resolveHost: dns({}) }), 'https://not-deployed-yet.example/hook');
  const never: ResolveHost = () => new Promise(() => undefined);
  assert.equal(await checkWebhookUrl('https://slow.example/hook', { policy: PUBLIC_ONLY, resolveHost: never, lookupTimeoutMs: 20 }), 'https://slow.example/hook');
});

test('with loopback allowed, loopback URLs are accepted but 0.0.0.0 and private addresses are not', async () => {
  const policy = { allowLoopback: true, allowedNetworks: [] };
  for (const url of ['http://127.0.0.1:4000/hook', 'http://127.1/hook', 'http://[::1]/hook', 'http://[::ffff:127.0.0.1]/hook', 'http://localhost:3000/hook']) {
    const resolveHost = dns({ localhost: [{ address: '127.0.0.1', family: 4 }] });
    assert.equal(typeof (await checkWebhookUrl(url, { policy, resolveHost })), 'string', url);
  }
  for (const url of ['http://0.0.0.0:4000/hook', 'http://[::]/hook', 'http://10.0.0.5/hook', 'http://169.254.169.254/']) {
    await assert.rejects(checkWebhookUrl(url, { policy, resolveHost: noDns }), code(64501), url);
  }
});

test('malformed URLs are still 60200', async () => {
  for (const url of ['ftp://example.com/hook', 'not a url', 'http://user:pass@example.com/hook', 'file:///etc/passwd', 'gopher://127.0.0.1:6379/_INFO']) {
    await assert.rejects(checkWebhookUrl(url, { policy: PUBLIC_ONLY, resolveHost: noDns }), code(60200), url);
  }
});

test('a URL with a #fragment is refused with 60200: receivers never see it, so X-Twilio-Signature over the URL could not validate', async () => {
  const resolveHost = dns({ 'public.example': [{ address: '93.184.215.14', family: 4 }] });
  for (const url of ['https://public.example/hook#x', 'https://public.example/hook?a=1#', 'https://public.example/#rc=3']) {
    await assert.rejects(checkWebhookUrl(url, { policy: PUBLIC_ONLY, resolveHost }), code(60200), url);
  }
});
