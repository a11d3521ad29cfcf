/**
 * Real calls over SIP (issue 14): the SIP voice provider (src/providers/sip/, built as sip-plugin.ts
 * builds it) placing calls from 127.0.0.2 to real peers on loopback, with a small call engine
 * (support/sip-bench-events.ts) that records when each event reached it.
 *
 *   npm run bench:sip                                  # all three parts, seed 14
 *   npm run bench:sip -- --only ring --ring-calls 300
 *   npm run bench:sip -- --only concurrent --concurrent 50 --hold 30 --digits 12 --dtmf inband
 *   npm run bench:sip -- --captures /tmp/sip-pcaps    # keep the pcaps and raw samples
 *
 * 1. ring: INVITE → 180 Ringing through kamailio (digest: every INVITE is challenged with 407 first,
 *    as a commercial trunk does) to baresip in manual-answer mode; Verity then hangs up (CANCEL).
 *    One call at a time. Target p95 < 50 ms.
 * 2. answer: baresip auto-answers; the engine answers with a `say` prompt (espeak-ng, rendered and
 *    cached by the first call, which is reported apart as the cold-cache case) and Verity hangs up
 *    after it. Time = media.stats().firstAudioAt − timings.answeredAt, and on the wire from the 200 OK
 *    reaching Verity to its first non-silent RTP packet. Target < 100 ms.
 * 3. concurrent: N calls held at once to sipp answering with `-rtp_echo` (every RTP datagram goes back
 *    to its sender): Verity plays prompts and pauses (silence) on its shared 20 ms pacer, and each call
 *    sends digits (RtpMediaSession.sendDigits: RFC 4733 events, or tones with --dtmf inband) that come
 *    back through the echo and must be reported by Verity's own detector. After the last answer and
 *    --settle seconds (the young process's heap grows meanwhile; that phase's pacer lateness is printed
 *    apart), a --hold window with all N up measures: send pacing from a tcpdump capture (kernel
 *    timestamps; |departure gap − 20 ms × sequence step| per packet, and the RFC 3550 jitter the far end
 *    computes), the pacer's own tick lateness, the RFC 3550 jitter Verity computes of what it receives
 *    (sampled every 100 ms), lost and extra digits, and CPU per call (process.cpuUsage over the window,
 *    with the machine's /proc/stat and CPU pressure beside it). Targets: p99 jitter < 5 ms, no digit lost.
 *    A control process with only a 20 ms timer (support/sip-timer-canary.ts) runs in the same window:
 *    when it stalls as Verity's pacer does, the stall was the shared machine's.
 *
 * Numbers, not assertions: nothing here fails on a slow run. Randomness (digits, their timing, gaps
 * between calls) comes from --seed. Every process started (kamailio, two baresips, sipp, tcpdump) is
 * stopped at the end, also after an error or Ctrl-C (and the timer canary). The machine is shared: the load average is printed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { mulberry32 } from '../src/factors/voiceprint/audio/prng.ts';
import { encodeG711, STATIC_PAYLOAD_TYPE } from '../src/providers/sip/media/g711-codec.ts';
import type { RenderPrompt } from '../src/providers/sip/media/instruction-player.ts';
import type { DigitSource } from '../src/providers/sip/media/media-session.ts';
import type { RtpMediaSession, RtpMediaStats } from '../src/providers/sip/media/rtp-media-session.ts';
import { sharedPacer } from '../src/providers/sip/media/rtp-pacer.ts';
import { espeakRenderer } from '../src/providers/sip/espeak-renderer.ts';
import type { SipSettings } from '../src/providers/sip/sip-settings.ts';
import { SipVoiceProvider } from '../src/providers/sip/sip-voice-provider.ts';
import type { CallInstruction } from '../src/voice/call-script.ts';
import { startBaresip, type Baresip } from '../test/support/sip-peers/baresip.ts';
import { startKamailio } from '../test/support/sip-peers/kamailio.ts';
import { freePortBlock } from '../test/support/sip-peers/peer-process.ts';
import { BenchCallEvents, reach, within, type BenchCall } from './support/sip-bench-events.ts';
import { startEchoUas } from './support/sip-echo-uas.ts';
import { startCapture, tcpdumpAvailable, type Capture, type UdpDatagram } from './support/sip-pcap.ts';
import { startTimerCanary } from './support/sip-timer-canary.ts';
import { firstAudioSent, rtpPacing, sipCalls } from './support/sip-wire.ts';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    'ring-calls': { type: 'string', default: '100' },
    'answer-calls': { type: 'string', default: '50' },
    concurrent: { type: 'string', default: '50' },
    /** Seconds all concurrent calls are held together (the measuring window). */
    hold: { type: 'string', default: '20' },
    /** Seconds between the last answer and the window: the young process's heap grows meanwhile (V8 mark-compacts). */
    settle: { type: 'string', default: '3' },
    /** Digits each concurrent call sends. */
    digits: { type: 'string', default: '10' },
    /** How they are sent: `rfc4733` telephone-events, or `inband` tones (then Goertzel must hear them in the echo). */
    dtmf: { type: 'string', default: 'rfc4733' },
    warmup: { type: 'string', default: '3' },
    seed: { type: 'string', default: '14' },
    'log-level': { type: 'string', default: 'warn' },
    /** Skip the tcpdump captures (wire numbers then missing). */
    'no-capture': { type: 'boolean', default: false },
    /**
     * Decode each cached prompt WAV once (a WeakMap beside the renderer) instead of at every render as
     * sip-plugin.ts does today: shows what that costs (the default measures the plug-in as it is).
     */
    /** Keep the pcap files (for tshark/Wireshark) and the raw samples (JSON) in this folder instead of a temp folder removed at the end. */
    captures: { type: 'string' },
  },
});
const PARTS = new Set(args.only ? args.only.split(',') : ['ring', 'answer', 'concurrent']);
const RING_CALLS = Number(args['ring-calls']);
const ANSWER_CALLS = Number(args['answer-calls']);
const CONCURRENT = Number(args.concurrent);
const HOLD_S = Number(args.hold);
const SETTLE_S = Number(args.settle);
const DIGITS = Number(args.digits);
const WARMUP = Number(args.warmup);
const SEED = Number(args.seed);
const DTMF_MODE = args.dtmf === 'inband' ? 'inband' : 'rfc4733';
const CAPTURE = !args['no-capture'] && tcpdumpAvailable();

