import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_BRAND, demoLogoPng } from '../../demo/brand.ts';
import { buildHandoffRequestUrl } from '../../packages/sdk/src/handoff.ts';
import { totp } from '../../src/factors/totp/otp.ts';
import { base32Decode } from '../../src/factors/totp/otpauth-uri.ts';
import { ringLogo, SCRIPTED_SVG } from '../handoff/branding-support.ts';
import { chromiumMissing, screenshotFolder } from '../support/browser.ts';
import { handoffInBrowser } from '../support/handoff-browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import type { TestVerity } from '../support/start-verity.ts';

const OPTIONS = { algorithm: 'sha1', digits: 6, period: 30, skew: 1 } as const;

/** The background colours of the page's buttons (computed), to find the brand's on the primary one. */
const buttonColours = (page: Page): Promise<Array<{ text: string; background: string; color: string }>> =>
  page.locator('main button, main .button').evaluateAll((els) => els.map((el) => ({ text: (el as HTMLElement).innerText.trim(), background: getComputedStyle(el).backgroundColor, color: getComputedStyle(el).color })));

/** Hand-off client branding on the hosted pages (issue 17; docs/handoff.md, "Branding"). */
describe('hand-off client branding in Chromium', { skip: chromiumMissing }, () => {
  const suite = handoffInBrowser('handoff-branding', 'hand-off branding');
  const folder = screenshotFolder('handoff-branding');

  /** A service, a branded client, a user with a TOTP factor: the hand-off URL that opens the chooser. */
  async function brandedHandoff(v: TestVerity, returnUrl: string, branding: Record<string, string>): Promise<{ url: string; clientSid: string; serviceSid: string; body: Record<string, any> }> {
    const clock = v.clock as NonNullable<TestVerity['clock']>;
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Bank' })).body.sid as string;
    const created = await v.api('POST', `/v2/Services/${serviceSid}/HandoffClients`, { FriendlyName: 'Demo Bank', ReturnUrl: returnUrl, ...branding });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const identity = 'user-brand-1';
    const factor = await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors`, { FriendlyName: 'Phone app', FactorType: 'totp' });
    await v.api('POST', `/v2/Services/${serviceSid}/Entities/${identity}/Factors/${factor.body.sid as string}`, { AuthPayload: totp(base32Decode(factor.body.binding.secret as string), clock.now(), OPTIONS) });
    const url = await buildHandoffRequestUrl({ verityUrl: v.url, clientSid: created.body.sid, secret: created.body.secret, subject: identity, state: 'brand-state', returnTo: returnUrl, factors: ['totp', 'recovery_code'], now: clock.now() });
    return { url, clientSid: created.body.sid, serviceSid, body: created.body };
  }

  it('shows a dark brand: logo, name, help link, the primary button in the brand colour; axe-clean at 1280 and 375 px', async () => {
    const { v, page, returnUrl, problems } = suite;
    // Demo Bank's own branding (demo/brand.ts): the look the demo's hop keeps.
    const { url, body } = await brandedHandoff(v, returnUrl, { PrimaryColor: DEMO_BRAND.primaryColor, BackgroundColor: DEMO_BRAND.backgroundColor, SupportUrl: 'https://bank.example/help', Logo: demoLogoPng().toString('base64') });
    await page.goto(url);

    const img = page.locator('.brand-bar img.brand-logo');
    assert.equal(await img.count(), 1);
    assert.equal(new URL(await img.evaluate((el) => (el as HTMLImageElement).src)).href, body.branding.logo_url);
    assert.equal(await img.getAttribute('alt'), '', 'the name is written beside it');
    assert.ok((await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)) === 64, 'the logo loaded (img-src \'self\')');
    assert.equal((await page.locator('.brand-bar .brand-name').innerText()).trim(), 'Demo Bank');
    const help = page.locator('.brand-bar a.brand-support');
    assert.equal((await help.innerText()).trim(), 'Help');
    assert.equal(await help.getAttribute('href'), 'https://bank.example/help');

    const buttons = await buttonColours(page);
    assert.ok(buttons.some((b) => b.background === 'rgb(15, 61, 46)' && b.color === 'rgb(255, 255, 255)'), `a primary button in the brand colour with white text: ${JSON.stringify(buttons)}`);
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--page-bg').trim()), '#f6f1e6');
    await checkAndShoot(page, folder, '01-dark-brand-chooser');
    assert.deepEqual(problems, []);
  });

  it('chooses near-black text on a light yellow brand, and stays axe-clean', async () => {
    const { v, page, returnUrl, problems } = suite;
    const { url } = await brandedHandoff(v, returnUrl, { PrimaryColor: '#ffe066' });
    await page.goto(url);
    assert.equal(await page.locator('.brand-bar img').count(), 0, 'no logo, no image');
    assert.equal(await page.locator('.brand-support').count(), 0, 'no support URL, no link');
    const buttons = await buttonColours(page);
    assert.ok(buttons.some((b) => b.background === 'rgb(255, 224, 102)' && b.color === 'rgb(17, 17, 17)'), `a yellow primary button with near-black text: ${JSON.stringify(buttons)}`);
    await checkAndShoot(page, folder, '02-yellow-brand-chooser');
    assert.deepEqual(problems, []);
  });

  it('shows the help link in the page\'s language (de)', async () => {
    const { v, page, returnUrl, problems } = suite;
    const { url } = await brandedHandoff(v, returnUrl, { PrimaryColor: '#5b21b6', SupportUrl: 'https://bank.example/hilfe' });
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'de' });
    try {
      await page.goto(url);
      assert.equal((await page.locator('.brand-support').innerText()).trim(), 'Hilfe');
      await checkAndShoot(page, folder, '03-purple-brand-de');
    } finally {
      await page.setExtraHTTPHeaders({});
    }
    assert.deepEqual(problems, []);
  });

  it('refuses an impossible colour pair, an SVG and an oversized logo; serves the logo with nosniff and its exact type', async () => {
    const { v, returnUrl } = suite;
    const serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Bank' })).body.sid as string;
    const create = (extra: Record<string, string>) => v.api('POST', `/v2/Services/${serviceSid}/HandoffClients`, { FriendlyName: 'Refused', ReturnUrl: returnUrl, ...extra });
    const pair = await create({ PrimaryColor: '#0b57d0', BackgroundColor: '#222222' });
    assert.deepEqual([pair.status, pair.body.code], [400, 64130]);
    const svg = await create({ Logo: Buffer.from(SCRIPTED_SVG).toString('base64') });
    assert.deepEqual([svg.status, svg.body.code], [400, 64131]);
    const big = await create({ Logo: Buffer.concat([ringLogo(16, [0, 0, 0], [255, 255, 255]), Buffer.alloc(70_000)]).toString('base64') });
    assert.deepEqual([big.status, big.body.code], [400, 64131]);

    const good = await create({ Logo: ringLogo(16, [0, 0, 0], [255, 255, 255]).toString('base64') });
    const image = await fetch(good.body.branding.logo_url as string);
    assert.equal(image.headers.get('content-type'), 'image/png');
    assert.equal(image.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(image.headers.get('content-security-policy'), "default-src 'none'");
  });
});
