import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { basic } from '../support/test-helpers.ts';

const TOKEN = 'm'.repeat(24) + '0123456789abcdef';
const PRODUCTION = {
  NODE_ENV: 'production',
  VERITY_MASTER_KEY: 'ab'.repeat(32),
  VERITY_SMS_PROVIDER: 'none',
  VERITY_VOICE_PROVIDER: 'none',
  VERITY_EMAIL_PROVIDER: 'none',
};

const get = (v: TestVerity, headers: Record<string, string> = {}) => fetch(`${v.url}/metrics`, { headers });

describe('/metrics in production without VERITY_METRICS_TOKEN', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ env: PRODUCTION });
  });
  after(async () => v.close());

  it('is not served, not even to loopback or with the account credentials', async () => {
    for (const headers of [{}, { authorization: basic(v.accountSid, v.authToken) }, { authorization: 'Bearer anything' }] as Array<Record<string, string>>) {
      const response = await get(v, headers);
      assert.equal(response.status, 404);
      const body = (await response.json()) as { code: number };
      assert.equal(body.code, 20404);
    }
    // The rest of the operations surface is unchanged.
    assert.equal((await fetch(`${v.url}/healthz`)).status, 200);
  });
});

for (const env of [{ NODE_ENV: 'test' }, PRODUCTION]) {
  describe(`/metrics with VERITY_METRICS_TOKEN (NODE_ENV=${env.NODE_ENV})`, () => {
    let v: TestVerity;
    before(async () => {
      v = await startVerity({ env: { ...env, VERITY_METRICS_TOKEN: TOKEN } });
    });
    after(async () => v.close());

    it('answers 401 with a Bearer challenge without the token, a wrong one, or other credentials', async () => {
      for (const headers of [
        {},
        { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
        { authorization: `Bearer ${TOKEN}x` },
        { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
        { authorization: `Basic ${Buffer.from(`metrics:${TOKEN}`).toString('base64')}` },
        { authorization: basic(v.accountSid, v.authToken) },
        { authorization: TOKEN },
      ] as Array<Record<string, string>>) {
        const response = await get(v, headers);
        assert.equal(response.status, 401, JSON.stringify(headers));
        assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="Verity metrics"');
        assert.equal(((await response.json()) as { code: number }).code, 20003);
      }
    });

    it('serves the metrics to the bearer of the token', async () => {
      const response = await get(v, { authorization: `Bearer ${TOKEN}` });
      assert.equal(response.status, 200);
      assert.match(await response.text(), /verity_http_request_duration_seconds/);
    });
  });
}

describe('VERITY_METRICS_TOKEN', () => {
  it('refuses a short token at boot', async () => {
    await assert.rejects(startVerity({ env: { VERITY_METRICS_TOKEN: 'short' } }), /VERITY_METRICS_TOKEN: must be at least 32 characters/);
  });
});

/*
 * Without a token, /metrics is for loopback clients outside production. Behind a local reverse proxy
 * every request arrives from loopback, so the TCP peer alone would open it to the whole Internet.
 */
for (const trustProxy of ['loopback', 'false']) {
  describe(`/metrics without a token behind a local reverse proxy (VERITY_TRUST_PROXY=${trustProxy})`, () => {
    let v: TestVerity;
    before(async () => {
      v = await startVerity({ env: { VERITY_TRUST_PROXY: trustProxy } });
    });
    after(async () => v.close());

    it('refuses a request the proxy forwarded from another client', async () => {
      for (const headers of [
        { 'x-forwarded-for': '8.8.8.8' },
        { 'x-forwarded-for': '127.0.0.1, 8.8.8.8' },
        { 'x-forwarded-for': '127.0.0.1' },
        { forwarded: 'for=8.8.8.8;proto=https' },
        { 'x-real-ip': '8.8.8.8' },
        { via: '1.1 proxy.example' },
      ] as Array<Record<string, string>>) {
        const response = await get(v, headers);
        assert.equal(response.status, 404, JSON.stringify(headers));
        assert.doesNotMatch(await response.text(), /verity_http_request_duration_seconds/);
      }
    });

    it('still serves a loopback client that connects directly', async () => {
      const response = await get(v);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /verity_http_request_duration_seconds/);
    });
  });
}