/** Verity's own address: npm `sip` answers a synthetic 404 when the target host is its own (reference §1). */
const VERITY = '127.0.0.2';
const CALLER_ID = '+14155550199';
const RINGER = '+14155550101';
const ANSWERER = '+14155550102';
const ECHO = '+14155550103';
const ANSWER_PROMPT = 'Hello from Verity.';
const HOLD_PROMPT = 'Your verification code is one two three, four five six.';
const KEYS = '0123456789*#';

const random = mulberry32(SEED);
const logger = pino({ level: args['log-level'], base: { bench: 'sip-calls' } }, pino.destination(2));

// -- plumbing -------------------------------------------------------------------------------------

const cleanups: Array<() => Promise<unknown>> = [];
/** Runs the stops pushed since `mark` in reverse order of the starts, each once, whatever fails. */
async function cleanUp(mark = 0): Promise<void> {
  for (const stop of cleanups.splice(mark).reverse()) await stop().catch((error: unknown) => console.error('clean-up:', (error as Error).message));
}
process.once('SIGINT', () => {
  process.stderr.write('\nSIGINT: stopping every peer\n');
  void cleanUp().finally(() => process.exit(130));
});

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : 'n/a');
const spread = (values: readonly number[]) =>
  `p50 ${ms(percentile(values, 50))}  p95 ${ms(percentile(values, 95))}  p99 ${ms(percentile(values, 99))}  max ${ms(percentile(values, 100))}  (n=${values.length})`;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
/** performance.now() on the epoch clock of pcap timestamps. */
const epochOf = (now: number) => performance.timeOrigin + now;

/** The prompt renderer exactly as sip-plugin.ts builds it (espeak-ng, cached per text and locale, decoded once). */
const render: RenderPrompt = espeakRenderer({ logger });

async function rtpPorts(calls: number): Promise<{ min: number; max: number }> {
  const span = Math.max(64, calls * 4);
  const min = await freePortBlock(span, VERITY);
  return { min, max: min + span - 1 };
}

