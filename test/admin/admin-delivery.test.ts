import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { newSid } from '../../src/crypto/random.ts';
import type { DeliveryAttemptRow } from '../../src/store/schema.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { waitUntil } from '../support/wait-for.ts';
import { ConsoleClient } from './console-client.ts';

/** A provider instance name with markup: the console must escape whatever a configuration names. */
const ODD_PROVIDER = 'sim-<b>a</b>';
const DELIVERED_TO = '+14155550101';
const UNDELIVERED_TO = '+14155550199';
const UK = '+447400123456';

/**
 * The failover demo of docs/providers.md: two simulated carriers for UK numbers, the first of which
 * reports every message undelivered, so each code fails over to the second at once.
 */
const FAILOVER_DEMO = {
  instances: {
    'sim-a': { plugin: 'simulator', settings: { VERITY_SIMULATOR_DELIVERY: '*=undelivered:30006', VERITY_SIMULATOR_LATENCY_MS: '20' } },
    'sim-b': { plugin: 'simulator', settings: { VERITY_SIMULATOR_LATENCY_MS: '20' } },
  },
  routes: [{ id: 'uk-sms', channel: 'sms', prefixes: ['+44'], targets: [{ instance: 'sim-a', tier: 1 }, { instance: 'sim-b', tier: 2 }], deliveryTimeoutSeconds: 30 }],
};

/**
 * The console's delivery views (issue 13) over a real Verity and its simulated carrier: a
 * verification's attempts as a timeline (real attempts the simulator reported on, and a failover
 * written into delivery_attempts as the dispatcher writes one), and the Delivery page's rates,
 * latencies and routes, scoped to the signed-in account.
 */
