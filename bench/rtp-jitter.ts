/**
 * Send timing of the SIP provider's RTP under load: N concurrent calls in one Verity-side process,
 * all on the shared 20 ms pacer (src/providers/sip/media/rtp-pacer.ts), each playing prompt audio,
 * receiving the phone's audio (G.711 decode + in-band Goertzel detector on) and its digits. The
 * phones run in a child process (their own event loop, as a carrier would be), send audio and
 * digits back, and time the arrival of every packet.
 *
 *   npx tsx bench/rtp-jitter.ts                     # 50 calls for 10 s
 *   npx tsx bench/rtp-jitter.ts --calls 100 --duration 20
 *
 * Printed: the send lateness (when the last packet of each tick left, minus the tick's ideal time), each
 * packet's arrival deviation from its stream's ideal 20 ms grid at the phone (minus the stream's
 * smallest, so a constant delay is not counted), the phones' RFC 3550 jitter, lost packets, digits
 * sent vs heard, and the Verity-side CPU per call. Target (issue 14): send p99 < 5 ms, no lost DTMF
 * (the arrival deviation is shown too; it adds the phones' process being scheduled late).
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import { setMaxListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { G711Codec } from '../src/providers/sip/media/media-session.ts';
import { sharedPacer } from '../src/providers/sip/media/rtp-pacer.ts';
import { openMediaSession, type RtpMediaSession } from '../src/providers/sip/media/rtp-media-session.ts';

const { values: args } = parseArgs({
  options: {
    calls: { type: 'string', default: '50' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    role: { type: 'string', default: 'verity' },
  },
});
const CALLS = Number(args.calls);
const DURATION_S = Number(args.duration);
const WARMUP_S = Number(args.warmup);
const RFC_DIGITS = '13579';
const INBAND_DIGITS = '24680';

type ToPhones = { offers: string[] } | { measure: boolean } | { stop: true };
type FromPhones = { offers: string[] } | { sent: true } | { result: PhoneResult };
interface PhoneResult {
  deviationsMs: number[];
  jitterMs: number[];
  received: number[];
  expected: number[];
}

const sessionOptions = (address: string, codecs: G711Codec[]) => ({ bindAddress: address, publicAddress: address, portRange: { min: 33000, max: 39999 }, codecs, dtmf: { rfc4733: true, inband: true } });

/** 1 s of a quiet two-tone "prompt" that the Goertzel detector ignores (no DTMF pair). */
const PROMPT = Int16Array.from({ length: 8000 }, (_, i) => Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / 8000) + 2000 * Math.sin((2 * Math.PI * 1100 * i) / 8000)));

