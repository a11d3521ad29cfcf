/**
 * Measures the text-prompted mode on espeak-ng voices (synthetic stand-ins, not people): enrol each
 * voice with 3 random 7-digit prompts, then per challenge say the right digits (clean, and over a
 * 20 dB G.711 line) and other digits, for 5-digit (none tolerated) and 6-digit (one tolerated) prompts.
 *
 *   npx tsx bench/voiceprint-digits.ts [challenges per voice = 8] [seed = 2026]
 *
 * Needs espeak-ng and sox. Deterministic for a seed (mulberry32).
 */
import { execFileSync } from 'node:child_process';
import type { Audio } from '../src/factors/voiceprint/audio/audio.ts';
import { mulberry32 } from '../src/factors/voiceprint/audio/prng.ts';
import { addNoise, g711RoundTrip, toTelephoneBand } from '../src/factors/voiceprint/audio/resample.ts';
import { decodeWav } from '../src/factors/voiceprint/audio/wav.ts';
import { enrollDigits, matchDigits } from '../src/factors/voiceprint/prompted/digit-templates.ts';

const VOICES = ['en-us+m1', 'en-us+m2', 'en-us+m3', 'en-us+m4', 'en-gb', 'en-us+f1', 'en-us+f2', 'en-us+f3', 'en-us+f4', 'en-gb+m4', 'en-029', 'en-scottish'];
const perVoice = Number(process.argv[2] ?? 8);
const random = mulberry32(Number(process.argv[3] ?? 2026));
const between = (low: number, high: number): number => low + Math.floor(random() * (high - low));

function sayDigits(voice: string, digits: string, speed: number, pitch: number): Audio {
  const raw = execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-p', String(pitch), '--stdout', digits.split('').join(', ')]);
  return decodeWav(new Uint8Array(execFileSync('sox', ['-t', 'wav', '-', '-r', '16000', '-c', '1', '-b', '16', '-t', 'wav', '-', 'pad', '0.3', '0.3'], { input: raw, stdio: ['pipe', 'pipe', 'ignore'] })));
}
const phone = (audio: Audio, seed: number): Audio => g711RoundTrip(addNoise(toTelephoneBand(audio), 20, seed), 'ulaw');
function digits(n: number, unlike?: string): string {
  for (;;) {
    let s = '';
    while (s.length < n) {
      const d = String(between(0, 10));
      if (!s.endsWith(d)) s += d;
    }
    if (s !== unlike) return s;
  }
}
function enrolmentPrompts(): string[] {
  for (;;) {
    const pool = [...'012345678901234567890'];
    pool[20] = String(between(0, 10));
    for (let i = pool.length - 1; i > 0; i--) {
      const j = between(0, i + 1);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    const prompts = [0, 1, 2].map((k) => pool.slice(7 * k, 7 * k + 7).join(''));
    if (prompts.every((p) => !/(.)\1/.test(p))) return prompts;
  }
}

const counts: Record<string, { n: number; accepted: number }> = {};
const count = (key: string, accepted: boolean): void => {
  const c = (counts[key] ??= { n: 0, accepted: 0 });
  c.n++;
  if (accepted) c.accepted++;
};
let seed = 1;
for (const voice of VOICES) {
  const prompts = enrolmentPrompts();
  const enrolled = enrollDigits(prompts.map((p) => sayDigits(voice, p, between(130, 170), between(40, 60))), prompts);
  count('enrolment', enrolled.digits !== undefined);
  if (!enrolled.digits) continue;
  for (let k = 0; k < perVoice; k++) {
    for (const length of [5, 6]) {
      const prompt = digits(length);
      const speed = between(120, 180);
      const pitch = between(35, 65);
      const take = sayDigits(voice, prompt, speed, pitch);
      count(`${length} digits: right, clean`, matchDigits(enrolled.digits, take, prompt).ok);
      count(`${length} digits: right, phone`, matchDigits(enrolled.digits, phone(take, seed++), prompt).ok);
      count(`${length} digits: other digits`, matchDigits(enrolled.digits, sayDigits(voice, digits(length, prompt), speed, pitch), prompt).ok);
    }
  }
}
for (const [key, c] of Object.entries(counts)) console.log(`${key.padEnd(28)} ${c.accepted}/${c.n} accepted`);
