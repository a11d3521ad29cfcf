import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/account-credentials.ts';
import { barChart } from '../../src/admin/charts/bar-chart.ts';
import { dayChart } from '../../src/admin/charts/day-chart.ts';
import { labelEvery, niceTicks } from '../../src/admin/charts/ticks.ts';
import { breakerState, canRetryNow } from '../../src/admin/webhooks-pages.ts';
import { DATABASES, startVerity, type TestVerity } from '../support/start-verity.ts';
import { waitUntil } from '../support/wait-for.ts';
import { ConsoleClient } from './console-client.ts';

describe('admin charts', () => {
  it('ticks are round, start at 0 and reach the maximum', () => {
    assert.deepEqual(niceTicks(1), [0, 1]);
    assert.deepEqual(niceTicks(4), [0, 1, 2, 3, 4]);
    assert.deepEqual(niceTicks(7), [0, 2, 4, 6, 8]);
    assert.deepEqual(niceTicks(93), [0, 25, 50, 75, 100]);
    assert.deepEqual(niceTicks(1234), [0, 500, 1000, 1500]);
    assert.deepEqual(niceTicks(0), [0, 1]);
    assert.deepEqual(niceTicks(0.3), [0, 0.1, 0.2, 0.3]);
    assert.equal(labelEvery(24, 46), 2);
    assert.equal(labelEvery(60, 46), 1);
  });

  it('a day chart labels its axes, thins dates so they never overlap, and has a data table', () => {
    const days = Array.from({ length: 14 }, (_, i) => `2026-12-${String(i + 1).padStart(2, '0')}`);
    const svg = dayChart({ id: 'c', title: 'Conversion <b>', description: 'd', kind: 'line', unit: '%', axisLabel: 'Approved (%)', days, series: [{ name: 's', values: days.map((_, i) => (i === 3 ? null : i * 7)) }], columns: ['Day', 'Value'], rows: [['2026-12-01', 1]] }).value;
    assert.match(svg, /role="img" aria-labelledby="c-title c-desc"/);
    assert.match(svg, /<title id="c-title">Conversion &lt;b&gt;<\/title>/);
    assert.match(svg, /<details class="chart-data"><summary>Data table<\/summary>/);
    const ticks = [...svg.matchAll(/class="chart-tick" x="([\d.]+)" y="([\d.]+)" text-anchor="(end|middle)">([^<]+)</g)];
    assert.deepEqual(ticks.filter((t) => t[3] === 'end').map((t) => t[4]), ['0%', '25%', '50%', '75%', '100%']);
    const dates = ticks.filter((t) => t[3] === 'middle');
    assert.equal(dates.at(-1)?.[4], '12-14', 'the newest day is labelled');
    for (let i = 1; i < dates.length; i++) assert.ok(Number(dates[i]?.[1]) - Number(dates[i - 1]?.[1]) >= 46, 'labels at least a label apart');
    assert.equal((svg.match(/<polyline/g) ?? []).length, 2, 'the line breaks where a day has no value');
    assert.match(svg, />Day \(UTC\)</);
  });

  it('a bar chart runs rates 0–100 % and says when it has nothing to draw', () => {
    const svg = barChart({ id: 'b', title: 't', description: 'd', unit: '%', axisLabel: 'Delivered (%)', bars: [{ label: 'sim-a', value: 50, detail: '1/2' }, { label: 'sim-b', value: null }], columns: ['Provider'], rows: [] }).value;
    assert.deepEqual([...svg.matchAll(/class="chart-tick"[^>]*>([^<]+)</g)].map((m) => m[1]), ['0%', '25%', '50%', '75%', '100%']);
    assert.match(svg, /50% \(1\/2\)/);
    assert.match(svg, /no data/);
    const empty = barChart({ id: 'e', title: 't', description: 'd', unit: '%', axisLabel: 'x', bars: [], columns: [], rows: [], empty: 'Nothing here.' }).value;
    assert.match(empty, /<p class="empty">Nothing here.<\/p>/);
    assert.doesNotMatch(empty, /<svg/);
  });

  it('Retry now is offered for failed deliveries and those backing off, never for one being sent', () => {
    const now = 1_000_000;
    assert.equal(canRetryNow({ status: 'failed', next_attempt_at: 0, lease_until: 0 }, now), true);
    assert.equal(canRetryNow({ status: 'pending', next_attempt_at: now + 5_000, lease_until: 0 }, now), true);
    assert.equal(canRetryNow({ status: 'pending', next_attempt_at: now + 5_000, lease_until: now + 1 }, now), false);
    assert.equal(canRetryNow({ status: 'pending', next_attempt_at: now, lease_until: 0 }, now), false, 'already due');
    assert.equal(canRetryNow({ status: 'delivered', next_attempt_at: 0, lease_until: 0 }, now), false);
    assert.equal(breakerState({ breaker_failures: 0, breaker_open_until: 0 }, now), 'closed');
    assert.equal(breakerState({ breaker_failures: 2, breaker_open_until: now + 1 }, now), 'open');
    assert.equal(breakerState({ breaker_failures: 2, breaker_open_until: now - 1 }, now), 'probing');
  });
});

