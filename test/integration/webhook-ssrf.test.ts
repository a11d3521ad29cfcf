import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/config.ts';
import { loadVerityConfig } from '../../src/providers/registry.ts';
import type { ResolvedAddress } from '../../src/net/resolve-outbound-target.ts';
import { REFUSED_WEBHOOK_URLS } from '../support/ssrf-targets.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { startReceiver, type Receiver } from '../support/test-helpers.ts';

/**
 * Security finding 4 (SSRF through webhook URLs), attacked through the API of a running Verity with
 * the production policy (no loopback): registration refuses every internal spelling with 64501, and
 * a name rebound to 127.0.0.1 after registration is not connected to at delivery. DNS is injected.
 */
describe('webhook URLs cannot reach internal addresses (SSRF)', () => {
  let v: TestVerity;
  let receiver: Receiver;
  let serviceSid: string;
  const answers = new Map<string, ResolvedAddress[]>([
    ['intranet.example.test', [{ address: '10.0.0.5', family: 4 }]],
    ['loopback.example.test', [{ address: '127.0.0.1', family: 4 }]],
    ['rebind.example.test', [{ address: '93.184.215.14', family: 4 }]],
    ['public.example.test', [{ address: '93.184.215.14', family: 4 }]],
  ]);

  before(async () => {
    v = await startVerity({
      env: { VERITY_WEBHOOK_ALLOW_LOOPBACK: 'false' },
      resolveHost: async (hostname) => {
        const found = answers.get(hostname);
        if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        return found;
      },
    });
    receiver = await startReceiver();
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'SSRF' })).body.sid as string;
  });
  after(async () => {
    await v.close();
    await receiver.close();
  });

  const create = (url: string) => v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'probe', EventTypes: '*', WebhookUrl: url });

  it('refuses every loopback, metadata, private, CGNAT, multicast and unspecified spelling with 64501, on create and on update', async () => {
    const accepted = await create('https://public.example.test/hook');
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    const path = `/v2/Services/${serviceSid}/Webhooks/${accepted.body.sid as string}`;

    for (const url of [...REFUSED_WEBHOOK_URLS, `http://intranet.example.test/hook`, `http://loopback.example.test:${new URL(receiver.url).port}/hook`]) {
      const created = await create(url);
      assert.equal(created.status, 400, `${url}: ${JSON.stringify(created.body)}`);
      assert.equal(created.body.code, 64501, url);
      assert.match(created.body.message, /WebhookUrl/);
      assert.match(created.body.more_info, /\/docs\/errors#64501$/);

      const updated = await v.api('POST', path, { WebhookUrl: url });
      assert.equal(updated.status, 400, url);
      assert.equal(updated.body.code, 64501, url);
    }
    assert.equal((await v.api('GET', path)).body.webhook_url, 'https://public.example.test/hook', 'a refused update changes nothing');
    const listed = (await v.api('GET', `/v2/Services/${serviceSid}/Webhooks`)).body.webhooks as unknown[];
    assert.equal(listed.length, 1, 'no refused URL was stored');
  });

  it('checks the address where it always did: after FriendlyName, EventTypes and the URL\'s shape, before Status and Version', async () => {
    const accepted = await create('https://public.example.test/hook');
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    const path = `/v2/Services/${serviceSid}/Webhooks/${accepted.body.sid as string}`;
    const webhooks = `/v2/Services/${serviceSid}/Webhooks`;
    const refused = 'http://10.0.0.5/hook';

    const cases: Array<[string, string, Record<string, string>, number, RegExp]> = [
      ['create: refused address + bad Status', webhooks, { FriendlyName: 'probe', EventTypes: '*', WebhookUrl: refused, Status: 'paused' }, 64501, /WebhookUrl/],
      ['create: refused address + bad Version', webhooks, { FriendlyName: 'probe', EventTypes: '*', WebhookUrl: refused, Version: 'v3' }, 64501, /WebhookUrl/],
      ['update: refused address + bad Status', path, { WebhookUrl: refused, Status: 'paused' }, 64501, /WebhookUrl/],
      ['update: refused address + bad Version', path, { WebhookUrl: refused, Version: 'v3' }, 64501, /WebhookUrl/],
      ['create: missing FriendlyName + refused address', webhooks, { EventTypes: '*', WebhookUrl: refused, Status: 'paused' }, 60200, /FriendlyName/],
      ['create: unknown EventTypes + refused address', webhooks, { FriendlyName: 'probe', EventTypes: 'nope', WebhookUrl: refused }, 60200, /EventTypes/],
      ['update: bad FriendlyName + refused address', path, { FriendlyName: 'x'.repeat(65), WebhookUrl: refused, Status: 'paused' }, 60200, /FriendlyName/],
      ['create: public address + bad Status', webhooks, { FriendlyName: 'probe', EventTypes: '*', WebhookUrl: 'https://public.example.test/other', Status: 'paused' }, 60200, /Status/],
      ['update: public address + bad Version', path, { WebhookUrl: 'https://public.example.test/other', Version: 'v3' }, 60200, /Version/],
    ];
    for (const [name, url, body, code, message] of cases) {
      const answer = await v.api('POST', url, body);
      assert.equal(answer.status, 400, `${name}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.code, code, `${name}: ${JSON.stringify(answer.body)}`);
      assert.match(answer.body.message, message, name);
    }
    assert.equal((await v.api('GET', path)).body.webhook_url, 'https://public.example.test/hook', 'a refused update changes nothing');
    await v.api('DELETE', path);
  });

  it('DNS rebinding: a name public at registration and 127.0.0.1 at delivery is not connected to; the stored reason is generic', { timeout: 20_000 }, async () => {
    const url = `http://rebind.example.test:${new URL(receiver.url).port}/hook`;
    const hook = await create(url);
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    answers.set('rebind.example.test', [{ address: '127.0.0.1', family: 4 }]);

    await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: '+14155550190', Channel: 'sms' });
    const db = v.ctx.db.kysely;
    let delivery: { attempts: number; last_error: string | null } | undefined;
    for (let i = 0; i < 200 && !(delivery && delivery.attempts > 0); i++) {
      delivery = await db.selectFrom('webhook_deliveries').select(['attempts', 'last_error']).where('webhook_sid', '=', hook.body.sid as string).executeTakeFirst();
      if (!(delivery && delivery.attempts > 0)) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(delivery?.attempts, 1, 'the dispatcher attempted the delivery');
    assert.equal(delivery?.last_error, 'refused by address policy');
    assert.equal(receiver.requests.length, 0, 'the rebound loopback receiver was reached');
  });
});

