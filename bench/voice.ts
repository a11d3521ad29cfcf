/**
 * Call verification latency through the simulated phone network (keypad_code flow):
 *   ring     POST /Verifications (Channel=call) sent → the call shows up `ringing` on the phone
 *   approve  the last DTMF digit sent → the `approved` event on the verification's progress stream
 *
 *   npm run bench:voice [-- --calls 200 --concurrency 10]
 *
 * Verity runs as a child process (SQLite, simulator voice provider, log level warn, API rate limits
 * raised); the callers run here. Each call goes to its own number: the server allows one live call
 * per number and 5 sends per number per 10 minutes. Prompt audio is rendered with espeak-ng on the
 * server when it is installed (the report says whether it was), off the call's critical path; the
 * keypad_code prompts hold no code, so each is rendered once and then served from the cache.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readServerSentEvents, type ServerSentEvent } from '../src/authenticator/sse-reader.ts';
import { freePort, runCli, startServer, tempDirs } from './support/verity-process.ts';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '10' } } });
const CALLS = Number(values.calls);
const CONCURRENCY = Number(values.concurrency);
// +1 415 555 0000 … 9999: one number per call.
if (!Number.isInteger(CALLS) || CALLS < 1 || CALLS > 10_000 || !Number.isInteger(CONCURRENCY) || CONCURRENCY < 1) {
  console.error('usage: npm run bench:voice -- [--calls 1-10000] [--concurrency N ≥ 1]');
  process.exit(2);
}

/** Opens an event stream; resolves once its headers arrived, i.e. once the server has subscribed it. */
async function openStream(url: string, signal: AbortSignal): Promise<AsyncGenerator<ServerSentEvent>> {
  const res = await fetch(url, { signal, headers: { accept: 'text/event-stream' } });
  if (res.status !== 200 || !res.body) throw new Error(`GET ${url}: ${res.status}`);
  return readServerSentEvents(res.body);
}

/** The first event that `match`es, and performance.now() when it arrived. */
async function arrivalOf(events: AsyncGenerator<ServerSentEvent>, match: (event: ServerSentEvent) => boolean): Promise<{ at: number; event: ServerSentEvent }> {
  for await (const event of events) if (match(event)) return { at: performance.now(), event };
  throw new Error('the stream ended before the awaited event');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = mkdtempSync(join(tmpdir(), 'verity-bench-voice-'));
tempDirs.add(dataDir);
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH, // the server finds espeak-ng on it
  HOME: process.env.HOME,
  NODE_ENV: 'development',
  VERITY_DATA_DIR: dataDir,
  VERITY_DATABASE_URL: `sqlite:${join(dataDir, 'verity.db')}`,
  VERITY_HOST: '127.0.0.1',
  VERITY_PORT: String(await freePort()),
  VERITY_LOG_LEVEL: 'warn',
  VERITY_MASTER_KEY: randomBytes(32).toString('hex'),
  VERITY_VOICE_PROVIDER: 'simulator',
  // One account from one IP, all numbers under one prefix: lift the limits that would otherwise be the result.
  VERITY_RATE_ACCOUNT_PER_SECOND: '1000000',
  VERITY_RATE_ACCOUNT_BURST: '1000000',
  VERITY_RATE_IP_PER_SECOND: '1000000',
  VERITY_RATE_IP_BURST: '1000000',
  VERITY_FRAUD_PREFIX_MAX_SENDS: '1000000',
  VERITY_SEND_ACCOUNT_PER_SECOND: '1000000',
  VERITY_SEND_ACCOUNT_BURST: '1000000',
};
let espeak: string;
try {
  espeak = execFileSync('which', ['espeak-ng'], { encoding: 'utf8' }).trim();
} catch {
  espeak = '';
}

const account = JSON.parse((await runCli(root, env, ['accounts', 'create', '--name', 'bench'])).trim().split('\n').pop() ?? '{}') as { account_sid: string; auth_token: string };
const server = await startServer(root, env, join(dataDir, 'server.log'));
const authorization = 'Basic ' + Buffer.from(`${account.account_sid}:${account.auth_token}`).toString('base64');