for (const database of DATABASES) {
  describe(`admin console: delivery (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let browser: ConsoleClient;
    let otherBrowser: ConsoleClient;
    const verificationOf: Record<string, string> = {};
    let failoverSid: string;
    const codes: string[] = [];

    const attempts = (verificationSid: string) => v.ctx.db.kysely.selectFrom('delivery_attempts').selectAll().where('verification_sid', '=', verificationSid).execute();

    const configDir = mkdtempSync(join(tmpdir(), 'verity-admin-delivery-'));

    before(async () => {
      const configFile = join(configDir, 'messaging.json');
      writeFileSync(configFile, JSON.stringify(FAILOVER_DEMO));
      v = await startVerity({
        // Fast simulated statuses, one destination the default simulated carrier cannot reach, and the failover demo for +44.
        env: { VERITY_SIMULATOR_LATENCY_MS: '20', VERITY_SIMULATOR_DELIVERY: `${UNDELIVERED_TO}=undelivered:30006`, VERITY_MESSAGING_CONFIG: configFile },
        ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}),
      });
      serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Shop' })).body.sid as string;
      for (const to of [DELIVERED_TO, UNDELIVERED_TO]) {
        const res = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: 'sms' });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        verificationOf[to] = res.body.sid as string;
        codes.push(await v.lastCode(to));
      }
      // The simulator's receipts reach the attempts (queued → sent → delivered / undelivered).
      await waitUntil('the simulated carrier reported final statuses', async () => {
        const rows = [...(await attempts(verificationOf[DELIVERED_TO] as string)), ...(await attempts(verificationOf[UNDELIVERED_TO] as string))];
        return rows.length === 2 && rows.every((r) => r.status === 'delivered' || r.status === 'undelivered');
      });

      // The failover demo, for real: sim-a reports the code undelivered, sim-b delivers the same code.
      const uk = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: UK, Channel: 'sms' });
      assert.equal(uk.status, 201, JSON.stringify(uk.body));
      verificationOf[UK] = uk.body.sid as string;
      await waitUntil('sim-b delivered the code sim-a could not', async () => (await attempts(uk.body.sid as string)).some((r) => r.provider === 'sim-b' && r.status === 'delivered'));
      const ukMessages = await (await fetch(`${v.url}/sim/v1/inbox/${encodeURIComponent(UK)}`)).json() as { messages: Array<{ body: string; status: string }> };
      assert.deepEqual(ukMessages.messages.map((m) => m.status), ['delivered', 'undelivered']);
      assert.equal(ukMessages.messages[0]?.body, ukMessages.messages[1]?.body, 'the same code both times');
      codes.push(await v.lastCode(UK));

      // A time-out failover as the dispatcher records one, scripted (its real attempt, once delivered, is replaced).
      const created = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: '+33612345678', Channel: 'sms' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      failoverSid = created.body.sid as string;
      await waitUntil('the French code was delivered', async () => (await attempts(failoverSid)).some((r) => r.status === 'delivered'));
      const send = (created.body.send_code_attempts as Array<{ attempt_sid: string }>)[0]?.attempt_sid as string;
      const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
      const base = { account_sid: v.accountSid, service_sid: serviceSid, verification_sid: failoverSid, send_attempt_sid: send, channel: 'sms', destination_country: 'GB', route_id: 'uk-sms', parts: 1, receipts: true, message_sealed: null, deliver_by: null, lease_until: 0, version: 0 } as const;
      const timedOut: DeliveryAttemptRow = {
        ...base,
        sid: newSid('DA'),
        provider: ODD_PROVIDER,
        route_position: 0,
        provider_message_id: 'MSG-1',
        status: 'sent',
        status_history: [
          { status: 'queued', at: t0 },
          { status: 'sent', at: t0 + 400 },
        ],
        error_code: null,
        error_message: null,
        price: null,
        price_unit: null,
        failover_reason: 'timeout',
        date_created: t0,
        date_updated: t0 + 20_000,
        date_final: null,
      };
      const delivered: DeliveryAttemptRow = {
        ...base,
        sid: newSid('DA'),
        provider: 'sim-b',
        route_position: 1,
        provider_message_id: 'MSG-2',
        status: 'delivered',
        status_history: [
          { status: 'queued', at: t0 + 20_000 },
          { status: 'sent', at: t0 + 20_300 },
          { status: 'delivered', at: t0 + 21_200 },
        ],
        error_code: null,
        error_message: null,
        price: '0.0079',
        price_unit: 'USD',
        failover_reason: null,
        date_created: t0 + 20_000,
        date_updated: t0 + 21_200,
        date_final: t0 + 21_200,
      };
      // The attempts the dispatcher itself made for this send are replaced by the scripted pair.
      await v.ctx.db.kysely.deleteFrom('delivery_attempts').where('verification_sid', '=', failoverSid).execute();
      await v.ctx.stores.deliveryAttempts.insert(timedOut);
      await v.ctx.stores.deliveryAttempts.insert(delivered);

      browser = new ConsoleClient(v.url);
      assert.equal((await browser.signIn(v.accountSid, v.authToken)).status, 303);
      const other = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
      otherBrowser = new ConsoleClient(v.url);
      assert.equal((await otherBrowser.signIn(other.account.sid, other.authToken)).status, 303);
    });
    after(async () => {
      await v?.close();
      rmSync(configDir, { recursive: true, force: true });
    });

    const page = (sid: string) => `/admin/services/${serviceSid}/verifications/${sid}`;

    it('links each verification of the service page to its delivery page', async () => {
      const res = await browser.get(`/admin/services/${serviceSid}`);
      assert.equal(res.status, 200);
      for (const sid of Object.values(verificationOf)) assert.ok(res.text.includes(`href="${page(sid)}"`), `link to ${sid}`);
      assert.match(res.text, /<a href="\/admin\/delivery"><svg class="icon"[^]*?<\/svg><span>Delivery<\/span><\/a>/);
    });

    it('shows the simulated carrier\'s statuses, error and price on the timeline; never a code', async () => {
      const ok = await browser.get(page(verificationOf[DELIVERED_TO] as string));
      assert.equal(ok.status, 200);
      assert.match(ok.text, /<li class="attempt" data-status="delivered" data-provider="simulator">/);
      for (const status of ['queued', 'sent', 'delivered']) assert.match(ok.text, new RegExp(`<li data-status="${status}"><time datetime="\\d{4}-[^"]+Z">[^<]+</time> <span class="note">\\(\\+[\\d.]+ m?s\\)</span>`), status);
      assert.match(ok.text, /<dt>Price<\/dt><dd>0\.0079 USD<\/dd>/);
      assert.match(ok.text, /<code>SIM[0-9a-f]{32}<\/code>/);

      const bad = await browser.get(page(verificationOf[UNDELIVERED_TO] as string));
      assert.equal(bad.status, 200);
      assert.match(bad.text, /data-status="undelivered" data-provider="simulator"/);
      assert.match(bad.text, /<dt>Carrier error<\/dt><dd><code>30006<\/code> Landline or unreachable carrier<\/dd>/);
      assert.match(bad.text, /<li data-status="undelivered">.*error <code>30006<\/code>/);
      for (const code of codes) {
        assert.ok(!ok.text.includes(code), `code ${code} in the page`);
        assert.ok(!bad.text.includes(code), `code ${code} in the page`);
      }
      assert.doesNotMatch(ok.text, /<script/i);
    });

    it('shows the failover demo: sim-a undelivered with its error, then sim-b delivered, on route uk-sms', async () => {
      const res = await browser.get(page(verificationOf[UK] as string));
      assert.equal(res.status, 200);
      const first = res.text.indexOf('<li class="attempt" data-status="undelivered" data-provider="sim-a">');
      const second = res.text.indexOf('<li class="attempt" data-status="delivered" data-provider="sim-b">');
      assert.ok(first > 0 && second > first, 'sim-a, then sim-b');
      assert.match(res.text, /<code>uk-sms<\/code>, choice 1/);
      assert.match(res.text, /<code>uk-sms<\/code>, choice 2/);
      assert.match(res.text, /<strong>Failover:<\/strong> the carrier reported it not delivered, so it went to the next route\./);
      assert.match(res.text, /<dt>Carrier error<\/dt><dd><code>30006<\/code> Landline or unreachable carrier<\/dd>/);
      // One send of the code: both attempts are under it.
      assert.equal([...res.text.matchAll(/<section class="send">/g)].length, 1);
    });

    it('shows a failover in plan order with its reason, and escapes the provider\'s name', async () => {
      const res = await browser.get(page(failoverSid));
      assert.equal(res.status, 200);
      const first = res.text.indexOf('Attempt 1 via <strong>sim-&lt;b&gt;a&lt;/b&gt;</strong>');
      const second = res.text.indexOf('Attempt 2 via <strong>sim-b</strong>');
      assert.ok(first > 0 && second > first, 'attempt 1 (timed out) before attempt 2 (delivered)');
      assert.ok(!res.text.includes('<b>a</b>'), 'the provider name is escaped');
      assert.match(res.text, /<strong>Failover:<\/strong> no delivery report came within the route’s time-out/);
      assert.match(res.text, /<code>uk-sms<\/code>, choice 2/);
      assert.match(res.text, /<time datetime="2026-01-01T12:00:21Z">2026-01-01T12:00:21Z<\/time> <span class="note">\(\+1\.2 s\)<\/span> <span class="status s-delivered">delivered<\/span>/);
    });

    it('shows another account and malformed or unknown SIDs nothing', async () => {
      const sid = verificationOf[DELIVERED_TO] as string;
      const foreign = await otherBrowser.get(page(sid));
      assert.equal(foreign.status, 404);
      assert.ok(!foreign.text.includes(DELIVERED_TO), 'no destination of another account');
      for (const path of [page('VE' + '0'.repeat(32)), page('nope'), `/admin/services/VA${'0'.repeat(32)}/verifications/${sid}`]) {
        const res = await browser.get(path);
        assert.equal(res.status, 404, path);
        assert.doesNotMatch(res.text, /class="attempt"/);
      }
      const anonymous = await new ConsoleClient(v.url).get(page(sid));
      assert.equal(anonymous.status, 303);
      assert.equal(anonymous.location, `/admin/sign-in?next=${encodeURIComponent(page(sid))}`);
    });

    it('the Delivery page: rate and latency per provider and country, routes and health, for this account only', async () => {
      // The scripted failover is dated 2026-01-01: only a window reaching back that far counts it.
      const res = await browser.get('/admin/delivery');
      assert.equal(res.status, 200);
      assert.doesNotMatch(res.text, /<script/i);
      const row = (provider: string, country: string) => new RegExp(`<tr class="[a-z]+" data-provider="${provider}" data-country="${country}">([\\s\\S]*?)</tr>`).exec(res.text)?.[1] ?? '';
      const cells = (text: string) => [...text.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
      // simulator: two attempts to US numbers, one delivered, one undelivered (the failover send's own try was replaced above).
      assert.deepEqual(cells(row('simulator', '')).slice(0, 8), ['2', '1', '1', '0', '0', '0', '0', '50.0%']);
      assert.deepEqual(cells(row('simulator', 'US')).slice(0, 8), ['2', '1', '1', '0', '0', '0', '0', '50.0%']);
      assert.match(cells(row('simulator', 'US'))[8] ?? '', /^\d+ ms$|^\d+\.\d s$/);
      assert.deepEqual(cells(row('sim-a', 'GB')).slice(0, 8), ['1', '0', '1', '0', '0', '0', '1', '0.0%']);
      assert.deepEqual(cells(row('sim-b', 'GB')).slice(0, 8), ['1', '1', '0', '0', '0', '0', '0', '100.0%']);
      assert.match(res.text, /<tr data-route="uk-sms">/);
      assert.ok(res.text.includes('<option value="24" selected>last 24 hours</option>'), 'the default window is selected');
      // The routing table (no messaging configuration: one implicit route per channel) and the breaker the traffic opened an account of.
      assert.match(res.text, /<tr data-route="default:sms">\n<td><code>default:sms<\/code><br><span class="note">default<\/span><\/td>\n<td>sms<\/td>\n<td class="wrap">any number<\/td>\n<td class="wrap">every service<\/td>\n<td class="wrap"><ol class="targets"><li><strong>simulator<\/strong> \(simulator\) tier \d+, weight \d+<\/li><\/ol><\/td>/);
      assert.match(res.text, /<tr data-breaker="simulator:US" data-state="closed">/);

      const week = await browser.get('/admin/delivery?hours=168');
      assert.ok(week.text.includes('<option value="168" selected>last 7 days</option>'), 'the chosen window is selected');
      const odd = await browser.get('/admin/delivery?hours=<script>');
      assert.equal(odd.status, 200);
      assert.ok(odd.text.includes('<option value="24" selected>'), 'an unknown window falls back to 24 hours');

      const foreign = await otherBrowser.get('/admin/delivery');
      assert.equal(foreign.status, 200);
      assert.match(foreign.text, /No delivery attempts in the last 24 hours/);
      assert.doesNotMatch(foreign.text, /data-provider="simulator"/);
    });
  });
}
