import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium, screenshotFolder, watchPage } from '../support/browser.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { cspDirectives } from '../support/csp.ts';

/** /docs (Swagger UI) and /docs/errors: rendered under their CSP with no violation, and never inside another site's frame. */
describe('API docs pages in a browser', { skip: chromiumMissing }, () => {
  const { shot } = screenshotFolder('docs', 'API docs');
  let v: TestVerity;
  let browser: Browser;

  before(async () => {
    v = await startVerity();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
  });

  it('sends a CSP, X-Frame-Options DENY and nosniff on the UI, its assets and the errors page', async () => {
    for (const path of ['/docs', '/docs/', '/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-initializer.js', '/docs/json', '/docs/errors']) {
      const response = await fetch(`${v.url}${path}`);
      await response.arrayBuffer();
      assert.ok(response.status < 400, `${path} answered ${response.status}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      const directives = cspDirectives(csp);
      assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], `${path}: ${csp}`);
      assert.deepEqual(directives.get('default-src'), ["'none'"], `${path}: ${csp}`);
      assert.doesNotMatch((directives.get('script-src') ?? []).join(' '), /'unsafe-(inline|eval)'/, `${path}: ${csp}`);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
    }
  });

  it('renders Swagger UI with every operation and no CSP violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    watchPage(page, problems, { failedResponses: 'all' });
    await page.goto(`${v.url}/docs`);
    // The tags appear only once the UI's scripts ran and fetched the document; they start collapsed
    // (docExpansion 'none': rendering all ~170 operations at once kept Chromium busy for minutes).
    const tags = ((await (await fetch(`${v.url}/openapi.json`)).json()) as { tags: { name: string }[] }).tags.map((t) => t.name);
    await page.locator('.opblock-tag').first().waitFor();
    await page.waitForFunction((count) => document.querySelectorAll('.opblock-tag').length >= count, tags.length);
    assert.deepEqual(await page.locator('.opblock-tag').evaluateAll((sections) => sections.map((s) => s.getAttribute('data-tag'))), tags, 'every tag is listed, in order');
    assert.equal(await page.locator('.info .title').first().isVisible(), true);
    // Opening a tag lists its operations; opening an operation shows its parameters and responses.
    await page.locator('.opblock-tag', { hasText: 'Service Rate Limits' }).first().click();
    await page.locator('.opblock').first().waitFor();
    assert.ok((await page.locator('.opblock').count()) >= 5, 'the tag\'s operations are listed');
    await page.locator('.opblock').first().click();
    await page.locator('.opblock-body').first().waitFor();
    await shot(page, 'swagger-ui');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('renders the error-codes page with its style and no CSP violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    watchPage(page, problems, { failedResponses: 'all' });
    await page.goto(`${v.url}/docs/errors#60200`);
    assert.equal(await page.locator('tr[id="60200"]').count(), 1);
    // The inline style sheet applied: the targeted row is highlighted.
    assert.equal(await page.locator('tr[id="60200"]').evaluate((row) => getComputedStyle(row).backgroundColor), 'rgb(255, 248, 197)');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('refuses to be framed by another site', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // An attacker's page on another origin (another port) frames both pages.
    const attacker = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><iframe src="${v.url}/docs/"></iframe><iframe src="${v.url}/docs/errors"></iframe>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      await page.waitForLoadState('load');
      const frames = page.frames().slice(1);
      assert.equal(frames.length, 2);
      for (const frame of frames) {
        // Chromium puts its own error page in place of a frame the response forbids; under load the
        // error page may commit after the parent's load event, so wait for it (a rendered docs page
        // never gets that URL, and the count below still checks nothing of it is inside).
        await frame.waitForURL(/^chrome-error:/, { timeout: 15_000 }).catch(() => undefined);
        assert.match(frame.url(), /^chrome-error:/, `a docs page rendered inside another site's frame: ${frame.url()}`);
        assert.equal(await frame.locator('#swagger-ui, table').count(), 0, 'nothing of the docs pages inside the frame');
      }
    } finally {
      await context.close();
      attacker.closeAllConnections();
      attacker.close();
    }
  });
});
