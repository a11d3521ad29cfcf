import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DeliveryError, type DeliveryProvider, type DeliveryReceipt, type OutboundMessage } from '../../src/providers/provider.ts';
import { startVerity, type TestVerity } from '../support/start-verity.ts';

type Step = 'ok' | 'retryable' | 'fatal' | 'crash';

/** An SMS provider that follows a script of outcomes, one per call, then succeeds. */
class ScriptedProvider implements DeliveryProvider {
  readonly name = 'scripted';
  script: Step[] = [];
  calls: OutboundMessage[] = [];
  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    this.calls.push(message);
    const step = this.script.shift() ?? 'ok';
    if (step === 'retryable') throw new DeliveryError('carrier unreachable (connection refused)', { retryable: true });
    if (step === 'fatal') throw new DeliveryError('carrier rejected the destination', { retryable: false });
    if (step === 'crash') throw new TypeError('provider bug');
    return { providerMessageId: `SM${this.calls.length}` };
  }
}

const codeIn = (message: OutboundMessage | undefined): string => {
  const m = /(\d{6})/.exec(message?.body ?? '');
  assert.ok(m, `no code in ${message?.body}`);
  return m[1] as string;
};

describe('delivery failures', () => {
  let v: TestVerity;
  let sms: ScriptedProvider;
  let service: string;

  before(async () => {
    sms = new ScriptedProvider();
    v = await startVerity({ providers: { sms } });
    service = (await v.api('POST', '/v2/Services', { FriendlyName: 'Flaky' })).body.sid;
  });
  after(async () => v.close());
  beforeEach(() => {
    sms.script = [];
    sms.calls = [];
  });

  const create = (to: string, channel = 'sms') => v.api('POST', `/v2/Services/${service}/Verifications`, { To: to, Channel: channel });
  const rowsFor = (to: string) => v.ctx.db.kysely.selectFrom('verifications').selectAll().where('destination', '=', to).orderBy('date_created').execute();
  const eventsFor = (sid: string) => v.ctx.db.kysely.selectFrom('events').select(['type', 'payload']).where('resource_sid', '=', sid).orderBy('date_created').execute();

  it('answers a non-retryable provider error with 502 / 30008 and marks the verification failed', async () => {
    sms.script = ['fatal'];
    const to = '+14155550180';
    const r = await create(to);
    assert.equal(r.status, 502, JSON.stringify(r.body));
    assert.equal(r.body.code, 30008);
    assert.equal(r.body.status, 502);
    assert.equal(r.body.more_info, 'https://www.twilio.com/docs/errors/30008');
    assert.equal(sms.calls.length, 1, 'a non-retryable error is not retried');
    // The message names the provider, never the code.
    assert.match(r.body.message, /scripted/);
    assert.ok(!r.body.message.includes(codeIn(sms.calls[0])), 'expected !r.body.message.includes(codeIn(sms.calls[0]))');

    const [row] = await rowsFor(to);
    assert.ok(row, 'expected row');
    assert.equal(row.status, 'failed');
    assert.equal(Number(row.failure_code), 30008);
    const events = await eventsFor(row.sid);
    assert.deepEqual(events.map((e) => e.type), ['verification.pending', 'verification.failed']);
    const payload = JSON.parse(events[1]!.payload) as Record<string, unknown>;
    assert.equal(payload.status, 'failed');
    assert.equal(payload.sid, row.sid);

    // A failed verification stays readable, and it is no longer pending: a check finds nothing.
    const fetched = await v.api('GET', `/v2/Services/${service}/Verifications/${row.sid}`);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.body.status, 'failed');
    const check = await v.api('POST', `/v2/Services/${service}/VerificationCheck`, { To: to, Code: codeIn(sms.calls[0]) });
    assert.equal(check.status, 404);
    assert.equal(check.body.code, 20404);

    // The next create starts a fresh verification (and succeeds).
    const again = await create(to);
    assert.equal(again.status, 201);
    assert.notEqual(again.body.sid, row.sid);
    assert.equal(again.body.status, 'pending');
    const metrics = await (await fetch(`${v.url}/metrics`)).text();
    assert.match(metrics, /verity_deliveries_total\{channel="sms",provider="scripted",outcome="failed"\} 1/);
    assert.match(metrics, /verity_verifications_total\{channel="sms",status="failed"\} 1/);
  });

  it('retries retryable errors and answers 201 when a later try succeeds', { timeout: 10_000 }, async () => {
    sms.script = ['retryable', 'retryable', 'ok'];
    const to = '+14155550181';
    const r = await create(to);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'pending');
    assert.equal(sms.calls.length, 3, 'two failed tries and a successful one');
    // The same message every time (same code, same verification).
    assert.equal(new Set(sms.calls.map((c) => c.body)).size, 1);
    assert.ok(sms.calls.every((c) => c.verificationSid === r.body.sid && c.to === to), 'expected sms.calls.every((c) => c.verificationSid === r.body.sid && c.to === to)');
    const [row] = await rowsFor(to);
    assert.equal(row?.status, 'pending');
    assert.deepEqual((await eventsFor(r.body.sid)).map((e) => e.type), ['verification.pending']);
    // The delivered code works.
    const check = await v.api('POST', `/v2/Services/${service}/VerificationCheck`, { To: to, Code: codeIn(sms.calls[2]) });
    assert.equal(check.body.status, 'approved');
  });

  it('gives up after three retryable failures with 502 / 30008', { timeout: 10_000 }, async () => {
    sms.script = ['retryable', 'retryable', 'retryable', 'ok'];
    const to = '+14155550182';
    const r = await create(to);
    assert.equal(r.status, 502);
    assert.equal(r.body.code, 30008);
    assert.equal(sms.calls.length, 3);
    assert.equal((await rowsFor(to))[0]?.status, 'failed');
  });

  it('never retries an unexpected provider exception (it may have sent the message)', async () => {
    sms.script = ['crash', 'ok'];
    const to = '+14155550183';
    const r = await create(to);
    assert.equal(r.status, 502);
    assert.equal(r.body.code, 30008);
    assert.equal(sms.calls.length, 1);
    assert.doesNotMatch(r.body.message, /\n\s+at /, 'no stack trace');
    assert.equal((await rowsFor(to))[0]?.status, 'failed');
  });

  it('does not echo an unexpected exception\'s message to the API client', {
  }, async () => {
    sms.script = ['crash'];
    const r = await create('+14155550186');
    assert.equal(r.status, 502);
    assert.ok(!r.body.message.includes('provider bug'), r.body.message);
  });

  it('keeps the verification pending when a resend fails (its first code did go out)', async () => {
    const to = '+14155550184';
    const first = await create(to);
    assert.equal(first.status, 201);
    const code = codeIn(sms.calls[0]);
    sms.script = ['fatal'];
    const resend = await create(to);
    assert.equal(resend.status, 502);
    assert.equal(resend.body.code, 30008);
    const [row] = await rowsFor(to);
    assert.equal(row?.status, 'pending');
    assert.deepEqual((await eventsFor(first.body.sid)).map((e) => e.type), ['verification.pending']);
    const check = await v.api('POST', `/v2/Services/${service}/VerificationCheck`, { To: to, Code: code });
    assert.equal(check.body.status, 'approved');
  });

  it('answers 60223 for a channel without an injected provider', async () => {
    const r = await create('user185@example.com', 'email');
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 60223);
    assert.equal(sms.calls.length, 0);
  });
});