function settings(proxy: { host: string; port: number }, domain: string, credentials: SipSettings['credentials'], ports: { min: number; max: number }): SipSettings {
  return {
    proxy: { ...proxy, transport: 'udp' },
    domain,
    credentials,
    register: undefined,
    listen: { address: VERITY, port: 0 },
    publicAddress: VERITY,
    rtpPorts: ports,
    codecs: ['PCMU', 'PCMA'],
    dtmf: { rfc4733: true, inband: true },
    assertIdentity: true,
    numberFormat: 'e164',
    maxCallSeconds: 600,
    tls: undefined,
  };
}

async function startProvider(sipSettings: SipSettings, events: BenchCallEvents): Promise<SipVoiceProvider> {
  const provider = new SipVoiceProvider({ settings: sipSettings, events: () => events, render, logger: logger.child({ provider: 'sip' }), userAgent: 'Verity-bench' });
  cleanups.push(() => provider.close());
  await provider.start();
  return provider;
}

let calls = 0;
function placeCall(provider: SipVoiceProvider, events: BenchCallEvents, to: string, flash: boolean): Promise<{ call: BenchCall; callId: string; live: NonNullable<ReturnType<SipVoiceProvider['liveCall']>> }> {
  const sid = `CLbench${SEED}x${String(++calls).padStart(5, '0')}`;
  const call = events.expect(sid);
  return provider.placeCall({ callSid: sid, verificationSid: 'VEbench', to, from: CALLER_ID, ringTimeoutSeconds: 30, flash }).then(({ providerCallId }) => {
    const live = provider.liveCall(sid);
    if (!live) throw new Error(`call ${sid} is not live right after placeCall`);
    return { call, callId: providerCallId, live };
  });
}

async function maybeCapture(dir: string, name: string, filter: string, snaplen = 0): Promise<Capture | undefined> {
  if (!CAPTURE) return undefined;
  let capture: Capture;
  try {
    capture = await startCapture(join(args.captures ?? dir, `${name}.pcap`), filter, snaplen);
  } catch (error) {
    // Capturing needs CAP_NET_RAW (root): without it the wire numbers are missing, the rest still runs.
    console.error(`   (no ${name} capture: ${(error as Error).message})`);
    return undefined;
  }
  let stopped: Promise<UdpDatagram[]> | undefined;
  const stop = () => (stopped ??= capture.stop());
  cleanups.push(stop);
  return { stop, report: capture.report };
}

/** The machine's CPU counters (/proc/stat, all CPUs) and its CPU pressure (PSI: µs some task waited for a CPU). */
function machineCpu(): { busy: number; steal: number; total: number; waitedUs: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  let waitedUs = Number.NaN;
  try {
    waitedUs = Number(/^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1] ?? Number.NaN);
  } catch {
    // No PSI in this kernel.
  }
  return { busy, steal, total: busy + idle + iowait, waitedUs };
}

/** utime + stime of a process, seconds (clock ticks of 1/100 s, Linux's USER_HZ). */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

const silenceByPayloadType = new Map<number, number>([
  [STATIC_PAYLOAD_TYPE.PCMU, encodeG711('PCMU', new Int16Array(1))[0]!],
  [STATIC_PAYLOAD_TYPE.PCMA, encodeG711('PCMA', new Int16Array(1))[0]!],
]);

// -- 1 and 2: through kamailio to baresip --------------------------------------------------------

interface RingResult {
  /** timings.ringingAt − timings.invitedAt (Verity's SipCall milestones). */
  sip: number[];
  /** placeCall → CallEvents.ringing (adds the RTP socket, the event queue). */
  event: number[];
  /** First INVITE out → 180 in, on the wire. */
  wire: number[];
  /** Calls whose first INVITE was challenged (407) on the wire. */
  challenged: number;
  ended: Record<string, number>;
}

interface AnswerResult {
  cold: { timings: number; wire: number | null } | null;
  /** firstAudioAt − answeredAt. */
  timings: number[];
  /** 200 OK reaching Verity → first non-silent RTP packet leaving it. */
  wire: number[];
  /** CallEvents.answered → firstAudioAt (the engine's turn included). */
  fromEvent: number[];
  promptSeconds: number;
  ended: Record<string, number>;
}