/**
 * The traffic views over HTTP as a browser uses them (ConsoleClient), on each database: filters
 * (the number normalised as the API does), another account's rows never shown or acted on, and the
 * two webhook actions (Retry now on a failed and on a backing-off delivery, Reset breaker) with
 * their 303s, audit entries, and the same-origin and CSRF refusals.
 */
for (const database of DATABASES) {
  describe(`admin console: traffic (${database.name})`, () => {
    let v: TestVerity;
    let serviceSid: string;
    let browser: ConsoleClient;
    let otherBrowser: ConsoleClient;
    const sids: Record<string, string> = {};
    let receiver: Server;

    before(async () => {
      v = await startVerity({ ...(database.postgresUrl ? { postgresUrl: database.postgresUrl } : {}), env: { VERITY_WEBHOOK_MAX_ATTEMPTS: '1', VERITY_WEBHOOK_ALLOW_LOOPBACK: 'true' } });
      // A receiver that always fails: every delivery fails at its one attempt.
      receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(503).end()));
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Shop' })).body.sid as string;
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'hook', EventTypes: 'verification.pending', WebhookUrl: url })).status, 201);
      for (const [to, channel] of [['+14155550101', 'sms'], ['+14155550102', 'call'], ['ann@example.com', 'email']] as const) {
        sids[channel] = (await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: channel })).body.sid as string;
      }
      await waitUntil('the deliveries failed', async () => {
        const rows = await v.ctx.db.kysely.selectFrom('webhook_deliveries').select('status').execute();
        return rows.length === 3 && rows.every((r) => r.status === 'failed');
      }, { timeoutMs: 20_000 });
      browser = new ConsoleClient(v.url);
      assert.equal((await browser.signIn(v.accountSid, v.authToken)).status, 303);
      const other = await createAccount(v.ctx.stores, v.ctx.keyring, 'Other', v.ctx.clock.now());
      otherBrowser = new ConsoleClient(v.url);
      assert.equal((await otherBrowser.signIn(other.account.sid, other.authToken)).status, 303);
    });
    after(async () => {
      await v?.close();
      receiver?.close();
    });

    const rowsOf = (text: string) => [...text.matchAll(/<tr data-sid="(VE[0-9a-f]{32})" data-channel="(\w+)"/g)].map((m) => m[2]);

    it('lists every channel, filters by a number typed with spaces and brackets, and by channel and status', async () => {
      assert.deepEqual(rowsOf((await browser.get('/admin/verifications')).text).sort(), ['call', 'email', 'sms']);
      const typed = await browser.get(`/admin/verifications?to=${encodeURIComponent('+1 (415) 555-0101')}`);
      assert.deepEqual(rowsOf(typed.text), ['sms']);
      assert.match(typed.text, /Searching for <code>\+14155550101<\/code>/);
      assert.deepEqual(rowsOf((await browser.get(`/admin/verifications?to=${encodeURIComponent('+1 415 555')}`)).text).sort(), ['call', 'sms'], 'a prefix');
      assert.deepEqual(rowsOf((await browser.get('/admin/verifications?to=ANN%40')).text), ['email'], 'e-mail, lower-cased');
      assert.deepEqual(rowsOf((await browser.get('/admin/verifications?channel=call')).text), ['call']);
      assert.deepEqual(rowsOf((await browser.get('/admin/verifications?status=approved')).text), []);
      // Unknown filter values widen the list rather than fail.
      assert.deepEqual(rowsOf((await browser.get('/admin/verifications?status=nope&service=VA0&channel=%3Cx%3E&page=abc')).text).length, 3);
      assert.deepEqual(rowsOf((await otherBrowser.get('/admin/verifications')).text), [], 'another account sees none');
    });

    it('shows a verification\'s attempts and events, and nothing of another account\'s', async () => {
      const page = await browser.get(`/admin/verifications/${sids.sms}`);
      assert.equal(page.status, 200);
      assert.match(page.text, /Attempt 1 via <strong>simulator<\/strong>/);
      assert.match(page.text, /<li data-type="verification.pending">/);
      assert.equal((await otherBrowser.get(`/admin/verifications/${sids.sms}`)).status, 404);
      assert.equal((await browser.get('/admin/verifications/not-a-sid')).status, 404);
    });

    it('retries a failed delivery and one backing off, resets a breaker, each audited; refuses other accounts and foreign posts', async () => {
      const page = await browser.get('/admin/webhooks');
      assert.equal(page.status, 200);
      const csrf = ConsoleClient.csrfOf(page);
      const deliveries = await v.ctx.db.kysely.selectFrom('webhook_deliveries').select(['sid', 'webhook_sid']).orderBy('date_created').execute();
      const [failed, backingOff, third] = deliveries.map((d) => d.sid);
      assert.ok(failed && backingOff && third, 'three deliveries');
      const webhookSid = deliveries[0]?.webhook_sid as string;
      assert.equal((page.text.match(/<button type="submit">Retry now</g) ?? []).length, 3);

      // Not from this console: refused before anything else (no Origin, no Sec-Fetch-Site).
      const foreign = await browser.post(`/admin/webhooks/deliveries/${failed}/retry`, { csrf_token: csrf }, { origin: null, 'sec-fetch-site': null });
      assert.equal(foreign.status, 403);
      assert.equal((await browser.post(`/admin/webhooks/deliveries/${failed}/retry`, { csrf_token: 'wrong' })).status, 403);
      // Another account's operator cannot retry it.
      const otherCsrf = ConsoleClient.csrfOf(await otherBrowser.get('/admin/webhooks'));
      assert.equal((await otherBrowser.post(`/admin/webhooks/deliveries/${failed}/retry`, { csrf_token: otherCsrf })).location, '/admin/webhooks?done=not-retried');

      const retried = await browser.post(`/admin/webhooks/deliveries/${failed}/retry`, { csrf_token: csrf });
      assert.equal(retried.status, 303);
      assert.equal(retried.location, '/admin/webhooks?done=requeued');
      const row = await v.ctx.db.kysely.selectFrom('webhook_deliveries').select(['status', 'attempts']).where('sid', '=', failed).executeTakeFirstOrThrow();
      assert.ok(row.status === 'pending' || row.attempts === 1, 'queued again (or already tried again)');

      // A delivery waiting out its back-off is made due now, its attempts kept.
      const later = v.ctx.clock.now() + 3_600_000;
      await v.ctx.db.kysely.updateTable('webhook_deliveries').set({ status: 'pending', attempts: 3, next_attempt_at: later, lease_until: 0 }).where('sid', '=', backingOff).execute();
      assert.equal((await browser.post(`/admin/webhooks/deliveries/${backingOff}/retry`, { csrf_token: csrf })).location, '/admin/webhooks?done=hurried');
      const hurried = await v.ctx.db.kysely.selectFrom('webhook_deliveries').select(['next_attempt_at', 'attempts']).where('sid', '=', backingOff).executeTakeFirstOrThrow();
      assert.ok(Number(hurried.next_attempt_at) < later, 'due now');
      // One being sent right now (a live lease) is left alone.
      await v.ctx.db.kysely.updateTable('webhook_deliveries').set({ status: 'pending', next_attempt_at: later, lease_until: later }).where('sid', '=', third).execute();
      assert.equal((await browser.post(`/admin/webhooks/deliveries/${third}/retry`, { csrf_token: csrf })).location, '/admin/webhooks?done=not-retried');

      // A tripped breaker: closed from the console; another account cannot.
      await v.ctx.db.kysely.updateTable('webhooks').set({ breaker_failures: 2, breaker_open_until: later } as never).where('sid', '=', webhookSid).execute();
      assert.match((await browser.get('/admin/webhooks')).text, /data-breaker="open"/);
      assert.equal((await otherBrowser.post(`/admin/webhooks/${webhookSid}/breaker/reset`, { csrf_token: otherCsrf })).location, '/admin/webhooks?done=breaker-not-reset');
      assert.equal((await browser.post(`/admin/webhooks/${webhookSid}/breaker/reset`, { csrf_token: csrf })).location, '/admin/webhooks?done=breaker-reset');
      const after = await browser.get('/admin/webhooks?done=breaker-reset');
      assert.match(after.text, /data-breaker="closed"/);
      assert.match(after.text, /The breaker is closed/);

      const audit = await v.ctx.db.kysely.selectFrom('admin_audit_log').selectAll().where('account_sid', '=', v.accountSid).execute();
      const actions = audit.map((a) => (a as { action: string }).action).filter((a) => a.startsWith('webhook'));
      assert.deepEqual(actions.sort(), ['webhook.breaker_reset', 'webhook_delivery.retry', 'webhook_delivery.retry']);
    });

    it('draws the charts on the Delivery page with labelled axes', async () => {
      // A rate needs an attempt that ended (the simulator reports the e-mail's delivery after a moment).
      await waitUntil('an attempt ended', async () => (await v.ctx.db.kysely.selectFrom('delivery_attempts').select('sid').where('date_final', 'is not', null).execute()).length > 0, { timeoutMs: 20_000 });
      const page = await browser.get('/admin/delivery');
      assert.equal(page.status, 200);
      for (const id of ['chart-provider-rate', 'chart-country-rate', 'chart-conversion', 'chart-blocks']) assert.match(page.text, new RegExp(`id="${id}"`), id);
      assert.match(page.text, /Delivered \(%\)/);
      assert.match(page.text, /Sends refused by the fraud guard per day/);
    });
  });
}
