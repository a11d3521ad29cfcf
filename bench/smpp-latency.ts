/**
 * Latency from a Verify API create (POST /v2/Services/{sid}/Verifications, Channel=sms) to the
 * submit_sm arriving at the SMSC, through the real app: Verity runs as a child process
 * (`node bin/verity.js serve`, SQLite) with VERITY_SMS_PROVIDER=smpp pointed at the test SMSC in this
 * process (test/providers/fake-smsc.ts), which sends a receipt for every message.
 *
 *   npx tsx bench/smpp-latency.ts                      # 100 creates/s for 10 s
 *   npx tsx bench/smpp-latency.ts --rate 200 --duration 20
 *   npx tsx bench/smpp-latency.ts --provider simulator   # the same load without SMPP (HTTP answer only)
 *
 * Creates are sent open-loop at a fixed rate (one every 1000/rate ms, not waiting for answers), each
 * to its own number; the latency of one is the time from just before its HTTP request is written to
 * the SMSC's receipt of the submit_sm for its number. Target (issue 13): p99 < 20 ms at 100 creates/s.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startFakeSmsc } from '../test/providers/fake-smsc.ts';
import { freePort, runCli, startServer, tail, tempDirs, type Server } from './support/verity-process.ts';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '100' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    'log-level': { type: 'string', default: 'warn' },
    /** `simulator`: the same load with the simulated carrier, to tell the app's own cost from SMPP's (HTTP answer only). */
    provider: { type: 'string', default: 'smpp' },
  },
});
const RATE = Number(args.rate);
const DURATION_S = Number(args.duration);
const WARMUP_S = Number(args.warmup);
const VERITY_ROOT = resolve(join(dirname(fileURLToPath(import.meta.url)), '..'));

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number);
}

const smsc = await startFakeSmsc();
const sentAt = new Map<string, number>();
const latencies: number[] = [];
/** Create request → its HTTP answer (the answer comes after submit_sm_resp: the send is part of the create). */
const httpLatencies: number[] = [];
let measuring = false;
smsc.events.on('submit', (submit: { destinationAddr: string }) => {
  const start = sentAt.get(submit.destinationAddr);
  if (start === undefined) return;
  sentAt.delete(submit.destinationAddr);
  if (measuring) latencies.push(performance.now() - start);
});

const dataDir = mkdtempSync(join(os.tmpdir(), 'verity-bench-smpp-'));
tempDirs.add(dataDir);
const port = await freePort();
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_ENV: 'development',
  VERITY_DATA_DIR: dataDir,
  VERITY_DATABASE_URL: `sqlite:${join(dataDir, 'verity.db')}`,
  VERITY_HOST: '127.0.0.1',
  VERITY_PORT: String(port),
  VERITY_LOG_LEVEL: args['log-level'],
  VERITY_MASTER_KEY: randomBytes(32).toString('hex'),
  VERITY_SMS_PROVIDER: args.provider === 'simulator' ? 'simulator' : 'smpp',
  VERITY_VOICE_PROVIDER: 'none',
  VERITY_EMAIL_PROVIDER: 'none',
  VERITY_SMS_FROM: 'Acme',
  VERITY_SMPP_URL: smsc.url,
  VERITY_SMPP_SYSTEM_ID: 'verity',
  VERITY_SMPP_PASSWORD: 'secret',
  VERITY_SMPP_THROUGHPUT: String(Math.max(100, RATE * 2)),
  // One account from one IP to numbers sharing prefixes: lift the limits that are not under test.
  VERITY_RATE_ACCOUNT_PER_SECOND: '1000000',
  VERITY_RATE_ACCOUNT_BURST: '1000000',
  VERITY_RATE_IP_PER_SECOND: '1000000',
  VERITY_RATE_IP_BURST: '1000000',
  VERITY_FRAUD_PREFIX_MAX_SENDS: '1000000',
  VERITY_SEND_ACCOUNT_PER_SECOND: '1000000',
  VERITY_SEND_ACCOUNT_BURST: '1000000',
};

