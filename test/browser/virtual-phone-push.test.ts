import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { digestOf } from '../../src/factors/push/push-protocol.ts';
import { chromiumMissing, launchChromium, screenshotFolder, watchPage } from '../support/browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

const IDENTITY = 'user-0000-0042';

/** The virtual phone as a push authenticator (docs/push.md), in a real browser against a real Verity. */
describe('virtual phone push authenticator', { skip: chromiumMissing }, () => {
  const screenshots = screenshotFolder('virtual-phone-push', 'virtual phone push');
  let v: TestVerity;
  let browser: Browser;
  let page: Page;
  let serviceSid: string;
  let factorSid: string;
  let token: string;
  const problems: string[] = [];

  /** Screenshots at 1280 and 375 px, axe-clean, no sideways scroll (issue 17). */
  const shot = async (name: string) => checkAndShoot(page, screenshots, name);
  const challengePath = (sid = '') => `/v2/Services/${serviceSid}/Entities/${IDENTITY}/Challenges${sid ? `/${sid}` : ''}`;
  const createChallenge = async (message: string, fields: Array<{ label: string; value: string }>) => {
    const created = await v.api('POST', challengePath(), {
      FactorSid: factorSid,
      'Details.Message': message,
      'Details.Fields': fields.map((field) => JSON.stringify(field)),
      HiddenDetails: JSON.stringify({ ip: '203.0.113.9', ua: 'Firefox on Linux' }),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body as { sid: string; number_match: string | null };
  };

  before(async () => {
    v = await startVerity();
    serviceSid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Acme Bank' })).body.sid as string;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 412, height: 915 } });
    watchPage(page, problems);
  });
  after(async () => {
    await browser?.close();
    await v?.close();
  });

  it('computes the same details digest (RFC 8785 canonical JSON, SHA-256) as Verity', async () => {
    await page.goto(`${v.url}/phone`);
    const values = [
      { message: 'Pay €1,250.00?', date: null, fields: [{ label: 'Payee', value: 'Ünïcødé "quoted" \\ ✓ 😀' }] },
      { z: 'last', a: 'first', é: 'e-acute', '😀': 'astral', 'e\u0301': 'combining', '\uff21': 'fullwidth A, after the astral key in UTF-16 order', B: 'upper', '10': 'ten', '9': 'nine' },
      { nested: { b: [1, 'two', null, { d: true, c: false }], a: [] }, empty: {} },
    ];
    const inPage = await page.evaluate(async (vals) => {
      const modulePath = '/phone/push-protocol.js';
      const { digestOf } = await import(modulePath);
      return Promise.all(vals.map((value: unknown) => digestOf(value)));
    }, values);
    assert.deepEqual(inPage, values.map((value) => digestOf(value)));
  });

  it('enrolls with an enrollment token, with a non-extractable key, and verifies the factor', async () => {
    const access = await v.api('POST', `/v2/Services/${serviceSid}/AccessTokens`, { Identity: IDENTITY, FactorType: 'push', FactorFriendlyName: 'Virtual phone' });
    assert.equal(access.status, 201, JSON.stringify(access.body));
    token = access.body.token as string;

    await page.goto(`${v.url}/phone`);
    await page.waitForSelector('body[data-push-ready="true"]');
    // The Push tab: enrolled devices and the enrollment form (pending requests show in the notifications).
    await page.click('#tab-push');
    assert.equal(await page.locator('#push-empty').isVisible(), true);
    await page.locator('#push').scrollIntoViewIfNeeded();
    await shot('1-empty');

    await page.fill('#push-token', token);
    await page.click('#push-form button[type="submit"]');
    const factor = page.locator('#push-factors li.push-factor[data-status="verified"]');
    await factor.waitFor({ timeout: 10_000 });
    await factor.locator('.stream-status', { hasText: 'Live' }).waitFor({ timeout: 10_000 });
    factorSid = (await factor.getAttribute('data-sid'))!;
    assert.match(factorSid, /^YF[0-9a-f]{32}$/);
    assert.equal(await page.inputValue('#push-token'), '');

    const listed = await v.api('GET', `/v2/Services/${serviceSid}/Entities/${IDENTITY}/Factors`);
    const push = (listed.body.factors as Array<{ sid: string; factor_type: string; status: string }>).find((f) => f.sid === factorSid);
    assert.equal(push?.factor_type, 'push');
    assert.equal(push?.status, 'verified');
    await page.locator('#push').scrollIntoViewIfNeeded();
    await shot('2-enrolled');

    const key = await page.evaluate(async (sid) => {
      const modulePath = '/phone/push-store.js';
      const { getFactor } = await import(modulePath);
      const stored = await getFactor(sid);
      const { privateKey, publicKey } = stored.keys as CryptoKeyPair;
      const exported = await crypto.subtle.exportKey('pkcs8', privateKey).then(
        () => 'exported',
        (error: Error) => error.name,
      );
      return { extractable: privateKey.extractable, type: privateKey.type, curve: (privateKey.algorithm as EcKeyAlgorithm).namedCurve, usages: privateKey.usages, publicType: publicKey.type, exported };
    }, factorSid);
    assert.deepEqual(key, { extractable: false, type: 'private', curve: 'P-256', usages: ['sign'], publicType: 'public', exported: 'InvalidAccessError' });
  });

  it('refuses a second use of the same enrollment token', async () => {
    await page.fill('#push-token', token);
    await page.click('#push-form button[type="submit"]');
    await page.locator('#push-error').filter({ hasText: /./ }).waitFor({ timeout: 5_000 });
    assert.equal(await page.getAttribute('#push-token', 'aria-invalid'), 'true');
    assert.equal(await page.locator('#push-factors li.push-factor').count(), 1);
    await page.fill('#push-token', '');
  });

  it('shows a challenge live with its fields and approves it with the matching number', async () => {
    const created = await createChallenge('Approve the transfer?', [
      { label: 'Amount', value: '€1,250.00' },
      { label: 'Payee', value: 'Acme Ltd · IBAN DE89 3704 0044 0532 0130 00' },
    ]);
    assert.match(created.number_match ?? '', /^\d{2}$/);
    const item = page.locator(`#push-challenges li.push-challenge[data-sid="${created.sid}"]`);
    await item.waitFor({ timeout: 5_000 });
    assert.equal(await item.locator('h3').innerText(), 'Approve the transfer?');
    const fields = await item.locator('dl.push-fields').first().innerText();
    assert.match(fields, /Amount\s+€1,250\.00/);
    assert.match(fields, /Payee\s+Acme Ltd/);
    assert.match(await item.locator('.push-expiry').innerText(), /Expires at .* \(in \d+ s\)/);
    assert.equal(await page.locator('#push-empty').isVisible(), false);
    await item.scrollIntoViewIfNeeded();
    await shot('3-challenge-pending');

    // Approving needs the number shown on the login page.
    await item.locator('button.approve').click();
    assert.match(await item.locator('.error').innerText(), /two-digit number/);
    assert.equal(await item.getAttribute('data-status'), 'pending');

    await item.locator('summary').click();
    assert.match(await item.locator('details').innerText(), /203\.0\.113\.9/);
    await item.locator('input.push-number').fill(created.number_match!);
    await shot('4-number-entered');
    await item.locator('button.approve').click();
    await page.waitForSelector(`#push-challenges li.push-challenge[data-sid="${created.sid}"][data-status="approved"]`, { timeout: 5_000 });
    const fetched = await v.api('GET', challengePath(created.sid));
    assert.equal(fetched.body.status, 'approved');
    await shot('5-approved');
  });

  it('denies a second challenge', async () => {
    const created = await createChallenge('Log in to Acme Bank?', [{ label: 'Location', value: 'Lisbon, PT' }]);
    const item = page.locator(`#push-challenges li.push-challenge[data-sid="${created.sid}"]`);
    await item.waitFor({ timeout: 5_000 });
    await item.locator('button.deny').click();
    await page.waitForSelector(`#push-challenges li.push-challenge[data-sid="${created.sid}"][data-status="denied"]`, { timeout: 5_000 });
    const fetched = await v.api('GET', challengePath(created.sid));
    assert.equal(fetched.body.status, 'denied');
    await item.scrollIntoViewIfNeeded();
    await shot('6-denied');
  });

  it('keeps the factor across a reload and lists challenges already pending', async () => {
    const created = await createChallenge('Sign in on a new laptop?', [{ label: 'Device', value: 'ThinkPad X1' }]);
    await page.reload();
    await page.waitForSelector(`#push-factors li.push-factor[data-sid="${factorSid}"][data-status="verified"]`);
    const item = page.locator(`#push-challenges li.push-challenge[data-sid="${created.sid}"]`);
    await item.waitFor({ timeout: 5_000 });
    // Only the pending one: answered challenges are not shown again.
    assert.equal(await page.locator('#push-challenges li.push-challenge').count(), 1);
    // A wrong number denies the challenge: the sign of a login the user did not start.
    const wrong = String((Number(created.number_match) + 1) % 90 + 10);
    await item.locator('input.push-number').fill(wrong);
    await item.locator('button.approve').click();
    await page.waitForSelector(`#push-challenges li.push-challenge[data-sid="${created.sid}"][data-status="denied"]`, { timeout: 5_000 });
    assert.match(await item.locator('.push-outcome').innerText(), /did not match/);
    assert.equal((await v.api('GET', challengePath(created.sid))).body.status, 'denied');
    await item.scrollIntoViewIfNeeded();
    await shot('7-wrong-number');
  });

  it('raised no script errors or CSP violations (beyond the refused reused token)', () => {
    assert.deepEqual(
      problems.filter((p) => !/Failed to load resource: the server responded with a status of 401/.test(p)),
      [],
    );
    assert.ok(problems.length <= 1, problems.join('\n'));
  });
});
