import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OperatingPointsFile } from '../../src/factors/voiceprint/operating-points.ts';
import type { HandoffSession } from '../../src/handoff/handoff-session.ts';
import { VOICEPRINT } from '../../src/hosted-factors/voiceprint/voiceprint-factor.ts';
import { insertFactor } from '../../src/factors/factor-binding.ts';
import { ConsoleClient } from '../admin/console-client.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

/** Made-up numbers in the bench's format (a test fixture, not a measurement). */
const fixture = (backend: string): OperatingPointsFile => ({
  format: 'verity-voiceprint-operating-points/1',
  backend,
  measured: '2026-12-07',
  protocol: 'test fixture, not a measurement',
  conditions: [
    {
      name: 'phone',
      label: 'Phone call (8 kHz), unseen speakers',
      targetTrials: 800,
      impostorTrials: 1600,
      gateRejectedGenuine: 0.03,
      eer: 0.12,
      eerThreshold: 0.4,
      curve: [
        { threshold: 0, far: 0.3, frr: 0.05 },
        { threshold: 1, far: 0.01, frr: 0.4 },
      ],
    },
  ],
});

async function serviceWith(v: TestVerity, threshold?: string): Promise<string> {
  const created = await v.api('POST', '/v2/Services', { FriendlyName: 'Voice bank', ...(threshold === undefined ? {} : { 'Voiceprint.Threshold': threshold }) });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.sid as string;
}

async function consoleText(v: TestVerity, path: string): Promise<string> {
  const browser = new ConsoleClient(v.url);
  await browser.signIn(v.accountSid, v.authToken);
  const page = await browser.get(path);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  // The page's words, as a person reads them (tags out, spaces folded).
  return page.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

/** VERITY_VOICEPRINT=off: nothing loaded, every voiceprint surface says "unavailable" and how to turn it on. */
describe('voiceprints turned off (VERITY_VOICEPRINT=off)', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ env: { VERITY_VOICEPRINT: 'off' } });
  });
  after(async () => v?.close());

  it('loads no engine and says so at start, with how to enable it', () => {
    assert.equal(v.ctx.voiceprints, undefined);
    assert.equal(v.ctx.voiceprintStatus.enabled, false);
    assert.match(v.logs(), /voiceprint factors are off \(VERITY_VOICEPRINT=off\); set VERITY_VOICEPRINT=on to enable them/);
  });

  it('refuses a voiceprint factor with 60300 naming the setting', async () => {
    const sid = await serviceWith(v);
    const refused = await v.api('POST', `/v2/Services/${sid}/Entities/user-0000-0001/Factors`, { FactorType: 'voiceprint', FriendlyName: 'Voice' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 60300);
    assert.match(refused.body.message, /VERITY_VOICEPRINT=on/);
  });

  it('refuses challenges and calls of a voiceprint enrolled before it was turned off, placing no call', async () => {
    const sid = await serviceWith(v);
    const identity = 'user-0000-0002';
    // An entity with a voiceprint factor left from when voiceprints were on (stored as the engine left it).
    await v.api('POST', `/v2/Services/${sid}/Entities`, { Identity: identity });
    const service = await v.ctx.stores.services.find(v.accountSid, sid);
    const entity = await v.ctx.stores.entities.find(sid, identity);
    assert.ok(service && entity, 'service and entity exist');
    const factor = await insertFactor(v.ctx, service, entity, { factorType: 'voiceprint', friendlyName: 'Old voice', binding: '', config: {} });
    await v.ctx.stores.factors.verify(factor.sid, v.ctx.clock.now());
    const base = `/v2/Services/${sid}/Entities/${identity}`;
    const challenge = await v.api('POST', `${base}/Challenges`, { FactorSid: factor.sid });
    assert.equal(challenge.body.code, 60300, JSON.stringify(challenge.body));
    assert.match(challenge.body.message, /VERITY_VOICEPRINT=on/);
    const call = await v.api('POST', `${base}/Factors/${factor.sid}/Calls`, { To: '+14155550100' });
    assert.equal(call.body.code, 60300, JSON.stringify(call.body));
    assert.equal((await v.phone('+14155550100').calls()).length, 0, 'no call placed');
  });

  it('offers no voice on the enrollment hub', () => {
    const offers = VOICEPRINT.enrollment?.offer({ ctx: v.ctx, session: {} as HandoffSession, allowed: new Set(['voiceprint']), factors: [] });
    assert.equal(offers?.voiceprint, false);
  });

  it('says on the console\'s service page that voiceprints are off and how to turn them on', async () => {
    const sid = await serviceWith(v);
    const text = await consoleText(v, `/admin/services/${sid}`);
    assert.match(text, /Voiceprint off Voiceprint factors are off on this server \( VERITY_VOICEPRINT=off \)/);
    assert.match(text, /set VERITY_VOICEPRINT=on and restart/);
    assert.doesNotMatch(text, /False accepts/);
  });
});

