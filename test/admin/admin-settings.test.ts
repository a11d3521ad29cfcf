import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { ConsoleClient } from './console-client.ts';
import { formFields, withField } from './form-fields.ts';

/**
 * The console's service settings form (/admin/services/{sid}/settings): the API's checks (its zod
 * schema, then the service rules), each refusal at its field, nothing saved on a refusal, a 303 and
 * an audit entry naming the changed fields (not their values) on success.
 */
for (const database of DATABASES) {
  describe(`admin console: service settings (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let browser: ConsoleClient;
    let path: string;

    before(async () => {
      v = await startVerity(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {});
      const created = await v.api('POST', '/v2/Services', { FriendlyName: 'Shop' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      serviceSid = created.body.sid as string;
      path = `/admin/services/${serviceSid}/settings`;
      browser = new ConsoleClient(v.url);
      assert.equal((await browser.signIn(v.accountSid, v.authToken)).status, 303);
    });
    after(async () => v?.close());

    const form = async () => {
      const page = await browser.get(path);
      assert.equal(page.status, 200);
      return formFields(page.text, path);
    };

    it('shows the service\'s settings in a form named by the API\'s parameters', async () => {
      const page = await browser.get(path);
      assert.equal(page.status, 200);
      assert.match(page.text, /<h1>Settings of Shop<\/h1>/);
      assert.match(page.text, /name="CodeLength" value="6"/);
      assert.match(page.text, /aria-current="page"[^>]*><svg[^]*?Overview/);
      const fields = await form();
      assert.equal(fields.get('FriendlyName'), 'Shop');
      assert.deepEqual(fields.getAll('EnabledChannels').sort(), ['call', 'email', 'flashcall', 'sms', 'whatsapp']);
      assert.equal(fields.get('Voiceprint.Mode'), 'pass_phrase', 'a select posts its selected option');
    });

    it('refuses what the API refuses, at the field, and saves nothing', async () => {
      const fields = await form();
      const bad = withField(withField(fields, 'CodeLength', '12'), 'CodeExpirySeconds', 'soon');
      const refused = await browser.post(path, bad);
      assert.equal(refused.status, 400);
      assert.match(refused.text, /id="f-CodeLength"[^>]*aria-invalid="true"[^>]*aria-describedby="f-CodeLength-hint f-CodeLength-error"/);
      assert.match(refused.text, /<p class="field-error" id="f-CodeLength-error">Expected an integer from 4 to 10\.<\/p>/);
      assert.match(refused.text, /<p class="field-error" id="f-CodeExpirySeconds-error">Expected an integer from 120 to 86400\.<\/p>/);
      assert.match(refused.text, /role="alert"[^]*Nothing was saved/);
      // The typed values stay in the form.
      assert.match(refused.text, /name="CodeLength" value="12"/);
      // The domain rules too (friendly-name content, countries): the API's service code.
      const link = await browser.post(path, withField(fields, 'FriendlyName', 'Visit www.example.com'));
      assert.equal(link.status, 400);
      assert.match(link.text, /id="f-FriendlyName-error"/);
      const country = await browser.post(path, withField(fields, 'AllowedCountries', 'US, XX'));
      assert.equal(country.status, 400);
      assert.match(country.text, /id="f-AllowedCountries-error">Unknown ISO 3166-1 alpha-2 codes: XX\.</);
      const api = await v.api('GET', `/v2/Services/${serviceSid}`);
      assert.equal(api.body.code_length, 6);
      assert.equal(api.body.friendly_name, 'Shop');
    });

    it('saves the changed settings (303), as the API would, and audits the field names only', async () => {
      let fields = withField(await form(), 'CodeLength', '8');
      fields = withField(fields, 'AllowedCountries', 'us, de');
      fields = withField(fields, 'LookupEnabled', 'true');
      const saved = await browser.post(path, fields);
      assert.equal(saved.status, 303);
      assert.equal(saved.location, `${path}?done=saved`);
      const api = await v.api('GET', `/v2/Services/${serviceSid}`);
      assert.equal(api.body.code_length, 8);
      assert.deepEqual(api.body.allowed_countries, ['DE', 'US']);
      assert.equal(api.body.lookup_enabled, true);
      assert.match((await browser.get(`${path}?done=saved`)).text, /Settings saved/);

      const { rows } = await v.ctx.stores.adminAudit.list(v.accountSid, { action: 'service.update', page: 0 });
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.target_sid, serviceSid);
      assert.match(rows[0]?.actor ?? '', /^AS[0-9a-f]{32}$/);
      assert.deepEqual(JSON.parse(rows[0]?.detail ?? '{}'), { fields: 'CodeLength, AllowedCountries, LookupEnabled' });
      assert.doesNotMatch(rows[0]?.detail ?? '', /DE|US|8/);
    });

    it('turns a checkbox off, and saves nothing when nothing changed', async () => {
      const off = await browser.post(path, withField(await form(), 'LookupEnabled', undefined));
      assert.equal(off.status, 303);
      assert.equal((await v.api('GET', `/v2/Services/${serviceSid}`)).body.lookup_enabled, false);
      const same = await browser.post(path, await form());
      assert.equal(same.location, `${path}?done=unchanged`);
    });

    it('refuses a form shown before a later change (409), and a post from another origin (403)', async () => {
      const stale = await form();
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}`, { TtsName: 'Shop voice' })).status, 200);
      const refused = await browser.post(path, withField(stale, 'CodeLength', '5'));
      assert.equal(refused.status, 409);
      assert.match(refused.text, /changed elsewhere/);
      const cross = await browser.post(path, withField(await form(), 'CodeLength', '5'), { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
      assert.equal(cross.status, 403);
      assert.equal((await v.api('GET', `/v2/Services/${serviceSid}`)).body.code_length, 8);
    });

    it('answers 404 for another account\'s or a malformed service', async () => {
      assert.equal((await browser.get('/admin/services/VA00000000000000000000000000000000/settings')).status, 404);
      assert.equal((await browser.get('/admin/services/nope/settings')).status, 404);
    });
  });
}
