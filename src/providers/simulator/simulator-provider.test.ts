import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../crypto/clock.ts';
import type { DeliveryStatusReport, DeliveryStatusSink, ReportOutcome } from '../../messaging/delivery-status.ts';
import { migrateToLatest, openDatabase, type Db } from '../../store/database.ts';
import { SimMessagesStore } from '../../store/sim-messages-store.ts';
import { DeliveryError, type OutboundMessage } from '../provider.ts';
import { parseDeliveryRules, seededRandom } from './delivery-rules.ts';
import type { ScheduleTimer } from './simulated-call.ts';
import { SimulatedDelivery } from './simulated-delivery.ts';
import { SimulatorInbox } from './simulator-inbox.ts';
import { createSimulatorProvider, smsParts } from './simulator-provider.ts';

let db: Db;
before(async () => {
  db = openDatabase('sqlite::memory:');
  await migrateToLatest(db);
});
after(() => db.close());

/** Timers the test fires by hand, moving the clock to each one's time (no sleeping). */
class ManualTimers {
  private queue: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];
  constructor(private readonly clock: ManualClock) {}
  readonly schedule: ScheduleTimer = (callback, ms) => {
    const timer = { at: this.clock.now() + ms, callback, cancelled: false };
    this.queue.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };
  /** ms from now of each live timer, soonest first. */
  pending(): number[] {
    return this.queue
      .filter((t) => !t.cancelled)
      .map((t) => t.at - this.clock.now())
      .sort((a, b) => a - b);
  }
  /** Moves the clock to the soonest live timer and fires it. */
  fireNext(): void {
    const live = this.queue.filter((t) => !t.cancelled).sort((a, b) => a.at - b.at);
    const next = live[0];
    assert.ok(next, 'a timer is pending');
    this.queue = this.queue.filter((t) => t !== next);
    this.clock.set(next.at);
    next.callback();
  }
}

/** The delivery-status sink, recording each report; `next()` resolves with the next one (in order). */
class RecordingSink implements DeliveryStatusSink {
  readonly reports: DeliveryStatusReport[] = [];
  private readonly waiting: Array<(r: DeliveryStatusReport) => void> = [];
  private read = 0;
  answer: ReportOutcome = 'recorded';
  async report(report: DeliveryStatusReport): Promise<ReportOutcome> {
    this.reports.push(report);
    this.waiting.shift()?.(report);
    return this.answer;
  }
  next(): Promise<DeliveryStatusReport> {
    const index = this.read++;
    const ready = this.reports[index];
    return ready ? Promise.resolve(ready) : new Promise((resolve) => this.waiting.push(resolve));
  }
}

const START = Date.UTC(2026, 5, 1, 12, 0, 0);
const silent = { info() {}, warn() {}, error() {} };

function setup(options: { rules?: string; latency?: [number, number]; instance?: string; sink?: RecordingSink } = {}) {
  const clock = new ManualClock(START);
  const timers = new ManualTimers(clock);
  const sink = options.sink ?? new RecordingSink();
  const inbox = new SimulatorInbox({ messages: new SimMessagesStore(db.kysely), clock });
  const delivery = new SimulatedDelivery({
    instance: options.instance ?? 'sim-a',
    inbox,
    sink,
    clock,
    timers: timers.schedule,
    logger: silent,
    rules: parseDeliveryRules(options.rules ?? ''),
    latency: options.latency ?? [1000, 1000],
    random: seededRandom(1),
  });
  const provider = createSimulatorProvider({ inbox, smsFrom: '+15005550006', emailFrom: 'Verity <no-reply@verity.localhost>', delivery });
  /** Fires the soonest timer and waits for the step it started (its store write and receipt). */
  const fire = async () => {
    timers.fireNext();
    await delivery.idle();
  };
  return { clock, timers, sink, inbox, delivery, provider, fire };
}

let n = 0;
function sms(to: string, body = 'Your code is 111111'): OutboundMessage {
  n++;
  return { channel: 'sms', to, body, locale: 'en', verificationSid: 'VE00000000000000000000000000000000', attemptId: `DA${String(n).padStart(32, '0')}` };
}