let server: Server | undefined;
try {
  const created = JSON.parse((await runCli(VERITY_ROOT, env, ['accounts', 'create', '--name', 'bench'])).trim().split('\n').pop() ?? '{}') as { account_sid: string; auth_token: string };
  server = await startServer(VERITY_ROOT, env, join(dataDir, "server.log"));
  const headers = { authorization: 'Basic ' + Buffer.from(`${created.account_sid}:${created.auth_token}`).toString('base64'), 'content-type': 'application/x-www-form-urlencoded' };
  const serviceRes = await fetch(`${server.url}/v2/Services`, { method: 'POST', headers, body: 'FriendlyName=Bench' });
  const service = (await serviceRes.json()) as { sid?: string };
  if (serviceRes.status !== 201 || !service.sid) throw new Error(`creating the service failed: ${serviceRes.status} ${JSON.stringify(service)}`);
  const url = `${server.url}/v2/Services/${service.sid}/Verifications`;

  let n = 0;
  let non2xx = 0;
  let errors = 0;
  const statuses: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();
  const create = () => {
    const to = `4478${String(n++).padStart(8, '0')}`;
    sentAt.set(to, performance.now());
    const start = performance.now();
    const request = fetch(url, { method: 'POST', headers, body: `To=%2B${to}&Channel=sms` }).then(
      async (res) => {
        await res.arrayBuffer();
        if (measuring) httpLatencies.push(performance.now() - start);
        if (measuring) statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status >= 300) non2xx++;
      },
      () => void errors++,
    );
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  };

  /** Open loop: a create every 1000/rate ms for `seconds`, on schedule even when answers are slow. */
  const run = async (seconds: number) => {
    const interval = 1000 / RATE;
    const begin = performance.now();
    for (let i = 0; i < seconds * RATE; i++) {
      const due = begin + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      create();
    }
    await Promise.all([...inFlight]);
  };

  await run(WARMUP_S);
  measuring = true;
  const started = performance.now();
  await run(DURATION_S);
  // Let the last submits reach the SMSC.
  const deadline = performance.now() + 5000;
  while (args.provider !== 'simulator' && sentAt.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  measuring = false;
  const sorted = Float64Array.from(latencies).sort();
  console.log(`create → submit_sm through the app (Verity child process, SQLite, ${args.provider === 'simulator' ? 'SIMULATOR provider (no SMPP)' : 'SMPP provider, one bind'}), ${RATE} creates/s open loop, ${DURATION_S} s after ${WARMUP_S} s warm-up`);
  console.log(`  creates ${DURATION_S * RATE}, answers ${JSON.stringify(statuses)}, non-2xx ${non2xx}, errors ${errors}${args.provider === 'simulator' ? '' : `, submits seen ${latencies.length}, never submitted ${sentAt.size}`}`);
  if (args.provider !== 'simulator') console.log(`  latency p50 ${percentile(sorted, 50).toFixed(2)} ms  p90 ${percentile(sorted, 90).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  max ${percentile(sorted, 100).toFixed(2)} ms  (${seconds.toFixed(1)} s)`);
  const http = Float64Array.from(httpLatencies).sort();
  console.log(`  HTTP answer p50 ${percentile(http, 50).toFixed(2)} ms  p99 ${percentile(http, 99).toFixed(2)} ms (create → 201, which includes submit_sm → submit_sm_resp)`);
  console.log(`  receipts sent back by the SMSC ${smsc.deliverAnswers.length} (deliver_sm_resp statuses: ${[...new Set(smsc.deliverAnswers)].join(',') || 'none'})`);
  console.log(`  machine ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}`);
} catch (error) {
  console.error(error);
  if (server) console.error(tail(server.logPath));
  process.exitCode = 1;
} finally {
  await server?.stop();
  await smsc.close();
}