async function throughKamailio(dir: string): Promise<{ ring?: RingResult; answer?: AnswerResult }> {
  const trunk = await startKamailio({
    accounts: { verity: 'bench-verity-pw', ringer: 'bench-ringer-pw', answerer: 'bench-answerer-pw' },
    numbers: { [RINGER]: 'ringer', [ANSWERER]: 'answerer' },
  });
  cleanups.push(() => trunk.stop());
  const phone = async (user: string, answerMode: 'auto' | 'manual'): Promise<Baresip> => {
    const started = await startBaresip({ user, answerMode, registrar: { host: trunk.host, port: trunk.port, password: `bench-${user}-pw` }, callSeconds: 600, codecs: 'PCMU' });
    cleanups.push(() => started.stop());
    await trunk.waitForRegistration(user);
    return started;
  };
  const phones = { ringer: await phone('ringer', 'manual'), answerer: await phone('answerer', 'auto') };
  const events = new BenchCallEvents(() => ({ prompts: [{ kind: 'say', text: ANSWER_PROMPT, locale: 'en' }], then: { kind: 'hangup' } }));
  const provider = await startProvider(settings({ host: trunk.host, port: trunk.port }, trunk.host, { username: 'verity', password: 'bench-verity-pw' }, await rtpPorts(8)), events);
  const capture = await maybeCapture(dir, 'kamailio', `udp and (port ${trunk.port} or src host ${VERITY})`);
  const out: { ring?: RingResult; answer?: AnswerResult } = {};
  const callIds: Array<{ part: 'ring' | 'answer'; index: number; callId: string; firstAudioAt: number | null }> = [];

  if (PARTS.has('ring')) {
    const result: RingResult = { sip: [], event: [], wire: [], challenged: 0, ended: {} };
    for (let i = 0; i < WARMUP + RING_CALLS; i++) {
      const before = phones.ringer.events.length;
      const placedAt = performance.now();
      const { call, callId, live } = await placeCall(provider, events, RINGER, true);
      const ringingEventAt = await reach(call, 'ringing', 10_000);
      await provider.hangup(call.sid);
      const ended = await within(call.ended, 10_000, `call ${call.sid} to end after CANCEL`);
      await phones.ringer.waitFor((e) => e.type === 'CALL_CLOSED', 'the ringing phone to close the call', { after: before, timeoutMs: 10_000 });
      if (i < WARMUP) continue;
      result.ended[ended.how] = (result.ended[ended.how] ?? 0) + 1;
      result.sip.push(live.timings.ringingAt! - live.timings.invitedAt);
      result.event.push(ringingEventAt - placedAt);
      callIds.push({ part: 'ring', index: i, callId, firstAudioAt: null });
      // A seeded pause of 0-20 ms, so calls do not fall into step with the peers' timers.
      await sleep(random() * 20);
    }
    out.ring = result;
  }

  if (PARTS.has('answer')) {
    const result: AnswerResult = { cold: null, timings: [], wire: [], fromEvent: [], promptSeconds: Number.NaN, ended: {} };
    for (let i = 0; i <= ANSWER_CALLS; i++) {
      const before = phones.answerer.events.length;
      const { call, callId, live } = await placeCall(provider, events, ANSWERER, false);
      const answeredEventAt = await reach(call, 'answered', 10_000);
      const ended = await within(call.ended, 30_000, `call ${call.sid} to end after its prompt`);
      await phones.answerer.waitFor((e) => e.type === 'CALL_CLOSED', 'the answering phone to close the call', { after: before, timeoutMs: 10_000 });
      result.ended[ended.how] = (result.ended[ended.how] ?? 0) + 1;
      const firstAudioAt = live.media.stats().firstAudioAt;
      if (firstAudioAt === null || live.timings.answeredAt === null) throw new Error(`call ${call.sid}: no prompt audio was sent (${ended.how}: ${ended.detail ?? ''})`);
      callIds.push({ part: 'answer', index: i, callId, firstAudioAt });
      const value = firstAudioAt - live.timings.answeredAt;
      if (i === 0) result.cold = { timings: value, wire: null };
      else {
        result.timings.push(value);
        result.fromEvent.push(firstAudioAt - answeredEventAt);
      }
      await sleep(random() * 20);
    }
    // The first call rendered the prompt (cold); every other call found it cached.
    const samples = await render(ANSWER_PROMPT, 'en');
    result.promptSeconds = samples ? samples.length / 8000 : Number.NaN;
    out.answer = result;
  }

  if (capture) {
    const datagrams = await capture.stop();
    const wire = sipCalls(datagrams, VERITY);
    for (const { part, index, callId } of callIds) {
      const call = wire.get(callId);
      if (!call) continue;
      if (part === 'ring' && call.ringingAt !== null) out.ring!.wire.push(call.ringingAt - call.inviteAt);
      if (part === 'ring' && call.challenged) out.ring!.challenged++;
      if (part === 'answer' && call.answeredAt !== null && call.rtpPort !== null) {
        const sent = firstAudioSent(datagrams, VERITY, call.rtpPort, call.answeredAt, silenceByPayloadType);
        if (sent === null) continue;
        if (index === 0) out.answer!.cold!.wire = sent - call.answeredAt;
        else out.answer!.wire.push(sent - call.answeredAt);
      }
    }
  }
  return out;
}

