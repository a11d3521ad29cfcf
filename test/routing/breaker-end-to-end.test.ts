import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createContext } from '../../src/create-context.ts';
import { startFakeTwilio, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, type FakeTwilio } from '../providers/fake-twilio.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';
import { waitUntil } from '../support/wait-for.ts';

/**
 * Routing and the circuit breaker through the whole server: a route whose first tier is a Twilio
 * account (a local fake that refuses) and whose second tier is the simulator. Each refused send
 * fails over with the same code; after two refusals in a row the Twilio target leaves rotation for
 * Great Britain, is probed after the cool-down and comes back once a probe is accepted and delivered.
 */
describe('circuit breaker, end to end', () => {
  let v: TestVerity;
  let twilio: FakeTwilio;
  let serviceSid: string;
  let number = 0;
  const nextGbNumber = () => `+4474001234${String(10 + number++)}`;

  before(async () => {
    twilio = await startFakeTwilio();
    const file = join(mkdtempSync(join(tmpdir(), 'verity-breaker-')), 'messaging.json');
    writeFileSync(file, JSON.stringify({
      instances: { 'tw-main': { plugin: 'twilio', settings: { VERITY_TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT_SID, VERITY_TWILIO_AUTH_TOKEN: TWILIO_AUTH_TOKEN, VERITY_TWILIO_API_BASE: twilio.apiBase } } },
      routes: [{ id: 'main', channel: 'sms', targets: [{ instance: 'tw-main' }, { instance: 'simulator', tier: 2 }], deliveryTimeoutSeconds: 30 }],
      health: { openAfterRejections: 2, cooldownSeconds: 60, probeEvery: 1, closeAfterProbes: 1 },
    }));
    v = await startVerity({ manualClock: true, env: { VERITY_MESSAGING_CONFIG: file } });
    serviceSid = (await v.client.verify.v2.services.create({ friendlyName: 'Breaker' })).sid;
  });
  after(async () => {
    await v.close();
    await twilio.close();
  });

  const breaker = () => v.ctx.routing.snapshot().breakers.find((b) => b.instance === 'tw-main' && b.country === 'GB');
  const send = (to: string) => v.client.verify.v2.services(serviceSid).verifications.create({ to, channel: 'sms' });

  it('fails a refused send over to the next tier with the same code, and opens the breaker after two refusals in a row', async () => {
    twilio.behaviour = 'echo-body-400';
    for (const to of [nextGbNumber(), nextGbNumber()]) {
      await send(to);
      assert.equal((await v.inbox(to)).length, 1, 'the simulator delivered it after Twilio refused');
    }
    assert.equal(twilio.received.length, 2);
    assert.equal(breaker()?.state, 'open');
    assert.match(breaker()?.reason ?? '', /2 sends rejected in a row/);
    assert.match(await v.ctx.metrics.registry.metrics(), /verity_circuit_state\{provider="tw-main",country="GB"\} 2/);
  });

  it('leaves the open target out: the next send goes straight to the simulator', async () => {
    const to = nextGbNumber();
    await send(to);
    assert.equal(twilio.received.length, 2, 'Twilio was not tried');
    assert.equal((await v.inbox(to)).length, 1);
    assert.deepEqual(v.ctx.messaging.router.plan({ channel: 'sms', to: '+33612345678', serviceSid }).targets.map((t) => t.instance), ['tw-main', 'simulator'], 'other countries keep it');
  });

  it('a node started now rebuilds the open breaker from the shared attempts', async () => {
    const other = await createContext(v.ctx.config, { ...(v.clock ? { clock: v.clock } : {}), logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }) });
    try {
      const rebuilt = other.routing.snapshot().breakers.find((b) => b.instance === 'tw-main' && b.country === 'GB');
      assert.equal(rebuilt?.state, 'open');
      assert.deepEqual(other.messaging.router.plan({ channel: 'sms', to: nextGbNumber(), serviceSid }).targets.map((t) => t.instance), ['simulator']);
    } finally {
      await other.db.close();
    }
  });

  it('probes the target after the cool-down and closes the breaker when the probe is delivered', async () => {
    twilio.behaviour = 'accept';
    v.clock?.advance(60_000);
    assert.equal(breaker()?.state, 'half-open');
    const verification = await send(nextGbNumber());
    assert.equal(twilio.received.length, 3, 'the probe went to Twilio');
    const attempt = (await v.ctx.stores.deliveryAttempts.listForVerification(verification.sid)).find((a) => a.provider === 'tw-main');
    assert.ok(attempt?.provider_message_id, 'Twilio accepted the probe');
    const callback = twilio.statusCallback(attempt.provider_message_id, 'delivered');
    // Signed over the URL Twilio was given (the provider was built before the server had its port).
    const answer = await fetch(`${v.url}${callback.path}`, { method: 'POST', headers: callback.headers, body: callback.payload });
    assert.ok(answer.status < 300, `status callback answered ${answer.status}`);
    // The receipt reaches the router after the webhook's answer (the dispatcher's follow-up runs in the background).
    await waitUntil('the breaker closes', () => breaker()?.state === 'closed');
    assert.equal(breaker()?.reason, '1 probes delivered');
  });
});
