import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brandStylesheetPath } from '../../src/handoff/handoff-clients.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { ringLogo, SCRIPTED_SVG } from './branding-support.ts';
import { createService, RETURN_URL } from './handoff-support.ts';

/** Hand-off client branding through the API (issue 17; docs/handoff.md, "Branding"), on each database. */
for (const database of DATABASES) {
  describe(`hand-off client branding (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    before(async () => {
      v = await startVerity(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {});
      serviceSid = await createService(v);
    });
    after(async () => v.close());

    const path = () => `/v2/Services/${serviceSid}/HandoffClients`;
    const logo = ringLogo(48, [0x0f, 0x3d, 0x2e], [0xd9, 0xa8, 0x4a]);

    it('creates a client with its branding, serves its logo and stylesheet, updates and clears them', async () => {
      const created = await v.api('POST', path(), { FriendlyName: 'Bank', ReturnUrl: RETURN_URL, PrimaryColor: '#0F3D2E', BackgroundColor: '#f6f1e6', SupportUrl: 'https://bank.example/help', Logo: logo.toString('base64') });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const { sid, branding } = created.body;
      assert.deepEqual({ ...branding, logo_url: undefined }, { primary_color: '#0f3d2e', background_color: '#f6f1e6', support_url: 'https://bank.example/help', logo_url: undefined });
      assert.match(branding.logo_url, new RegExp(`^${v.url}/handoff/brand/${sid}/logo/[0-9a-f]{16}$`));

      const image = await fetch(branding.logo_url);
      assert.equal(image.status, 200);
      assert.equal(image.headers.get('content-type'), 'image/png');
      assert.equal(image.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(image.headers.get('content-security-policy'), "default-src 'none'");
      assert.match(image.headers.get('cache-control') ?? '', /max-age=31536000, immutable/);
      assert.ok(Buffer.from(await image.arrayBuffer()).equals(logo), 'the stored bytes, unchanged');

      const row = await v.ctx.stores.handoffClients.get(sid);
      assert.ok(row, 'the client row');
      const css = await fetch(`${v.url}${brandStylesheetPath(row)}`);
      assert.equal(css.status, 200);
      assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
      const text = await css.text();
      assert.deepEqual([...new Set([...text.matchAll(/(--[a-z-]+):/g)].map((m) => m[1]))].sort(), ['--accent', '--accent-link', '--accent-text', '--page-bg']);
      assert.match(text, /--accent: #0f3d2e;/);
      assert.match(text, /--accent-text: #ffffff;/);

      const fetched = await v.api('GET', `${path()}/${sid}`);
      assert.deepEqual(fetched.body.branding, branding);

      const yellow = await v.api('POST', `${path()}/${sid}`, { PrimaryColor: '#ffe066', BackgroundColor: '' });
      assert.equal(yellow.status, 200, JSON.stringify(yellow.body));
      assert.deepEqual([yellow.body.branding.primary_color, yellow.body.branding.background_color, yellow.body.branding.logo_url, yellow.body.friendly_name], ['#ffe066', null, branding.logo_url, 'Bank']);
      const yellowRow = await v.ctx.stores.handoffClients.get(sid);
      assert.ok(yellowRow, 'the client row');
      assert.match(await (await fetch(`${v.url}${brandStylesheetPath(yellowRow)}`)).text(), /--accent-text: #111111;/, 'near-black text on light yellow');

      const renamed = await v.api('POST', `${path()}/${sid}`, { FriendlyName: 'Bank Two', ClearLogo: 'true', SupportUrl: '' });
      assert.equal(renamed.status, 200);
      assert.deepEqual([renamed.body.friendly_name, renamed.body.branding.logo_url, renamed.body.branding.support_url], ['Bank Two', null, null]);
      assert.equal((await fetch(branding.logo_url)).status, 404);
      assert.equal(await v.ctx.stores.handoffClients.getLogo(sid), undefined);
    });

    it('refuses colours that cannot meet AA with 64130, and bad logos with 64131', async () => {
      const refusals: Array<[Record<string, string>, number, RegExp]> = [
        [{ PrimaryColor: '#7a7a7a' }, 64130, /PrimaryColor/],
        [{ PrimaryColor: '#0b57d0', BackgroundColor: '#333333' }, 64130, /BackgroundColor/],
        [{ PrimaryColor: '#0b57d0', Logo: Buffer.from(SCRIPTED_SVG).toString('base64') }, 64131, /not SVG/],
        [{ Logo: Buffer.concat([logo, Buffer.alloc(64 * 1024)]).toString('base64') }, 64131, /64 KB/],
        [{ Logo: 'not an image' }, 64131, /base64/],
        [{ PrimaryColor: 'red' }, 60200, /PrimaryColor/],
        [{ BackgroundColor: '#ffffff' }, 60200, /BackgroundColor/],
        [{ SupportUrl: 'http://bank.example/help' }, 60200, /SupportUrl/],
        [{ SupportUrl: 'javascript:alert(1)' }, 60200, /SupportUrl/],
        [{ Logo: logo.toString('base64'), ClearLogo: 'true' }, 60200, /ClearLogo/],
      ];
      const target = await v.api('POST', path(), { FriendlyName: 'Target', ReturnUrl: RETURN_URL });
      for (const [params, code, message] of refusals) {
        const created = await v.api('POST', path(), { FriendlyName: 'Refused', ReturnUrl: RETURN_URL, ...params });
        assert.equal(created.status, 400, JSON.stringify(params));
        assert.equal(created.body.code, code, JSON.stringify(created.body));
        assert.match(created.body.message, message);
        const updated = await v.api('POST', `${path()}/${target.body.sid}`, params);
        assert.equal(updated.body.code, code, `update ${JSON.stringify(params)}`);
      }
      assert.equal((await v.api('GET', `${path()}/${target.body.sid}`)).body.branding.primary_color, null, 'a refused update changed nothing');
      assert.equal((await v.api('POST', `${path()}/HC${'0'.repeat(32)}`, { PrimaryColor: '#000000' })).status, 404);
      assert.equal((await fetch(`${v.url}/handoff/brand/${target.body.sid}/0123456789abcdef.css`)).status, 404, 'no colours, no stylesheet');
      assert.equal((await fetch(`${v.url}/handoff/brand/../../etc/passwd/logo/x`)).status, 404);
    });

    it('deletes the logo with its client', async () => {
      const created = await v.api('POST', path(), { FriendlyName: 'Gone', ReturnUrl: RETURN_URL, Logo: logo.toString('base64') });
      assert.equal(created.status, 201);
      assert.equal((await v.api('DELETE', `${path()}/${created.body.sid}`)).status, 204);
      assert.equal(await v.ctx.stores.handoffClients.getLogo(created.body.sid), undefined);
      assert.equal((await fetch(created.body.branding.logo_url)).status, 404);
    });
  });
}