// -- 3: concurrent calls to sipp's echo -----------------------------------------------------------

interface ConcurrentResult {
  calls: number;
  windowSeconds: number;
  pacerLatenessMs: number[];
  /** The pacer's lateness from the first INVITE to the window (calls being set up, the heap growing). */
  rampLatenessMs: number[];
  /** The same kind of timer in a process of its own with no calls, over the same window (sip-timer-canary.ts). */
  canaryLatenessMs: number[];
  wire: ReturnType<typeof rtpPacing> | null;
  /** tcpdump's own count of packets the kernel dropped before it could capture them (the wire numbers miss those). */
  captureDropped: string;
  /** Verity's RFC 3550 jitter of the echoed stream, every call sampled every 100 ms through the window. */
  receivedJitterMs: number[];
  sent: number;
  received: number;
  dropped: number;
  digitsSent: number;
  digitsMatched: number;
  digitsExtra: number;
  bySource: Record<DigitSource, number>;
  /** Seconds of CPU per second of wall time (1 = one core busy), the window only. */
  processCores: number;
  /** The same with the user agent started and no call, just before the calls. */
  idleCores: number;
  machineCores: number;
  /** Share of the machine's CPU time the hypervisor gave to others (steal), and share of the window some task waited for a CPU (PSI). */
  stealShare: number;
  pressureShare: number;
  sippCores: number;
  ended: Record<string, number>;
}

/** How many of `sent` (in order) appear in `heard` in the same order (a digit heard twice counts once). */
function matchedInOrder(sent: string, heard: string): number {
  let at = 0;
  let matched = 0;
  for (const digit of sent) {
    const found = heard.indexOf(digit, at);
    if (found < 0) continue;
    matched++;
    at = found + 1;
  }
  return matched;
}

