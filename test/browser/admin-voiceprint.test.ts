import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { OperatingPointsFile } from '../../src/factors/voiceprint/operating-points.ts';
import { chromiumMissing, launchChromium, screenshotFolder } from '../support/browser.ts';
import { openConsolePage, signInThroughForm } from '../support/console-browser.ts';
import { checkAndShoot } from '../support/page-checks.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** Made-up numbers in the bench's format (a test fixture, not a measurement: its protocol says so on the page). */
const fixture = (backend: string): OperatingPointsFile => ({
  format: 'verity-voiceprint-operating-points/1',
  backend,
  measured: '2026-12-07',
  protocol: 'test fixture, not a measurement',
  conditions: [
    { name: 'wideband', label: 'Microphone (16 kHz), unseen speakers', targetTrials: 600, impostorTrials: 1200, gateRejectedGenuine: 0.04, eer: 0.09, eerThreshold: 0.6, curve: [{ threshold: 0, far: 0.25, frr: 0.02 }, { threshold: 0.5, far: 0.1, frr: 0.08 }, { threshold: 1, far: 0.001, frr: 0.3 }] },
    { name: 'phone', label: 'Phone call (8 kHz), unseen speakers', targetTrials: 800, impostorTrials: 1600, gateRejectedGenuine: 0.03, eer: 0.12, eerThreshold: 0.4, curve: [{ threshold: 0, far: 0.3, frr: 0.05 }, { threshold: 1, far: 0.01, frr: 0.4 }] },
  ],
});

/**
 * The console's voiceprint panel in Chromium: the service page shows that voiceprints are on, the
 * model, the service's threshold and the FAR/FRR measured there per condition with trial counts and
 * the warning; the settings form changes the threshold (a post with Chromium's real Origin) and shows
 * the numbers at the new one.
 */
describe('voiceprint FAR/FRR in the admin console, in a browser', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('admin-voiceprint', 'admin console: voiceprint error rates');
  let v: TestVerity;
  let browser: Browser;

  before(async () => {
    v = await startVerity({ voiceprintOperatingPoints: async (backend) => ({ kind: 'measured', file: fixture(backend ?? 'none') }) });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
  });

  it('shows the measured FAR and FRR at the service\'s threshold, and at a new one after the settings form', async () => {
    const service = await v.api('POST', '/v2/Services', { FriendlyName: 'Voice bank', 'Voiceprint.Threshold': '0.5' });
    const sid = service.body.sid as string;
    const { page, problems, posts } = await openConsolePage(browser);
    await signInThroughForm(page, v, `/admin/services/${sid}`);

    const panel = page.locator('section[aria-labelledby="voiceprint"]');
    const text = await panel.innerText();
    assert.match(text, /Voiceprint factors\s+on/);
    assert.match(text, /Threshold\s+0\.5 \(Voiceprint\.Threshold\)/);
    const wideband = await panel.getByRole('row', { name: /Microphone/ }).innerText();
    assert.match(wideband, /10\.0 %\s+≈ 120 of 1,200/, 'FAR at a measured threshold');
    assert.match(wideband, /8\.0 %\s+≈ 48 of 600/, 'FRR at a measured threshold');
    assert.match(await panel.getByRole('row', { name: /Phone call/ }).innerText(), /15\.5 %.*22\.5 %/s, 'interpolated between 0 and 1');
    assert.match(text, /never a sole authenticator/);
    await panel.scrollIntoViewIfNeeded();
    await checkAndShoot(page, folder, 'service-page');

    await page.getByRole('link', { name: 'settings', exact: true }).click();
    await page.waitForURL(new RegExp(`/admin/services/${sid}/settings`));
    await page.getByLabel('Voiceprint decision threshold').fill('1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL(`${v.url}/admin/services/${sid}/settings?done=saved`);
    const save = posts.find((p) => p.url() === `${v.url}/admin/services/${sid}/settings`);
    assert.equal((await save?.allHeaders())?.origin, new URL(v.url).origin, 'Chromium\'s real Origin');
    const measured = await page.locator('.voiceprint-measured').innerText();
    assert.match(measured, /Saved threshold: 1\. Measured there:/);
    // 0.1 % of 1,200 impostor trials is ≈ 1 accept, below what 1,200 trials can show (3 / 1,200 = 0.25 %).
    assert.match(measured, /0\.10 %\s+≈ 1 of 1,200\s+Below 0\.25 %: not demonstrable with 1,200 impostor trials\./);
    await page.getByLabel('Voiceprint decision threshold').scrollIntoViewIfNeeded();
    await checkAndShoot(page, folder, 'settings-threshold');

    // The mode and audio retention, which the API sets, are set here too.
    assert.equal(await page.getByLabel('What new voiceprints say').inputValue(), 'pass_phrase');
    assert.equal(await page.getByLabel('Keep the audio of enrolments and attempts (sealed)').isChecked(), false);
    await page.getByLabel('What new voiceprints say').selectOption('digits');
    await page.getByLabel('Keep the audio of enrolments and attempts (sealed)').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL(`${v.url}/admin/services/${sid}/settings?done=saved`);
    const saved = (await v.api('GET', `/v2/Services/${sid}`)).body.voiceprint as { mode: string; retain_audio: boolean; threshold: number };
    assert.deepEqual({ mode: saved.mode, retain_audio: saved.retain_audio, threshold: saved.threshold }, { mode: 'digits', retain_audio: true, threshold: 1 });
    assert.equal(await page.getByLabel('What new voiceprints say').inputValue(), 'digits');
    await page.getByLabel('What new voiceprints say').scrollIntoViewIfNeeded();
    await checkAndShoot(page, folder, 'settings-mode');
    assert.deepEqual(problems, []);
  });
});

/** VERITY_VOICEPRINT=off: the service page says so, and how to turn voiceprints on. */
describe('voiceprints off in the admin console, in a browser', { skip: chromiumMissing }, () => {
  const folder = screenshotFolder('admin-voiceprint-off', 'admin console: voiceprints off');
  let v: TestVerity;
  let browser: Browser;

  before(async () => {
    v = await startVerity({ env: { VERITY_VOICEPRINT: 'off' } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await v?.close();
  });

  it('says voiceprints are off on the service page', async () => {
    const sid = (await v.api('POST', '/v2/Services', { FriendlyName: 'Voice bank' })).body.sid as string;
    const { page, problems } = await openConsolePage(browser);
    await signInThroughForm(page, v, `/admin/services/${sid}`);
    const panel = page.locator('section[aria-labelledby="voiceprint"]');
    assert.match(await panel.innerText(), /Voiceprint factors are off on this server \(VERITY_VOICEPRINT=off\)\. .*set VERITY_VOICEPRINT=on and restart\./s);
    await panel.scrollIntoViewIfNeeded();
    await checkAndShoot(page, folder, 'service-page');
    assert.deepEqual(problems, []);
  });
});
