/**
 * Sustained submit_sm/s of Verity's SMPP provider on ONE bind, with a delivery receipt (deliver_sm)
 * flowing back for every message and answered (deliver_sm_resp) after the receipt reached the sink.
 *
 *   npx tsx bench/smpp-throughput.ts                       # 10 s, window 50, no throughput limit
 *   npx tsx bench/smpp-throughput.ts --duration 20 --window 10 --concurrency 200 --limit 800
 *
 * The provider and the test SMSC (test/providers/fake-smsc.ts, node-smpp's server) run in this one
 * process, so one core does both ends: a conservative figure. Each message goes through the whole
 * provider path (GSM-7 encoding, TON/NPI, window, token bucket, submit_sm_resp correlation, receipt
 * parsing, the sink). Target (issue 13): ≥ 500 submit_sm/s on this 2-core machine.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { DeliveryStatusReport, ReportOutcome } from '../src/messaging/delivery-status.ts';
import { createSmppProvider } from '../src/providers/smpp/smpp-provider.ts';
import { startFakeSmsc } from '../test/providers/fake-smsc.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    window: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '200' },
    limit: { type: 'string', default: '0' },
    warmup: { type: 'string', default: '1' },
  },
});
const DURATION_MS = Number(args.duration) * 1000;
const WARMUP_MS = Number(args.warmup) * 1000;
const WINDOW = Number(args.window);
const CONCURRENCY = Number(args.concurrency);
const LIMIT = Number(args.limit);

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);
}

const smsc = await startFakeSmsc();
let receipts = 0;
const provider = createSmppProvider({
  url: smsc.url,
  systemId: 'verity',
  password: 'secret',
  from: 'Verity',
  window: WINDOW,
  throughputPerSecond: LIMIT,
  deliveryStatus: {
    report: async (_report: DeliveryStatusReport): Promise<ReportOutcome> => {
      receipts++;
      return 'recorded';
    },
  },
  logger: pino({ level: 'warn' }),
});
await provider.ready();

let sequence = 0;
let measuring = false;
let sent = 0;
let failed = 0;
const latencies: number[] = [];
let stopAt = Number.POSITIVE_INFINITY;

/** One sender: sends messages back to back until the end (concurrency such senders keep the window full). */
async function sender(): Promise<void> {
  while (performance.now() < stopAt) {
    const n = sequence++;
    const start = performance.now();
    try {
      await provider.send({ channel: 'sms', to: `+4478${String(n % 1e8).padStart(8, '0')}`, body: `Your Acme code is ${String(n % 1e6).padStart(6, '0')}`, locale: 'en', verificationSid: 'VE0', attemptId: `VL${n}` });
      if (measuring) {
        sent++;
        latencies.push(performance.now() - start);
      }
    } catch {
      if (measuring) failed++;
    }
  }
}

const begin = performance.now();
stopAt = begin + WARMUP_MS + DURATION_MS;
const senders = Array.from({ length: CONCURRENCY }, () => sender());
await new Promise((r) => setTimeout(r, WARMUP_MS));
const receiptsBefore = receipts;
measuring = true;
const measureStart = performance.now();
await Promise.all(senders);
const seconds = (performance.now() - measureStart) / 1000;
measuring = false;
// Let the receipts of the last submits arrive.
const receiptsAtEnd = receipts;
await new Promise((r) => setTimeout(r, 300));
const sorted = Float64Array.from(latencies).sort();
console.log(`SMPP throughput, one transceiver bind, window ${WINDOW}, ${CONCURRENCY} concurrent senders, throughput limit ${LIMIT || 'none'}, ${seconds.toFixed(1)} s measured after ${WARMUP_MS / 1000} s warm-up`);
console.log(`  submit_sm accepted  ${sent} = ${(sent / seconds).toFixed(0)}/s   (failed ${failed})`);
console.log(`  receipts reported   ${receiptsAtEnd - receiptsBefore} in the window = ${((receiptsAtEnd - receiptsBefore) / seconds).toFixed(0)}/s; ${receipts} in all for ${smsc.submits.length} submits`);
console.log(`  send() latency      p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  max ${percentile(sorted, 100).toFixed(2)} ms (includes waiting for the window)`);
console.log(`  machine             ${(await import('node:os')).cpus().length} CPUs, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}`);
await provider.close();
await smsc.close();
