/**
 * Failover by delivery time-out: the primary route is black-holed (its carrier accepts every message
 * and never reports on it), the secondary delivers. For each code, measures create → delivered on
 * the secondary and compares it with the configured time-out (issue 13 target: time-out + 1 s).
 *
 *   npx tsx bench/failover.ts [--codes 50] [--timeout-ms 2000] [--dlr-ms 150] [--concurrency 10]
 *
 * In process, over the real messaging domain on SQLite (a temp file): the delivery-attempts store,
 * the send gate, the status recorder, the dispatcher and the durable sweeper, started as the server
 * starts it (its fast-path timer and its regular 5 s pass), on the system clock. The route plan is
 * built here (a fixed two-target route with the time-out), as the routing table would build it;
 * the carriers are local objects: the secondary reports `delivered` into the recorder `--dlr-ms`
 * after accepting, as a carrier's receipt webhook or SMPP deliver_sm would.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { systemClock } from '../src/crypto/clock.ts';
import { createKeyring } from '../src/crypto/keyring.ts';
import { newSid } from '../src/crypto/random.ts';
import { DeliveryDispatcher } from '../src/messaging/delivery-dispatcher.ts';
import { DeliveryStatusRecorder } from '../src/messaging/delivery-status-recorder.ts';
import { FailoverSweeper } from '../src/messaging/failover-sweeper.ts';
import type { MessageRouter, RoutePlan } from '../src/messaging/route-plan.ts';
import { SendsInFlight } from '../src/messaging/sends-in-flight.ts';
import { Metrics } from '../src/observability/metrics.ts';
import type { DeliveryProvider, DeliveryReceipt, OutboundMessage } from '../src/providers/provider.ts';
import { SendGate } from '../src/send-gate/send-gate.ts';
import { migrateToLatest, openDatabase } from '../src/store/database.ts';
import { createStores } from '../src/store/unit-of-work.ts';

const { values } = parseArgs({ options: { codes: { type: 'string', default: '50' }, 'timeout-ms': { type: 'string', default: '2000' }, 'dlr-ms': { type: 'string', default: '150' }, concurrency: { type: 'string', default: '10' } } });
const CODES = Number(values.codes);
const TIMEOUT_MS = Number(values['timeout-ms']);
const DLR_MS = Number(values['dlr-ms']);
const CONCURRENCY = Number(values.concurrency);
if (![CODES, TIMEOUT_MS, DLR_MS, CONCURRENCY].every((n) => Number.isInteger(n) && n >= 0) || CODES < 1 || CONCURRENCY < 1) {
  console.error('usage: npx tsx bench/failover.ts [--codes N] [--timeout-ms MS] [--dlr-ms MS] [--concurrency N]');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'verity-bench-failover-'));
const db = openDatabase(`sqlite:${join(dir, 'verity.db')}`, { poolSize: 1 });
await migrateToLatest(db);
const stores = createStores(db);
const clock = systemClock;
const logger = pino({ level: 'warn' });
const metrics = new Metrics();
const keyring = createKeyring(randomBytes(32));
const inFlight = new SendsInFlight();
const recorder = new DeliveryStatusRecorder({ stores, clock, logger, metrics, bus: { publish: () => undefined }, inFlight });

/** Resolves when the secondary's receipt for a verification was recorded as delivered. */
const delivered = new Map<string, (at: number) => void>();

/** Accepts everything and never reports: a black-holed route. */
const primary: DeliveryProvider = {
  name: 'blackhole',
  receipts: true,
  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    return { providerMessageId: `bh-${message.attemptId}` };
  },
};
/** Accepts, then reports delivered after DLR_MS. */
const secondary: DeliveryProvider = {
  name: 'secondary',
  receipts: true,
  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    const id = `ok-${message.attemptId}`;
    setTimeout(() => {
      void recorder.report({ provider: 'secondary', providerMessageId: id, status: 'delivered' }).then((outcome) => {
        if (outcome === 'recorded') delivered.get(message.verificationSid)?.(performance.now());
      });
    }, DLR_MS);
    return { providerMessageId: id, status: 'sent' };
  },
};
const router: MessageRouter = {
  plan: (): RoutePlan => ({ routeId: 'bench:sms', targets: [{ instance: 'blackhole', provider: primary }, { instance: 'secondary', provider: secondary }], deliveryTimeoutMs: TIMEOUT_MS }),
  observe: () => undefined,
};
const unlimited = { capacity: 1e9, refillPerSecond: 1e9 };
const gate = new SendGate({ stores, clock, metrics, policy: { perDestination: unlimited, prefix: { digits: 8, bucket: unlimited }, perAccount: unlimited } });
const sweeper = new FailoverSweeper({ stores, clock, logger, dispatcher: { failOver: (attempt, reason) => dispatcher.failOver(attempt, reason) } });
const dispatcher = new DeliveryDispatcher({ stores, clock, keyring, logger, metrics, router, sendGate: gate, recorder, inFlight, wakeAt: (at) => sweeper.wakeAt(at) });
recorder.onFinal((attempt) => void dispatcher.onFinal(attempt));
sweeper.start();
// The sweeper's timers are unref'd (a server's listening socket keeps the process up); here this does.
const keepAlive = setInterval(() => undefined, 1_000);

