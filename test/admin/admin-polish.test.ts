import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { retentionJob } from '../../src/maintenance/maintenance-jobs.ts';
import { AUDIT_RETENTION_ORDER, MaintenanceStore } from '../../src/store/maintenance-store.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { ConsoleClient } from './console-client.ts';

/**
 * Issue 17, second wave: the send gate counts its refusals per account, day, reason and country
 * (send_refusals, migration 0032) and the overview shows them (tile and chart); failed console
 * sign-ins are recorded for existing accounts only; the audit log has its own retention.
 */
const DAY = 86_400_000;

for (const database of DATABASES) {
  describe(`admin console: fraud blocks, sign-in audit, audit retention (${database.name})`, () => {
    let v: TestVerity;
    let browser: ConsoleClient;

    before(async () => {
      v = await startVerity({ ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}), env: { VERITY_FRAUD_PREFIX_MAX_SENDS: '1' } });
      browser = new ConsoleClient(v.url);
      assert.equal((await browser.signIn(v.accountSid, v.authToken)).status, 303);
    });
    after(async () => v?.close());

    it('counts a geo-permission refusal and an SMS-pumping refusal per reason and country, and shows them on the overview', async () => {
      const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Shop', AllowedCountries: 'US' })).body.sid as string;
      const geo = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: '+4915112345678', Channel: 'sms' });
      assert.equal(geo.body.code, 60605);
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: '+14155550101', Channel: 'sms' })).status, 201);
      // Same 7-digit prefix (+141555…), another number: the pumping cap (1 send) refuses it.
      const prefix = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: '+14155550102', Channel: 'sms' });
      assert.equal(prefix.body.code, 60410);
      await v.ctx.sendGate.refusalsRecorded();

      const rows = await v.ctx.db.kysely.selectFrom('send_refusals').selectAll().where('account_sid', '=', v.accountSid).orderBy('reason').execute();
      const today = Math.floor(v.ctx.clock.now() / DAY) * DAY;
      assert.deepEqual(
        rows.map((r) => ({ reason: r.reason, country: r.country, count: Number(r.count), day: Number(r.day), service: r.service_sid })),
        [
          { reason: 'geo', country: 'DE', count: 1, day: today, service: serviceSid },
          { reason: 'prefix', country: 'US', count: 1, day: today, service: serviceSid },
        ],
      );
      // A second refusal of the same kind bumps the same row.
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: '+4915112345679', Channel: 'sms' })).body.code, 60605);
      await v.ctx.sendGate.refusalsRecorded();
      const perDay = await v.ctx.stores.sendRefusals.perDay(v.accountSid, today / DAY);
      assert.deepEqual(perDay, [{ day: today / DAY, reason: 'geo', count: 2 }, { day: today / DAY, reason: 'prefix', count: 1 }]);

      const page = await browser.get('/admin');
      assert.equal(page.status, 200);
      assert.match(page.text, /<span class="stat-label">Fraud blocks<\/span><span class="stat-value">3<\/span>/);
      assert.match(page.text, /id="chart-blocks"/);
      assert.match(page.text, /data-series="Country not allowed"><rect class="chart-bar"[^>]*data-value="2"/);
      assert.match(page.text, /data-series="SMS-pumping cap"><rect class="chart-bar"[^>]*data-value="1"/);
      assert.match(page.text, /id="chart-conversion"/);
      assert.match(page.text, /id="chart-provider-rate"/);
    });

    it('never lets a failed counter write fail the refusal', async () => {
      const store = v.ctx.stores.sendRefusals;
      const original = store.increment.bind(store);
      store.increment = () => Promise.reject(new Error('disk full'));
      try {
        const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Geo', AllowedCountries: 'US' })).body.sid as string;
        const geo = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: '+4915112345670', Channel: 'sms' });
        assert.equal(geo.body.code, 60605);
        await v.ctx.sendGate.refusalsRecorded();
        assert.match(v.logs(), /could not count a send refusal/);
      } finally {
        store.increment = original;
      }
    });

    it('edits a hand-off client\'s name and branding with the API\'s checks, contrast refusals at the field, audited', async () => {
      const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Bank' })).body.sid as string;
      const created = await v.api('POST', `/v2/Services/${serviceSid}/HandoffClients`, { FriendlyName: 'Bank app', ReturnUrl: 'https://bank.example/return' });
      assert.equal(created.status, 201);
      const sid = created.body.sid as string;
      const path = `/admin/handoff-clients/${sid}`;
      const page = await browser.get(path);
      assert.match(page.text, /Edit name and branding/);
      const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '';
      const base = { csrf_token: ConsoleClient.csrfOf(page), version, FriendlyName: 'Bank app', PrimaryColor: '', BackgroundColor: '', SupportUrl: '' };

      const grey = await browser.post(path, { ...base, PrimaryColor: '#7a7a7a' });
      assert.equal(grey.status, 400);
      assert.match(grey.text, /<input id="brand-PrimaryColor" name="PrimaryColor" value="#7a7a7a"[^>]*aria-invalid="true"/);
      assert.match(grey.text, /id="brand-PrimaryColor-error">Neither white nor near-black text reaches 4.5:1 on it\./);
      const badUrl = await browser.post(path, { ...base, SupportUrl: 'http://bank.example/help' });
      assert.equal(badUrl.status, 400);
      assert.match(badUrl.text, /id="brand-SupportUrl-error">/);
      assert.equal((await v.api('GET', `/v2/Services/${serviceSid}/HandoffClients/${sid}`)).body.branding?.primary_color ?? null, null, 'nothing saved');

      const saved = await browser.post(path, { ...base, FriendlyName: 'Bank', PrimaryColor: '#0b57d0', SupportUrl: 'https://bank.example/help' });
      assert.equal(saved.status, 303);
      assert.equal(saved.location, `${path}?done=saved`);
      const api = (await v.api('GET', `/v2/Services/${serviceSid}/HandoffClients/${sid}`)).body;
      assert.equal(api.friendly_name, 'Bank');
      assert.match(JSON.stringify(api), /#0b57d0/);
      assert.match(JSON.stringify(api), /https:\/\/bank.example\/help/);
      assert.match((await browser.get(`${path}?done=saved`)).text, /role="status">Branding saved/);
      // The old form (its version is stale now) saves nothing.
      assert.equal((await browser.post(path, { ...base, PrimaryColor: '#000000' })).status, 409);
      const { rows } = await v.ctx.stores.adminAudit.list(v.accountSid, { action: 'handoff_client.update', page: 0 });
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.target_sid, sid);
      assert.equal(rows[0]?.detail, JSON.stringify({ fields: 'FriendlyName, PrimaryColor, SupportUrl' }));
      // Cross-site posts never reach the handler.
      assert.equal((await browser.post(path, { ...base, version: String(Date.now()) }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).status, 403);
    });

    it('records a failed sign-in for an existing account only', async () => {
      const ghost = `AC${'f'.repeat(32)}`;
      assert.equal((await new ConsoleClient(v.url).signIn(ghost, 'wrong-token-0123456789abcdef')).status, 400);
      assert.equal((await v.ctx.stores.adminAudit.list(ghost, { page: 0 })).rows.length, 0, 'no row under a SID that names no account');
      assert.equal((await new ConsoleClient(v.url).signIn(v.accountSid, 'wrong-token-0123456789abcdef')).status, 400);
      const { rows } = await v.ctx.stores.adminAudit.list(v.accountSid, { action: 'session.sign_in_failed', page: 0 });
      assert.equal(rows.length, 1);
    });

    it('prunes audit entries past VERITY_AUDIT_RETENTION_DAYS (default 365) and refusal counters with traffic', async () => {
      assert.equal(v.ctx.config.auditRetentionMs, 365 * DAY);
      const now = v.ctx.clock.now();
      const entry = (sid: string, age: number) => ({ sid, account_sid: v.accountSid, actor: v.accountSid, action: 'test.age', target_sid: null, detail: '{}', ip: null, date_created: now - age });
      await v.ctx.stores.adminAudit.insert(entry(`AL${'a'.repeat(32)}`, 400 * DAY));
      await v.ctx.stores.adminAudit.insert(entry(`AL${'b'.repeat(32)}`, 200 * DAY));
      const job = retentionJob('audit-retention', AUDIT_RETENTION_ORDER, () => now - v.ctx.config.auditRetentionMs);
      const store = new MaintenanceStore(v.ctx.db.kysely);
      while (await job.batch(store));
      const left = (await v.ctx.stores.adminAudit.list(v.accountSid, { action: 'test.age', page: 0 })).rows.map((r) => r.sid);
      assert.deepEqual(left, [`AL${'b'.repeat(32)}`]);

      const old = Math.floor((now - 40 * DAY) / DAY) * DAY;
      await v.ctx.db.kysely.insertInto('send_refusals').values({ account_sid: v.accountSid, day: old, service_sid: 'VA0', reason: 'geo', country: 'GB', count: 5 }).execute();
      assert.equal(await store.pruneBatch('send_refusals', now - 30 * DAY), 1);
      assert.equal((await v.ctx.db.kysely.selectFrom('send_refusals').select('day').where('day', '=', old).execute()).length, 0);
    });
  });
}