/** POST to the Verify API (a form, with the account's credentials). */
async function api(path: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, any> }> {
  const headers = { authorization, 'content-type': 'application/x-www-form-urlencoded' };
  const res = await fetch(server.url + path, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** POST a simulated phone's action (no credentials); throws unless 200. */
async function phoneAction(path: string, json?: Record<string, string>): Promise<void> {
  const res = await fetch(server.url + path, { method: 'POST', ...(json && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }) });
  if (res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer().catch(() => undefined);
}

/** One call verification, answered and approved; returns [ring ms, approve ms]. */
async function oneCall(service: string, i: number): Promise<[number, number]> {
  const number = `+1415555${String(i).padStart(4, '0')}`;
  const phone = `/sim/v1/phones/${encodeURIComponent(number)}`;
  const abort = new AbortController();
  try {
    // "Phone rings" is read on the phone's own stream, opened before the create: the simulator
    // shows the call `ringing` the moment Verity places it. The progress stream's `ringing` comes
    // later (once the carrier's ringing report is stored), and its URL is only known from the
    // create response, so opening it then could replay an event that already happened.
    const phoneEvents = await openStream(`${server.url}${phone}/stream`, abort.signal);
    const rang = arrivalOf(phoneEvents, (e) => e.event === 'call' && (JSON.parse(e.data) as { status: string }).status === 'ringing');
    rang.catch(() => undefined); // awaited below unless the create fails
    const createdAt = performance.now();
    const created = await api(`/v2/Services/${service}/Verifications`, { To: number, Channel: 'call', VoiceFlow: 'keypad_code' });
    if (created.status !== 201) throw new Error(`create ${number}: ${created.status} ${JSON.stringify(created.body)}`);
    const ringing = await rang;
    const sid = (JSON.parse(ringing.event.data) as { sid: string }).sid;

    // The progress stream replays from its first event, so `approved` cannot be missed.
    const progress = await openStream(created.body.links.events as string, abort.signal);
    const approved = arrivalOf(progress, (e) => e.event === 'approved');
    approved.catch(() => undefined);
    await phoneAction(`${phone}/calls/${sid}/answer`);
    const digitsAt = performance.now();
    await phoneAction(`${phone}/calls/${sid}/dtmf`, { digits: `${created.body.display_code as string}#` });
    return [ringing.at - createdAt, (await approved).at - digitsAt];
  } finally {
    abort.abort();
  }
}

const ring: number[] = [];
const approve: number[] = [];
const started = performance.now();
try {
  const service = (await api('/v2/Services', { FriendlyName: 'Bench voice' })).body.sid as string;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < CALLS; i = next++) {
        const [r, a] = await oneCall(service, i);
        ring.push(r);
        approve.push(a);
      }
    }),
  );
} finally {
  await server.stop();
}
const seconds = (performance.now() - started) / 1000;
const serverLogLines = readFileSync(server.logPath, 'utf8').split('\n').filter(Boolean).length;

const rows = [
  ['create call verification → phone rings', ring],
  ['last DTMF digit → `approved` event', approve],
] as const;
console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length} (available parallelism ${availableParallelism()}), node ${process.version}, load ${loadavg()[0]?.toFixed(2)}`);
console.log(`espeak-ng: ${espeak ? `present (${espeak}), prompt audio rendered on the server` : 'absent, prompts without audio'}`);
console.log(`${CALLS} calls, ${CONCURRENCY} concurrent callers, ${seconds.toFixed(1)} s; server: separate process, SQLite, simulator voice provider, log level warn (${serverLogLines} lines logged)\n`);
console.log('| latency (ms) | p50 | p95 | p99 | max |');
console.log('|---|---:|---:|---:|---:|');
for (const [label, samples] of rows) {
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(`| ${label} | ${[50, 95, 99, 100].map((p) => percentile(sorted, p).toFixed(1)).join(' | ')} |`);
}