async function concurrentCalls(dir: string): Promise<ConcurrentResult> {
  const sipp = await startEchoUas(CONCURRENT);
  cleanups.push(() => sipp.stop());
  const prompt = await render(HOLD_PROMPT, 'en');
  const promptSeconds = prompt ? prompt.length / 8000 : 3;
  // Prompts and one-second pauses (silence) for longer than the call is held: Verity never hangs up by itself.
  const prompts: CallInstruction['prompts'] = [];
  while (prompts.length / 2 * (promptSeconds + 1) < HOLD_S + 30) prompts.push({ kind: 'say', text: HOLD_PROMPT, locale: 'en' }, { kind: 'pause', seconds: 1 });
  const events = new BenchCallEvents(() => ({ prompts, then: { kind: 'hangup' } }));
  const provider = await startProvider(settings({ host: sipp.host, port: sipp.port }, sipp.host, undefined, await rtpPorts(CONCURRENT)), events);
  const capture = await maybeCapture(dir, 'echo', `udp and src host ${VERITY} and dst port ${sipp.mediaPort}`, 64);
  const idle0 = process.cpuUsage();
  const idleStart = performance.now();
  await sleep(2000);
  const idleUsage = process.cpuUsage(idle0);
  const idleCores = (idleUsage.user + idleUsage.system) / 1000 / (performance.now() - idleStart);

  const stopRampLateness = sharedPacer.measureLateness();
  const placed: Array<{ call: BenchCall; media: RtpMediaSession; heard: string; sent: string }> = [];
  const bySource: Record<DigitSource, number> = { rfc4733: 0, inband: 0 };
  for (let i = 0; i < CONCURRENT; i++) {
    const { call, live } = await placeCall(provider, events, ECHO, false);
    const media = live.media as RtpMediaSession;
    if (typeof media.sendDigits !== 'function') throw new Error('the media session has no sendDigits: the concurrent part needs it');
    const entry = { call, media, heard: '', sent: '' };
    media.onDigit((digit, source) => {
      entry.heard += digit;
      bySource[source]++;
    });
    placed.push(entry);
    await sleep(20 + random() * 40);
  }
  await within(Promise.all(placed.map(({ call }) => reach(call, 'answered', 30_000))), 40_000, `all ${CONCURRENT} calls to be answered`);
  await sleep(SETTLE_S * 1000);
  const rampLatenessMs = stopRampLateness();
  // Every call is playing: the window starts.
  const canary = startTimerCanary();
  cleanups.push(() => canary.stop());
  const stopLateness = sharedPacer.measureLateness();
  const windowStart = performance.now();
  const cpu0 = process.cpuUsage();
  const machine0 = machineCpu();
  const sipp0 = processCpuSeconds(sipp.pid);

  // Each call's digits at seeded moments: a first one 0.5-1.5 s in, then evenly until 3 s before the end.
  const timers: NodeJS.Timeout[] = [];
  const failures: string[] = [];
  for (const entry of placed) {
    const first = 500 + random() * 1000;
    const step = (HOLD_S * 1000 - 3000 - first) / Math.max(1, DIGITS - 1);
    for (let k = 0; k < DIGITS; k++) {
      const digit = KEYS[Math.floor(random() * KEYS.length)]!;
      entry.sent += digit;
      timers.push(
        setTimeout(() => {
          entry.media.sendDigits(digit, { mode: DTMF_MODE }).catch((error: unknown) => failures.push((error as Error).message));
        }, first + k * step),
      );
    }
  }
  const receivedJitterMs: number[] = [];
  const sampler = setInterval(() => {
    for (const { media } of placed) receivedJitterMs.push(media.stats().jitterMs);
  }, 100);
  await sleep(HOLD_S * 1000);
  clearInterval(sampler);
  const windowEnd = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const machine1 = machineCpu();
  const sipp1 = processCpuSeconds(sipp.pid);
  const lateness = stopLateness();
  const canaryLatenessMs = await canary.stop();
  if (args.captures) writeFileSync(join(args.captures, 'concurrent-samples.json'), JSON.stringify({ windowStart: epochOf(windowStart), windowEnd: epochOf(windowEnd), pacerLatenessMs: lateness, canaryLatenessMs }));
  const stats = placed.map(({ media }) => media.stats() as RtpMediaStats);
  timers.forEach(clearTimeout);
  if (failures.length > 0) console.error(`  sendDigits failed ${failures.length} times: ${failures[0]}`);

  await Promise.all(placed.map(({ call }) => provider.hangup(call.sid)));
  const ended: Record<string, number> = {};
  for (const { call } of placed) {
    const end = await within(call.ended, 15_000, `call ${call.sid} to end after BYE`);
    ended[end.how] = (ended[end.how] ?? 0) + 1;
  }
  const wallSeconds = (windowEnd - windowStart) / 1000;
  const datagrams = capture ? await capture.stop() : null;
  const audioTypes = new Set([STATIC_PAYLOAD_TYPE.PCMU, STATIC_PAYLOAD_TYPE.PCMA]);
  return {
    calls: CONCURRENT,
    windowSeconds: wallSeconds,
    pacerLatenessMs: lateness,
    rampLatenessMs,
    canaryLatenessMs,
    captureDropped: /(\d+) packets? dropped by kernel/.exec(capture?.report() ?? '')?.[1] ?? 'n/a',
    wire: datagrams ? rtpPacing(datagrams, VERITY, sipp.mediaPort, epochOf(windowStart), epochOf(windowEnd), audioTypes) : null,
    receivedJitterMs,
    sent: stats.reduce((sum, s) => sum + s.packetsSent, 0),
    received: stats.reduce((sum, s) => sum + s.packetsReceived, 0),
    dropped: stats.reduce((sum, s) => sum + s.packetsDropped, 0),
    digitsSent: placed.reduce((sum, p) => sum + p.sent.length, 0),
    digitsMatched: placed.reduce((sum, p) => sum + matchedInOrder(p.sent, p.heard), 0),
    digitsExtra: placed.reduce((sum, p) => sum + p.heard.length - matchedInOrder(p.sent, p.heard), 0),
    bySource,
    processCores: (cpu.user + cpu.system) / 1e6 / wallSeconds,
    idleCores,
    machineCores: ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * os.cpus().length,
    stealShare: (machine1.steal - machine0.steal) / (machine1.total - machine0.total),
    pressureShare: (machine1.waitedUs - machine0.waitedUs) / 1000 / (windowEnd - windowStart),
    sippCores: (sipp1 - sipp0) / wallSeconds,
    ended,
  };
}