describe('the address policy settings', () => {
  it('allows loopback by default only in development; never anything else by default', () => {
    assert.deepEqual(loadVerityConfig({ NODE_ENV: 'development' }).webhooks.addressPolicy, { allowLoopback: true, allowedNetworks: [] });
    assert.deepEqual(loadVerityConfig({ NODE_ENV: 'test' }).webhooks.addressPolicy, { allowLoopback: false, allowedNetworks: [] });
    const production = loadVerityConfig({ NODE_ENV: 'production', VERITY_MASTER_KEY: 'a'.repeat(64) });
    assert.deepEqual(production.webhooks.addressPolicy, { allowLoopback: false, allowedNetworks: [] });
    assert.equal(loadVerityConfig({ NODE_ENV: 'development', VERITY_WEBHOOK_ALLOW_LOOPBACK: 'false' }).webhooks.addressPolicy.allowLoopback, false);
    assert.deepEqual(loadVerityConfig({ VERITY_WEBHOOK_ALLOWED_NETWORKS: '10.1.2.0/24, fd00:1::5' }).webhooks.addressPolicy.allowedNetworks, ['10.1.2.0/24', 'fd00:1::5']);
    assert.throws(() => loadVerityConfig({ VERITY_WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/8,intranet' }), (err: unknown) => err instanceof ConfigError && /VERITY_WEBHOOK_ALLOWED_NETWORKS: .*intranet/.test(err.message));
  });
});