const now = Date.now();
const accountSid = newSid('AC');
const serviceSid = newSid('VA');
await stores.accounts.insert({ sid: accountSid, friendly_name: 'bench', auth_token_digest: 'x', auth_token_sealed: null, status: 'active', date_created: now, date_updated: now });
await stores.services.insert({
  sid: serviceSid, account_sid: accountSid, friendly_name: 'Bench', code_length: 6, code_ttl_seconds: 600, custom_code_enabled: false, lookup_enabled: false, skip_sms_to_landlines: false,
  dtmf_input_required: false, psd2_enabled: false, do_not_share_warning_enabled: false, tts_name: null, default_locale: null, allowed_countries: null, enabled_channels: ['sms'], web_otp_domain: null, extras: {}, date_created: now, date_updated: now,
});

/** One code: create the verification, send through the plan, wait for the secondary's delivered receipt. */
async function oneCode(i: number): Promise<number> {
  const to = `+1415555${String(i).padStart(4, '0')}`;
  const created = Date.now();
  const sid = newSid('VE');
  await stores.verifications.insertPending({
    sid, account_sid: accountSid, service_sid: serviceSid, destination: to, channel: 'sms', status: 'pending', code_seed: 'seed', code_digest: null, code_length: 6, locale: null,
    custom_friendly_name: null, amount: null, payee: null, check_attempts: 0, send_attempts: [], expires_at: created + 600_000, failure_code: null, voice_flow: null, progress_seq: 0, requester: '', date_created: created, date_updated: created,
  });
  const arrived = new Promise<number>((resolve) => delivered.set(sid, resolve));
  const start = performance.now();
  const sendRequest = { accountSid, serviceSid, allowedCountries: null, destination: { kind: 'phone' as const, address: to, country: 'US' }, channel: 'sms' as const, feature: 'verification' as const };
  const pass = await gate.admit(sendRequest);
  await dispatcher.dispatch({ pass, sendRequest, sendAttemptSid: newSid('VL'), message: { channel: 'sms', to, body: `Your Bench verification code is: ${String(100000 + i)}`, locale: 'en', verificationSid: sid } });
  return (await arrived) - start;
}

const latencies: number[] = [];
let next = 0;
const wall = performance.now();
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, CODES) }, async () => {
    while (next < CODES) latencies.push(await oneCode(next++));
  }),
);
const wallMs = performance.now() - wall;
clearInterval(keepAlive);
await sweeper.stop();
await dispatcher.settled();
await db.close();
rmSync(dir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] ?? NaN;
const target = TIMEOUT_MS + 1000;
const over = latencies.filter((ms) => ms > target).length;
console.log(`failover bench: ${CODES} codes, concurrency ${CONCURRENCY}, delivery time-out ${TIMEOUT_MS} ms, secondary receipt after ${DLR_MS} ms; ${cpus().length} CPUs, Node ${process.version}, SQLite`);
console.log(`create → delivered on the secondary (ms): min ${pct(0).toFixed(0)}  p50 ${pct(50).toFixed(0)}  p90 ${pct(90).toFixed(0)}  p99 ${pct(99).toFixed(0)}  max ${pct(100).toFixed(0)}`);
console.log(`over the time-out: p50 +${(pct(50) - TIMEOUT_MS).toFixed(0)} ms, max +${(pct(100) - TIMEOUT_MS).toFixed(0)} ms; target time-out + 1 s = ${target} ms: ${over === 0 ? 'met by every code' : `${over} of ${CODES} codes over`}`);
console.log(`wall ${(wallMs / 1000).toFixed(1)} s`);
process.exitCode = over === 0 ? 0 : 1;