/** On (the test suite's default): the console shows the model and the FAR/FRR measured at the service's threshold. */
describe('voiceprints on, with measured operating points', () => {
  let v: TestVerity;
  before(async () => {
    v = await startVerity({ voiceprintOperatingPoints: async (backend) => ({ kind: 'measured', file: fixture(backend ?? 'none') }) });
  });
  after(async () => v?.close());

  it('offers the voice on the hub and names the model in use', () => {
    assert.ok(v.ctx.voiceprints, 'the engine is loaded');
    assert.equal(v.ctx.voiceprintStatus.measurements.kind, 'measured');
    assert.equal(VOICEPRINT.enrollment?.offer({ ctx: v.ctx, session: {} as HandoffSession, allowed: new Set(['voiceprint']), factors: [] }).voiceprint, true);
    assert.match(v.logs(), /voiceprint factors are on \(a second factor, never a sole authenticator\); FAR\/FRR measured for this model/);
  });

  it('shows FAR and FRR at the service\'s threshold, interpolated, with trial counts and the warning', async () => {
    const sid = await serviceWith(v, '0.5');
    const text = await consoleText(v, `/admin/services/${sid}`);
    assert.ok(text.includes(`Model ${v.ctx.voiceprintStatus.backend ?? '?'}`), 'the console names the model in use');
    assert.match(text, /Threshold 0\.5 \(Voiceprint\.Threshold\)/);
    // Halfway between (0: 30 %, 5 %) and (1: 1 %, 40 %): 15.5 % FAR, 22.5 % FRR.
    assert.match(text, /Phone call \(8 kHz\), unseen speakers 800 genuine, 1,600 impostor trials 15\.5 % ≈ 248 of 1,600 22\.5 % ≈ 180 of 800 3\.0 % 12\.0 %/);
    assert.match(text, /never a sole authenticator/);
    assert.match(text, /a FAR of 0\.1 % would need at least 3,000 impostor trials/);
  });

  it('refuses a threshold below −2 (most impostors would match) or above the strictest score, with 60200', async () => {
    for (const threshold of ['-2.5', '-100', '8.5', 'strict']) {
      const refused = await v.api('POST', '/v2/Services', { FriendlyName: 'Voice bank', 'Voiceprint.Threshold': threshold });
      assert.equal(refused.status, 400, `${threshold}: ${JSON.stringify(refused.body)}`);
      assert.equal((refused.body as { code?: number }).code, 60200, `${threshold}: ${JSON.stringify(refused.body)}`);
    }
    for (const threshold of ['-2', '8']) assert.equal((await v.api('POST', '/v2/Services', { FriendlyName: 'Voice bank', 'Voiceprint.Threshold': threshold })).status, 201, threshold);
  });

  it('says "not measured" outside the measured range, and shows the same numbers in the settings form', async () => {
    const outside = await serviceWith(v, '2');
    assert.match(await consoleText(v, `/admin/services/${outside}`), /Not measured at this threshold \(measured from 0 to 1\)/);
    const sid = await serviceWith(v, '0.5');
    const form = await consoleText(v, `/admin/services/${sid}/settings`);
    assert.match(form, /Saved threshold: 0\.5\. Measured there:/);
    assert.match(form, /15\.5 % ≈ 248 of 1,600 22\.5 % ≈ 180 of 800/);
  });
});