async function statusOf(inbox: SimulatorInbox, id: string) {
  return (await inbox.find(id))?.message;
}

test('records SMS, calls and email with the configured senders, and says it reports receipts', async () => {
  const { provider, inbox, delivery } = setup();
  assert.equal(provider.name, 'simulator');
  assert.equal(provider.receipts, true);
  const base = { locale: 'en', verificationSid: 'VE00000000000000000000000000000000', attemptId: 'DA00000000000000000000000000000000' };
  const receipt = await provider.send({ ...base, channel: 'sms', to: '+15551110000', body: 'Your code is 111111' });
  assert.match(receipt.providerMessageId, /^SIM[0-9a-f]{32}$/);
  assert.equal(receipt.status, 'queued');
  assert.equal(receipt.parts, 1);
  await provider.send({ ...base, channel: 'call', to: '+15551110000', body: 'Your code is 1 1 1 1 1 1' });
  await provider.send({ ...base, channel: 'email', to: 'Eve@Example.com', subject: 'Code', body: 'Code 222222', html: '<p>Code 222222</p>' });
  const messages = await inbox.list('+15551110000');
  assert.deepEqual(
    messages.map((m) => [m.channel, m.from, m.body, m.status]),
    [
      ['call', '+15005550006', 'Your code is 1 1 1 1 1 1', 'queued'],
      ['sms', '+15005550006', 'Your code is 111111', 'queued'],
    ],
  );
  assert.equal(messages[1]?.id, receipt.providerMessageId);
  const [email] = await inbox.list('eve@example.com');
  assert.equal(email?.from, 'Verity <no-reply@verity.localhost>');
  assert.equal(email?.subject, 'Code');
  delivery.close();
});

test('a delivered message reports sent, then delivered with its price, at the clock\'s times', async () => {
  const { provider, timers, sink, inbox, delivery, fire } = setup({ latency: [2000, 2000] });
  const message = sms('+15551110001');
  const { providerMessageId: id } = await provider.send(message);
  assert.deepEqual(timers.pending(), [500]);
  await fire();
  assert.deepEqual(await sink.next(), { provider: 'sim-a', providerMessageId: id, attemptId: message.attemptId, status: 'sent', at: START + 500 });
  await fire();
  assert.deepEqual(await sink.next(), { provider: 'sim-a', providerMessageId: id, attemptId: message.attemptId, status: 'delivered', price: { amount: '0.0079', currency: 'USD' }, at: START + 2000 });
  const stored = await statusOf(inbox, id);
  assert.equal(stored?.status, 'delivered');
  assert.equal(stored?.date_updated, '2026-06-01T12:00:02Z');
  assert.deepEqual(timers.pending(), []);
  assert.equal(delivery.pendingCount, 0);
});

test('undelivered and failed carry the carrier error; a long SMS is priced per part', async () => {
  const { provider, timers, sink, inbox, fire } = setup({ rules: '+1555201=undelivered:30006; +1555202=failed' });
  const long = 'x'.repeat(200);
  const undelivered = await provider.send(sms('+15552010000', long));
  assert.equal(undelivered.parts, 2);
  await fire();
  assert.equal((await sink.next()).status, 'sent');
  await fire();
  const final = await sink.next();
  assert.deepEqual([final.status, final.errorCode, final.errorMessage, final.price], ['undelivered', '30006', 'Landline or unreachable carrier', { amount: '0.0158', currency: 'USD' }]);
  assert.deepEqual([(await statusOf(inbox, undelivered.providerMessageId))?.status, (await statusOf(inbox, undelivered.providerMessageId))?.error_code], ['undelivered', '30006']);

  const failed = await provider.send(sms('+15552020000'));
  await fire();
  const report = await sink.next();
  assert.deepEqual([report.providerMessageId, report.status, report.errorCode, report.errorMessage], [failed.providerMessageId, 'failed', '30008', 'Unknown error']);
  assert.deepEqual(timers.pending(), [], 'failed is final: nothing more');
});