function percentile(values: number[], p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Plays the prompt over and over until `stop`. */
function keepTalking(session: RtpMediaSession, stop: AbortSignal): void {
  const loop = async () => {
    while (!stop.aborted) if ((await session.play(PROMPT, stop)) === 'interrupted') return;
  };
  void loop();
}

if (args.role === 'phones') {
  // ---- the phones (child process) ----
  const phones: RtpMediaSession[] = [];
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const arrivals: { first: { at: number; seq: number } | null; deviations: number[] }[] = [];
  let measuring = false;
  const send = (message: FromPhones) => process.send!(message);
  process.on('message', (message: ToPhones) => {
    void (async () => {
      if ('offers' in message) {
        for (const offer of message.offers) {
          const phone = await openMediaSession(sessionOptions('127.0.0.1', ['PCMU']));
          phone.applyAnswer(offer);
          const stream = { first: null as { at: number; seq: number } | null, deviations: [] as number[] };
          arrivals.push(stream);
          let count = 0;
          phone.onAudio(() => {
            const now = performance.now();
            if (!measuring) return;
            if (!stream.first) stream.first = { at: now, seq: count };
            stream.deviations.push(now - (stream.first.at + (count - stream.first.seq) * 20));
            count++;
          });
          phones.push(phone);
          keepTalking(phone, stop.signal);
        }
        send({ offers: phones.map((p) => p.offer()) });
      } else if ('measure' in message) {
        measuring = message.measure;
        if (measuring) {
          // Digits in the middle of the run, both ways a trunk sends them.
          await Promise.all(phones.map(async (phone) => {
            await phone.sendDigits(RFC_DIGITS, { durationMs: 80, gapMs: 120 });
            await phone.sendDigits(INBAND_DIGITS, { mode: 'inband', durationMs: 80, gapMs: 120 });
          }));
          send({ sent: true });
        }
      } else {
        stop.abort();
        const deviationsMs: number[] = [];
        for (const stream of arrivals) {
          // A constant path delay is not jitter: measure from the stream's earliest packet.
          const floor = Math.min(...stream.deviations);
          for (const d of stream.deviations) deviationsMs.push(d - floor);
        }
        const result: PhoneResult = {
          deviationsMs,
          jitterMs: phones.map((p) => p.stats().jitterMs),
          received: phones.map((p) => p.stats().packetsReceived),
          expected: [],
        };
        phones.forEach((p) => p.close());
        // Disconnect only once the (large) message is written, or it is lost.
        process.send!({ result } satisfies FromPhones, () => process.disconnect());
      }
    })();
  });
} else {
  // ---- Verity's side ----
  const verity: RtpMediaSession[] = [];
  for (let i = 0; i < CALLS; i++) verity.push(await openMediaSession(sessionOptions('127.0.0.2', ['PCMU', 'PCMA'])));
  const heard = verity.map(() => '');
  verity.forEach((session, i) => session.onDigit((digit) => (heard[i] += digit)));
  const child = fork(fileURLToPath(import.meta.url), ['--role', 'phones'], { execArgv: ['--import', 'tsx'] });
  const next = () => new Promise<FromPhones>((resolve) => child.once('message', (m: FromPhones) => resolve(m)));
  child.send({ offers: verity.map((s) => s.offer()) } satisfies ToPhones);
  const answer = await next();
  if (!('offers' in answer)) throw new Error('unexpected message from the phones');
  answer.offers.forEach((sdp, i) => verity[i]!.applyAnswer(sdp));
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  verity.forEach((session) => keepTalking(session, stop.signal));

  await new Promise((resolve) => setTimeout(resolve, WARMUP_S * 1000));
  const sentBefore = verity.map((s) => s.stats().packetsSent);
  const lateness = sharedPacer.measureLateness();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  child.send({ measure: true } satisfies ToPhones);
  const digitsSent = next();
  await new Promise((resolve) => setTimeout(resolve, DURATION_S * 1000));
  await digitsSent;
  child.send({ measure: false } satisfies ToPhones);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const ticks = lateness();
  const sent = verity.map((s, i) => s.stats().packetsSent - sentBefore[i]!);
  // Let the last packets arrive.
  await new Promise((resolve) => setTimeout(resolve, 200));
  child.send({ stop: true } satisfies ToPhones);
  const final = await next();
  stop.abort();
  verity.forEach((s) => s.close());
  if (!('result' in final)) throw new Error('unexpected message from the phones');
  const { deviationsMs, jitterMs } = final.result;

  const expectedDigits = RFC_DIGITS + INBAND_DIGITS;
  const digitsOk = heard.filter((h) => h === expectedDigits).length;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(`# RTP send timing, ${CALLS} concurrent calls, ${DURATION_S} s after ${WARMUP_S} s warm-up`);
  console.log(`machine: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`send lateness (the last packet of each tick vs its ideal time, ${ticks.length} ticks): p50 ${percentile(ticks, 50).toFixed(2)} ms  p99 ${percentile(ticks, 99).toFixed(2)} ms  max ${percentile(ticks, 100).toFixed(2)} ms`);
  console.log(`arrival deviation at the phones (includes the phones' own scheduling; ${deviationsMs.length} packets): p50 ${percentile(deviationsMs, 50).toFixed(2)} ms  p99 ${percentile(deviationsMs, 99).toFixed(2)} ms  max ${percentile(deviationsMs, 100).toFixed(2)} ms`);
  console.log(`RFC 3550 jitter at the phones: mean ${(jitterMs.reduce((a, b) => a + b, 0) / jitterMs.length).toFixed(2)} ms, max ${Math.max(...jitterMs).toFixed(2)} ms`);
  console.log(`packets sent per call in ${seconds.toFixed(1)} s: min ${Math.min(...sent)}, max ${Math.max(...sent)} (expected ${(seconds * 50).toFixed(0)})`);
  console.log(`digits: ${digitsOk}/${CALLS} calls heard exactly "${expectedDigits}" (RFC 4733 then in-band, both modes on)${digitsOk < CALLS ? `; e.g. ${JSON.stringify(heard.find((h) => h !== expectedDigits))}` : ''}`);
  console.log(`Verity-side CPU: ${((cpuMs / seconds / 1000) * 100).toFixed(1)} % of one core for ${CALLS} calls = ${((cpuMs / seconds / 1000 / CALLS) * 100).toFixed(3)} % per call (send + receive + G.711 + Goertzel)`);
  const ok = percentile(ticks, 99) < 5 && digitsOk === CALLS;
  console.log(`${ok ? 'PASS' : 'FAIL'}: send p99 < 5 ms, no lost digit`);
  if (!ok) process.exitCode = 1;
}
