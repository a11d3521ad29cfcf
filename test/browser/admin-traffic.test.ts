import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotFolder } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { openConsolePage, signInThroughForm } from '../support/console-browser.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { waitUntil } from '../support/wait-for.ts';

const SMS_TO = '+14155550101';
const BLOCKED_TO = '+14155550109';

/**
 * The console's traffic views in Chromium, as an operator uses them (issue 17): verifications of
 * several channels made through the API (simulated carriers), the Verifications list filtered by a
 * number typed with spaces and brackets, one verification's delivery attempts, the Webhooks page
 * with deliveries that really failed (a local receiver answering 503), Retry now (the receiver sees
 * the delivery again) and Reset breaker, and the charts of the Delivery page. Every page axe-clean
 * at 1280 px and 375 px (checkAndShoot); every post with Chromium's own Origin.
 */
describe('admin console traffic views in a browser', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('admin-traffic', 'admin console: traffic');
  let v: TestVerity;
  let browser: Browser;
  let serviceSid: string;
  let receiver: Server;
  let receiverUrl: string;
  /** The receiver answers 503 until this turns false. */
  let receiverFails = true;
  const received: string[] = [];
  const verificationSids: Record<string, string> = {};

  before(async () => {
    v = await startVerity({ env: { VERITY_WEBHOOK_MAX_ATTEMPTS: '1', VERITY_WEBHOOK_ALLOW_LOOPBACK: 'true' } });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(body);
        res.writeHead(receiverFails ? 503 : 204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Demo shop' })).body.sid as string;
    const hook = await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'audit', EventTypes: 'verification.approved', WebhookUrl: `${receiverUrl}/hook` });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    for (const [to, channel] of [[SMS_TO, 'sms'], ['+14155550102', 'call'], ['+14155550103', 'whatsapp'], ['ann@example.com', 'email'], [BLOCKED_TO, 'sms']] as const) {
      const created = await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: channel });
      assert.equal(created.status, 201, `${channel}: ${JSON.stringify(created.body)}`);
      verificationSids[channel === 'sms' && to === BLOCKED_TO ? 'blocked' : channel] = created.body.sid as string;
    }
    for (const to of [SMS_TO, 'ann@example.com']) assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: await v.lastCode(to) })).body.status, 'approved');
    // Wrong codes until the verification ends max_attempts_reached: the blocks chart counts it.
    for (let i = 0; i < 10; i++) {
      const check = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: BLOCKED_TO, Code: '000000' });
      if (check.status !== 200) break;
    }
    // A send the fraud guard refuses (a country outside a service's list): the blocks chart counts it.
    const usOnly = (await v.api('POST', '/v2/Services', { FriendlyName: 'US only', AllowedCountries: 'US' })).body.sid as string;
    assert.equal((await v.api('POST', `/v2/Services/${usOnly}/Verifications`, { To: '+4915112345678', Channel: 'sms' })).body.code, 60605);
    await v.ctx.sendGate.refusalsRecorded();
    // Real failed deliveries: the receiver answered 503 and one attempt is all there is.
    await waitUntil('both deliveries failed', async () => {
      const rows = await v.ctx.db.kysely.selectFrom('webhook_deliveries').select('status').execute();
      return rows.length === 2 && rows.every((r) => r.status === 'failed');
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
    receiver?.close();
  });

  it('walks verifications, a verification\'s attempts, webhooks with Retry now and Reset breaker, and the charts', async () => {
    const { context, page, problems, posts } = await openConsolePage(browser);

    // Sign in through the real form, from a link to the Verifications section.
    await signInThroughForm(page, v, '/admin/verifications');
    const rows = page.locator('tbody tr[data-sid]');
    assert.equal(await rows.count(), 5);
    assert.deepEqual((await page.locator('tbody tr[data-sid]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-channel')))).sort(), ['call', 'email', 'sms', 'sms', 'whatsapp']);
    await checkAndShoot(page, folder, 'verifications');

    // A number typed as people type it finds the verification stored in E.164.
    await page.getByLabel('Number or e-mail (or its start)').fill('+1 (415) 555-0101');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/to=/);
    assert.equal(await rows.count(), 1);
    assert.match(await page.locator('.note', { hasText: 'normalised' }).innerText(), /\+14155550101/);
    await page.getByLabel('Channel').selectOption('email');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/channel=email/);
    assert.match(await page.locator('main').innerText(), /No verification matches these filters/);
    await checkAndShoot(page, folder, 'verifications-filtered');

    // One verification: its events and the delivery status of each attempt.
    await page.goto(`${v.url}/admin/verifications`);
    await page.getByRole('link', { name: SMS_TO, exact: true }).click();
    await page.waitForURL(`${v.url}/admin/verifications/${verificationSids.sms}`);
    const attempts = page.locator('ol.timeline > li.attempt');
    assert.ok((await attempts.count()) >= 1, 'an attempt is shown');
    assert.match(await attempts.first().innerText(), /Attempt 1 via \S+\s+(sent|delivered)/);
    assert.ok((await page.locator('ol.history li').count()) >= 1, 'the status history is shown');
    assert.deepEqual(await page.locator('.event-list li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-type'))), ['verification.pending', 'verification.approved']);
    await checkAndShoot(page, folder, 'verification-detail');

    // Webhooks: the endpoint, its two failed deliveries; Retry now sends one again and the receiver sees it.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL(`${v.url}/admin/webhooks`);
    assert.match(await page.locator('li[data-webhook]').innerText(), /audit\s+enabled[\s\S]*Demo shop[\s\S]*Breaker\s+closed[\s\S]*Failed\s+2\s+Delivered\s+0/);
    assert.equal(await page.getByRole('button', { name: 'Retry now' }).count(), 2);
    await checkAndShoot(page, folder, 'webhooks');
    receiverFails = false;
    const before = received.length;
    await page.getByRole('button', { name: 'Retry now' }).first().click();
    await page.waitForURL(`${v.url}/admin/webhooks?done=requeued`);
    assert.match(await page.getByRole('status').innerText(), /queued again/);
    await waitUntil('the receiver got the delivery again', () => received.length > before);
    await waitUntil('the delivery is delivered', async () => (await v.ctx.db.kysely.selectFrom('webhook_deliveries').select('status').where('status', '=', 'delivered').execute()).length === 1);
    await page.reload();
    assert.equal(await page.locator('tr[data-status="delivered"]').count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Retry now' }).count(), 1, 'one failed delivery is left');
    assert.equal((await v.ctx.db.kysely.selectFrom('admin_audit_log').select('action').where('action', '=', 'webhook_delivery.retry').execute()).length, 1, 'audited');

    // A tripped breaker (as five failures in a row leave it) is reset from the page.
    const webhookSid = (await v.ctx.db.kysely.selectFrom('webhooks').select('sid').executeTakeFirstOrThrow()).sid;
    await v.ctx.db.kysely.updateTable('webhooks').set({ breaker_failures: 1, breaker_open_until: Date.now() + 600_000 } as never).where('sid', '=', webhookSid).execute();
    await page.reload();
    assert.equal(await page.locator(`li[data-webhook="${webhookSid}"]`).getAttribute('data-breaker'), 'open');
    await checkAndShoot(page, folder, 'webhooks-breaker-open');
    await page.getByRole('button', { name: 'Reset breaker' }).click();
    await page.waitForURL(`${v.url}/admin/webhooks?done=breaker-reset`);
    assert.equal(await page.locator(`li[data-webhook="${webhookSid}"]`).getAttribute('data-breaker'), 'closed');
    await checkAndShoot(page, folder, 'webhooks-after-actions');

    // The charts on the Delivery page: labelled axes, round ticks, 0–100 % for rates.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Delivery' }).click();
    await page.waitForURL(`${v.url}/admin/delivery`);
    for (const id of ['chart-provider-rate', 'chart-country-rate', 'chart-conversion', 'chart-blocks']) {
      assert.equal(await page.locator(`svg[data-chart="${id}"]`).count(), 1, id);
    }
    const ticks = await page.locator('svg[data-chart="chart-provider-rate"] .chart-tick').allTextContents();
    assert.deepEqual(ticks, ['0%', '25%', '50%', '75%', '100%']);
    assert.deepEqual(await page.locator('svg[data-chart="chart-conversion"] .chart-axis-label').allTextContents(), ['Day (UTC)', 'Approved (%)']);
    assert.ok((await page.locator('svg[data-chart="chart-blocks"] rect.chart-bar').count()) >= 1, 'a refused send is drawn');
    await checkAndShoot(page, folder, 'delivery-charts');

    // Every post carried Chromium's real Origin and Sec-Fetch-Site: same-origin.
    assert.equal(posts.length, 3, posts.map((p) => p.url()).join(', '));
    for (const post of posts) {
      const headers = await post.allHeaders();
      assert.equal(headers.origin, new URL(v.url).origin, post.url());
      assert.equal(headers['sec-fetch-site'], 'same-origin', post.url());
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
});