// -- run and report ---------------------------------------------------------------------------------

const work = mkdtempSync(join(os.tmpdir(), 'verity-bench-sip-'));
if (args.captures) mkdirSync(args.captures, { recursive: true });
cleanups.push(async () => rmSync(work, { recursive: true, force: true }));
const loadBefore = os.loadavg();
const rows: Array<[string, string, string]> = [];
try {
  console.log(`SIP calls (issue 14): Verity's SIP provider on ${VERITY}, peers on 127.0.0.1, seed ${SEED}${CAPTURE ? ', tcpdump on lo' : ', no capture'}`);
  if (PARTS.has('ring') || PARTS.has('answer')) {
    const mark = cleanups.length;
    const { ring, answer } = await throughKamailio(work);
    if (ring) {
      console.log(`\n1. INVITE → 180 Ringing through kamailio (407 digest challenge, then the authenticated INVITE) to baresip (manual answer), then CANCEL; ${RING_CALLS} calls after ${WARMUP} warm-up, one at a time`);
      console.log(`   Verity timings (INVITE sent → 180 handled):  ${spread(ring.sip)}`);
      console.log(`   on the wire (first INVITE out → 180 in):      ${spread(ring.wire)}; ${ring.challenged} of them challenged (407)`);
      console.log(`   placeCall → CallEvents.ringing:               ${spread(ring.event)}`);
      console.log(`   ended: ${JSON.stringify(ring.ended)}`);
      rows.push(['INVITE → 180 p95 (Verity timings)', '< 50 ms', ms(percentile(ring.sip, 95))], ['INVITE → 180 p95 (wire)', '< 50 ms', ms(percentile(ring.wire, 95))]);
    }
    if (answer) {
      console.log(`\n2. answer → first prompt audio: baresip (auto answer) through kamailio, a ${answer.promptSeconds.toFixed(1)} s espeak-ng prompt, then Verity hangs up; ${ANSWER_CALLS} calls after the cold one`);
      console.log(`   cold cache (first call, espeak-ng renders): timings ${ms(answer.cold?.timings ?? Number.NaN)}, wire ${ms(answer.cold?.wire ?? Number.NaN)}`);
      console.log(`   firstAudioAt − answeredAt:                    ${spread(answer.timings)}`);
      console.log(`   on the wire (200 OK in → first audio out):    ${spread(answer.wire)}`);
      console.log(`   CallEvents.answered → first audio:            ${spread(answer.fromEvent)}`);
      console.log(`   ended: ${JSON.stringify(answer.ended)}`);
      rows.push(
        ['answer → first audio p95 (timings)', '< 100 ms', ms(percentile(answer.timings, 95))],
        ['200 OK → first audio p95 (wire)', '< 100 ms', ms(percentile(answer.wire, 95))],
        ['answer → first audio, cold cache', '—', ms(answer.cold?.timings ?? Number.NaN)],
      );
    }
    // kamailio and the phones go before the concurrent part: they would share its CPU.
    await cleanUp(mark);
  }
  if (PARTS.has('concurrent')) {
    const c = await concurrentCalls(work);
    console.log(`\n3. ${c.calls} concurrent calls to sipp -rtp_echo, held together ${c.windowSeconds.toFixed(1)} s after ${SETTLE_S} s of settling (prompt + 1 s pauses), ${DIGITS} ${DTMF_MODE === 'inband' ? 'in-band (tone)' : 'RFC 4733'} digits per call`);
    if (c.wire) {
      console.log(`   send pacing on the wire, |Δ departure − 20 ms| per packet, all calls: ${spread(c.wire.deviationsMs)}`);
      console.log(`   far-end RFC 3550 jitter (capture), after every packet of every stream: ${spread(c.wire.jitterSamplesMs)}`);
      console.log(`     at the end of the window, per stream: p50 ${ms(percentile(c.wire.jitterMs, 50))}  max ${ms(percentile(c.wire.jitterMs, 100))}  (${c.wire.streams} streams, ${c.wire.packets} packets, ${c.wire.missing} sequence gaps, ${c.captureDropped} dropped by the capture)`);
    }
    console.log(`   pacer tick lateness (in process):              ${spread(c.pacerLatenessMs)}; ticks ≥ 20 ms late: ${c.pacerLatenessMs.filter((l) => l >= 20).length}`);
    console.log(`   pacer lateness while the calls were set up (ramp + settle, not in the window): ${spread(c.rampLatenessMs)}`);
    console.log(`   control: a 20 ms timer in an idle process, same window: ${spread(c.canaryLatenessMs)}; wake-ups ≥ 20 ms late: ${c.canaryLatenessMs.filter((l) => l >= 20).length}`);
    console.log(`   Verity's RFC 3550 jitter of the echo (every call every 100 ms): ${spread(c.receivedJitterMs)}`);
    console.log(`   RTP packets: sent ${c.sent}, received ${c.received} (${((100 * c.received) / Math.max(1, c.sent)).toFixed(2)} %), dropped ${c.dropped}`);
    console.log(`   DTMF (${DTMF_MODE}): sent ${c.digitsSent}, detected ${c.digitsMatched} (lost ${c.digitsSent - c.digitsMatched}), extra ${c.digitsExtra}; by source ${JSON.stringify(c.bySource)}`);
    console.log(`   CPU: Verity process ${(100 * c.processCores).toFixed(1)} % of a core = ${((100 * c.processCores) / c.calls).toFixed(2)} % per call; sipp ${(100 * c.sippCores).toFixed(1)} %; idle before the calls ${(100 * c.idleCores).toFixed(1)} %`);
    console.log(`   the shared machine meanwhile: ${c.machineCores.toFixed(2)} of ${os.cpus().length} cores busy (other work included), steal ${(100 * c.stealShare).toFixed(1)} %, some task waiting for a CPU ${(100 * c.pressureShare).toFixed(0)} % of the time (PSI)`);
    console.log(`   ended: ${JSON.stringify(c.ended)}`);
    if (c.wire) rows.push(['far-end RFC 3550 jitter p99 (wire)', '< 5 ms', ms(percentile(c.wire.jitterSamplesMs, 99))]);
    if (c.wire) rows.push(['send pacing |Δ − 20 ms| p99 (wire)', '< 5 ms', ms(percentile(c.wire.deviationsMs, 99))]);
    rows.push(
      ['pacer tick lateness p99 (in process)', '< 5 ms', ms(percentile(c.pacerLatenessMs, 99))],
      ['  control: idle process timer p99 / max', '—', `${ms(percentile(c.canaryLatenessMs, 99))} / ${ms(percentile(c.canaryLatenessMs, 100))}`],
      ['received RFC 3550 jitter p99 (Verity)', '< 5 ms', ms(percentile(c.receivedJitterMs, 99))],
      [`lost ${DTMF_MODE === 'inband' ? 'in-band' : 'RFC 4733'} digits (extra)`, '0', `${c.digitsSent - c.digitsMatched} of ${c.digitsSent} (${c.digitsExtra})`],
      ['CPU per call', 'report', `${((100 * c.processCores) / c.calls).toFixed(2)} % of a core`],
    );
  }
  console.log('\nsummary');
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`  ${'measure'.padEnd(width)}  ${'target'.padEnd(8)}  measured`);
  for (const [name, target, value] of rows) console.log(`  ${name.padEnd(width)}  ${target.padEnd(8)}  ${value}`);
  console.log(`  machine ${os.cpus().length} CPUs, load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