test('reject refuses the send (retryable or not) and nothing reaches the inbox; blackhole accepts and never reports', async () => {
  const { provider, timers, sink, inbox } = setup({ rules: '+1555301=reject; +1555302=reject-permanent; +1555303=blackhole' });
  await assert.rejects(provider.send(sms('+15553010000')), (error: unknown) => error instanceof DeliveryError && error.retryable && /throttled/.test(error.message));
  await assert.rejects(provider.send(sms('+15553020000')), (error: unknown) => error instanceof DeliveryError && !error.retryable && /refused the destination/.test(error.message));
  assert.deepEqual(await inbox.list('+15553010000'), []);
  assert.deepEqual(await inbox.list('+15553020000'), []);
  const { providerMessageId } = await provider.send(sms('+15553030000'));
  assert.equal((await statusOf(inbox, providerMessageId))?.status, 'queued');
  assert.deepEqual(timers.pending(), []);
  assert.deepEqual(sink.reports, []);
});

test('a status set by hand is reported under the accepting instance and ends the carrier\'s own sequence', async () => {
  const { provider, sink, inbox, delivery, fire } = setup({ instance: 'sim-b', latency: [1000, 1000] });
  const message = sms('+15554010000');
  const { providerMessageId: id } = await provider.send(message);
  await fire();
  assert.equal((await sink.next()).status, 'sent');
  const changed = await inbox.advance(id, { to: 'undelivered', errorCode: '30005' });
  assert.ok(changed, 'sent → undelivered is a move forward');
  assert.equal(await delivery.report(changed, '30005'), 'recorded');
  const byHand = await sink.next();
  assert.deepEqual([byHand.provider, byHand.providerMessageId, byHand.attemptId, byHand.status, byHand.errorCode], ['sim-b', id, message.attemptId, 'undelivered', '30005']);
  // The scheduled `delivered` finds the message moved on: no report, the status stays.
  await fire();
  assert.equal(sink.reports.length, 2);
  assert.equal((await statusOf(inbox, id))?.status, 'undelivered');
  // Statuses only move forward.
  assert.equal(await inbox.advance(id, { to: 'delivered' }), undefined);
  assert.equal(await inbox.advance(id, { to: 'sent' }), undefined);
});

test('an unknown receipt is retried twice, as a carrier retries a callback; close stops every timer', async () => {
  const sink = new RecordingSink();
  sink.answer = 'unknown';
  const { provider, timers, delivery, fire } = setup({ sink, latency: [4000, 4000] });
  await provider.send(sms('+15555010000'));
  await fire();
  assert.equal((await sink.next()).status, 'sent');
  assert.deepEqual(timers.pending(), [500, 3000]);
  await fire();
  assert.equal((await sink.next()).status, 'sent');
  assert.deepEqual(timers.pending(), [2000, 2500]);
  await fire();
  assert.equal((await sink.next()).status, 'sent');
  assert.deepEqual(timers.pending(), [500], 'two retries, then only the delivered step is left');
  delivery.close();
  assert.deepEqual(timers.pending(), []);
  assert.equal(delivery.pendingCount, 0);
  // Closed: a send is still accepted (the app is draining), but nothing is scheduled.
  await provider.send(sms('+15555010001'));
  assert.deepEqual(timers.pending(), []);
});

test('segments: GSM-7 160/153 (extension characters count twice), UCS-2 70/67', () => {
  assert.equal(smsParts('a'.repeat(160)), 1);
  assert.equal(smsParts('a'.repeat(161)), 2);
  assert.equal(smsParts('a'.repeat(306)), 2);
  assert.equal(smsParts('a'.repeat(307)), 3);
  assert.equal(smsParts('€'.repeat(80)), 1);
  assert.equal(smsParts('€'.repeat(81)), 2);
  assert.equal(smsParts('ж'.repeat(70)), 1);
  assert.equal(smsParts('ж'.repeat(71)), 2);
});
