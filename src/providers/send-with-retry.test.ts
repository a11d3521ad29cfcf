import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { systemClock } from '../crypto/clock.ts';
import { Metrics } from '../observability/metrics.ts';
import { SendGate, type SendPass } from '../send-gate/send-gate.ts';
import { migrateToLatest, openDatabase } from '../store/database.ts';
import { createStores } from '../store/unit-of-work.ts';
import { DeliveryError, type DeliveryProvider, type OutboundMessage } from './provider.ts';
import { sendWithRetry } from './send-with-retry.ts';

const message: OutboundMessage = { channel: 'sms', to: '+15551230000', body: 'code', locale: 'en', verificationSid: 'VE1', attemptId: 'VL1' };

// Every send needs the send gate's pass: a real gate over an in-memory database issues them.
const db = openDatabase('sqlite::memory:');
await migrateToLatest(db);
after(() => db.close());
const unlimited = { capacity: 1_000_000, refillPerSecond: 1 };
const gate = new SendGate({ stores: createStores(db), clock: systemClock, metrics: new Metrics(), policy: { perDestination: unlimited, prefix: { digits: 7, bucket: unlimited }, perAccount: unlimited } });
const pass = (): Promise<SendPass> =>
  gate.admit({ accountSid: 'AC1', serviceSid: 'VA1', allowedCountries: null, destination: { kind: 'phone', address: message.to, country: 'US' }, channel: 'sms', feature: 'verification' });

/** A provider that throws the queued failures in turn, then succeeds. */
function flaky(failures: unknown[]): DeliveryProvider & { calls: number } {
  return {
    name: 'flaky',
    calls: 0,
    async send() {
      this.calls++;
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      return { providerMessageId: `ID${this.calls}` };
    },
  };
}

function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

test('retries retryable errors with exponential backoff, then succeeds', async () => {
  const provider = flaky([new DeliveryError('busy', { retryable: true }), new DeliveryError('busy', { retryable: true })]);
  const { sleep, delays } = recordingSleep();
  const receipt = await sendWithRetry(await pass(), provider, message, { sleep });
  assert.deepEqual(receipt, { providerMessageId: 'ID3' });
  assert.equal(provider.calls, 3);
  assert.deepEqual(delays, [200, 400]);
});

test('gives up at once on a non-retryable error', async () => {
  const error = new DeliveryError('rejected', { retryable: false });
  const provider = flaky([error]);
  const { sleep, delays } = recordingSleep();
  await assert.rejects(sendWithRetry(await pass(), provider, message, { sleep }), (err) => err === error);
  assert.equal(provider.calls, 1);
  assert.deepEqual(delays, []);
});

test('stops after `attempts` and rethrows the last error', async () => {
  const errors = [1, 2, 3, 4].map((n) => new DeliveryError(`busy ${n}`, { retryable: true }));
  const provider = flaky([...errors]);
  const { sleep, delays } = recordingSleep();
  await assert.rejects(sendWithRetry(await pass(), provider, message, { attempts: 3, baseDelayMs: 10, sleep }), (err) => err === errors[2]);
  assert.equal(provider.calls, 3);
  assert.deepEqual(delays, [10, 20]);
});

test('wraps other exceptions as non-retryable DeliveryErrors', async () => {
  const cause = new TypeError('boom');
  const provider = flaky([cause]);
  await assert.rejects(sendWithRetry(await pass(), provider, message, { sleep: async () => {} }), (err) => {
    assert.ok(err instanceof DeliveryError, 'expected err instanceof DeliveryError');
    assert.equal(err.retryable, false);
    assert.equal(err.cause, cause);
    assert.match(err.message, /flaky provider failed unexpectedly/);
    assert.doesNotMatch(err.message, /boom/);
    return true;
  });
  assert.equal(provider.calls, 1);
});
