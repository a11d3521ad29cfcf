/**
 * DTMF detection of the SIP voice provider's media (src/providers/sip/media), as it ships:
 *
 *   npm run bench:dtmf
 *   npm run bench:dtmf -- --inband-digits 2000 --rfc-digits 1000 --seed 7 --snr-db 20
 *   npm run bench:dtmf -- --speech /path/to/usr/share/asterisk/sounds   # more speech (any folder of WAVs)
 *
 * 1. RFC 4733: digits sent as telephone-events between pairs of real RTP sessions over loopback
 *    (RtpMediaSession.sendDigits: start packet, growing duration, end packet three times), each
 *    received digit compared with the one sent. Target (issue 14): 100 %.
 * 2. In-band: seeded random digit strings as tones (each tone at a random level of −4 to −22 dBm0 per
 *    tone, random twist ±4 dB, random frequency error ±1.5 % (ITU-T Q.24's acceptance band), 50-150 ms
 *    tones, 50-150 ms pauses), white Gaussian noise 20 dB below the tones' power, G.711 µ-law and A-law
 *    round trips, then the Goertzel detector in 20 ms frames. A digit counts when detected once within
 *    its tone (+ 40 ms of detector delay); anything else is a false digit. Target: ≥ 99 %.
 * 3. Talk-off: false digits on speech — espeak-ng sentences in several languages (EspeakPromptAudio,
 *    the prompts' own renderer) and, when built, the project's speech corpus (`npm run corpus`, read as
 *    in bench/voiceprint.ts), through µ-law and A-law. Target: 0.
 * 4. Cost: CPU of the detector per second of audio.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EspeakPromptAudio } from '../src/audio/prompt-audio.ts';
import { readWav, toTelephoneBand } from '../src/audio/line-audio.ts';
import { gaussian, mulberry32 } from '../src/factors/voiceprint/audio/prng.ts';
import { g711RoundTrip } from '../src/providers/sip/media/g711-codec.ts';
import { GoertzelDtmfDetector } from '../src/providers/sip/media/goertzel-dtmf-detector.ts';
import type { G711Codec } from '../src/providers/sip/media/media-session.ts';
import { openMediaSession, type RtpMediaSession } from '../src/providers/sip/media/rtp-media-session.ts';
import { DTMF_EVENTS } from '../src/providers/sip/media/telephone-event.ts';
import { corpusDir } from '../scripts/corpus/corpus-split.ts';

const { values: args } = parseArgs({
  options: {
    'inband-digits': { type: 'string', default: '1000' },
    'rfc-digits': { type: 'string', default: '500' },
    'rfc-pairs': { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    'snr-db': { type: 'string', default: '20' },
    'max-corpus-minutes': { type: 'string', default: '60' },
    /** Extra speech: any folder of 16-bit WAVs (searched recursively), e.g. an unpacked asterisk-core-sounds-en-wav. */
    speech: { type: 'string' },
  },
});
const INBAND_DIGITS = Number(args['inband-digits']);
const RFC_DIGITS = Number(args['rfc-digits']);
const RFC_PAIRS = Number(args['rfc-pairs']);
const SEED = Number(args.seed);
const SNR_DB = Number(args['snr-db']);
const MAX_CORPUS_MINUTES = Number(args['max-corpus-minutes']);
const RATE = 8000;
const FRAME = 160;
const LAWS: G711Codec[] = ['PCMU', 'PCMA'];

const ROW_HZ = [697, 770, 852, 941];
const COLUMN_HZ = [1209, 1336, 1477, 1633];
const KEYS = ['123A', '456B', '789C', '*0#D'];
/** A 0 dBm0 sine in 16-bit G.711 linear (µ-law's 8159·4 full scale is +3.17 dBm0). */
const DBM0_AMPLITUDE = 8159 * 4 * 10 ** (-3.17 / 20);

const pct = (n: number, of: number) => (of === 0 ? 'n/a' : `${((100 * n) / of).toFixed(2)} %`);

// ---- 1. RFC 4733 over real sessions -----------------------------------------------------------
async function rfc4733Rate(): Promise<{ sent: number; received: number; wrong: number; seconds: number }> {
  const random = mulberry32(SEED);
  const options = (address: string) => ({ bindAddress: address, publicAddress: address, portRange: { min: 40000, max: 49999 }, codecs: ['PCMU', 'PCMA'] as G711Codec[], dtmf: { rfc4733: true, inband: false } });
  const pairs: [RtpMediaSession, RtpMediaSession][] = [];
  for (let i = 0; i < RFC_PAIRS; i++) {
    const verity = await openMediaSession(options('127.0.0.2'));
    const phone = await openMediaSession(options('127.0.0.1'));
    phone.applyAnswer(verity.offer());
    verity.applyAnswer(phone.offer());
    pairs.push([verity, phone]);
  }
  const started = performance.now();
  let sent = 0;
  let received = 0;
  let wrong = 0;
  try {
    await Promise.all(
      pairs.map(async ([verity, phone], index) => {
        const count = Math.floor(RFC_DIGITS / RFC_PAIRS) + (index < RFC_DIGITS % RFC_PAIRS ? 1 : 0);
        const digits = Array.from({ length: count }, () => DTMF_EVENTS[Math.floor(random() * 16)]!).join('');
        const heard: string[] = [];
        verity.onDigit((digit) => heard.push(digit));
        await phone.sendDigits(digits, { durationMs: 60, gapMs: 40 });
        // The last end packet is on the wire; let it arrive.
        await new Promise((resolve) => setTimeout(resolve, 100));
        sent += digits.length;
        for (let i = 0; i < digits.length; i++) if (heard[i] === digits[i]) received++;
        wrong += Math.max(0, heard.length - digits.length) + heard.filter((d, i) => d !== digits[i]).length;
      }),
    );
  } finally {
    for (const [a, b] of pairs) {
      a.close();
      b.close();
    }
  }
  return { sent, received, wrong, seconds: (performance.now() - started) / 1000 };
}

// ---- 2. In-band digits with noise over G.711 --------------------------------------------------
interface ToneSpan {
  digit: string;
  start: number;
  end: number;
}

function dtmfSignal(count: number, seed: number): { samples: Int16Array; spans: ToneSpan[] } {
  const random = mulberry32(seed);
  const normal = gaussian(mulberry32(seed ^ 0x5bd1e995));
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const spans: ToneSpan[] = [];
  const chunks: Float64Array[] = [];
  let length = 0;
  let tonePower = 0;
  let toneSamples = 0;
  const leading = Math.round(between(0, FRAME));
  chunks.push(new Float64Array(leading));
  length += leading;
  for (let i = 0; i < count; i++) {
    const row = Math.floor(random() * 4);
    const column = Math.floor(random() * 4);
    const duration = Math.round(between(0.05, 0.15) * RATE);
    const pause = Math.round(between(0.05, 0.15) * RATE);
    const level = between(-22, -4);
    const twist = between(-4, 4);
    const rowAmplitude = DBM0_AMPLITUDE * 10 ** ((level - twist / 2) / 20);
    const columnAmplitude = DBM0_AMPLITUDE * 10 ** ((level + twist / 2) / 20);
    const rowHz = ROW_HZ[row]! * (1 + between(-0.015, 0.015));
    const columnHz = COLUMN_HZ[column]! * (1 + between(-0.015, 0.015));
    const phase = [random() * 2 * Math.PI, random() * 2 * Math.PI];
    const tone = new Float64Array(duration);
    for (let n = 0; n < duration; n++) {
      tone[n] = rowAmplitude * Math.sin((2 * Math.PI * rowHz * n) / RATE + phase[0]!) + columnAmplitude * Math.sin((2 * Math.PI * columnHz * n) / RATE + phase[1]!);
      tonePower += tone[n]! * tone[n]!;
    }
    toneSamples += duration;
    spans.push({ digit: KEYS[row]![column]!, start: length, end: length + duration });
    chunks.push(tone, new Float64Array(pause));
    length += duration + pause;
  }
  // White noise SNR_DB below the mean power of the tones, everywhere (in the pauses too).
  const sigma = Math.sqrt(tonePower / toneSamples / 10 ** (SNR_DB / 10));
  const samples = new Int16Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    for (let n = 0; n < chunk.length; n++) samples[offset + n] = Math.max(-32768, Math.min(32767, Math.round(chunk[n]! + sigma * normal())));
    offset += chunk.length;
  }
  return { samples, spans };
}

interface Detection {
  digit: string;
  at: number;
}

function detect(samples: Int16Array): { detections: Detection[]; cpuMs: number } {
  const detector = new GoertzelDtmfDetector();
  const detections: Detection[] = [];
  const started = process.cpuUsage();
  for (let offset = 0; offset < samples.length; offset += FRAME) {
    for (const digit of detector.push(samples.subarray(offset, offset + FRAME))) detections.push({ digit, at: offset + FRAME });
  }
  const used = process.cpuUsage(started);
  return { detections, cpuMs: (used.user + used.system) / 1000 };
}

function score(spans: ToneSpan[], detections: Detection[]): { detected: number; missed: number; falseDigits: number } {
  const lag = 2 * FRAME;
  let detected = 0;
  let falseDigits = 0;
  let next = 0;
  const hit = new Set<number>();
  for (const detection of detections) {
    while (next < spans.length && spans[next]!.end + lag < detection.at) next++;
    const span = spans[next];
    if (span && span.start <= detection.at && detection.at <= span.end + lag && span.digit === detection.digit && !hit.has(next)) {
      hit.add(next);
      detected++;
    } else falseDigits++;
  }
  return { detected, missed: spans.length - detected, falseDigits };
}

// ---- 3. Speech ---------------------------------------------------------------------------------
const SENTENCES: Record<string, string[]> = {
  en: [
    'Your verification code is four two nine one seven three. I repeat: four two nine one seven three.',
    'Please enter the six digit code we sent you, followed by the pound key. If you did not request a code, hang up now.',
    'The quick brown fox jumps over the lazy dog while the children sing songs about summer holidays by the sea.',
    'Good morning. This is an automated call from your bank. We noticed a payment of one hundred and twenty pounds.',
    'She sells sea shells by the sea shore, and the shells she sells are surely sea shells, I am sure.',
    'After the beep, say your pass phrase. My voice is my password, verify me. Thank you, once more after the beep.',
  ],
  fr: [
    'Votre code de vérification est le quatre deux neuf un sept trois. Je répète: quatre deux neuf un sept trois.',
    'Bonjour, ceci est un appel automatique. Veuillez saisir le code à six chiffres que nous vous avons envoyé.',
    "Les sanglots longs des violons de l'automne blessent mon cœur d'une langueur monotone.",
  ],
  de: [
    'Ihr Bestätigungscode lautet vier zwei neun eins sieben drei. Ich wiederhole: vier zwei neun eins sieben drei.',
    'Guten Tag, dies ist ein automatischer Anruf Ihrer Bank. Bitte geben Sie den sechsstelligen Code ein.',
  ],
  es: ['Su código de verificación es cuatro dos nueve uno siete tres. Repito: cuatro dos nueve uno siete tres.', 'Buenos días, esta es una llamada automática de su banco. Por favor, introduzca el código.'],
  nl: ['Uw verificatiecode is vier twee negen een zeven drie. Ik herhaal: vier twee negen een zeven drie.', 'Goedemorgen, dit is een automatisch gesprek van uw bank. Voer de code van zes cijfers in.'],
  it: ['Il suo codice di verifica è quattro due nove uno sette tre. Ripeto: quattro due nove uno sette tre.'],
  pt: ['O seu código de verificação é quatro dois nove um sete três. Repito: quatro dois nove um sete três.'],
};

async function espeakSpeech(): Promise<Int16Array[] | null> {
  const audio = new EspeakPromptAudio();
  if (!(await audio.available())) return null;
  const clips: Int16Array[] = [];
  for (const [locale, sentences] of Object.entries(SENTENCES)) {
    for (const text of sentences) {
      const id = await audio.prepare(text, locale);
      const wav = id === null ? undefined : await audio.get(id);
      if (wav) clips.push(readWav(wav).samples);
    }
  }
  return clips;
}

function corpusSpeech(): { clips: Int16Array[]; folder: string } | null {
  for (const folder of [join(corpusDir(), '8k'), join(corpusDir(), '16k')]) {
    if (!existsSync(folder)) continue;
    const clips: Int16Array[] = [];
    const speakers = readdirSync(folder)
      .sort()
      .filter((speaker) => statSync(join(folder, speaker)).isDirectory());
    // An equal share of the minutes per speaker, so every voice of the corpus is heard.
    const perSpeaker = (MAX_CORPUS_MINUTES * 60 * RATE) / Math.max(1, speakers.length);
    for (const speaker of speakers) {
      let samples = 0;
      for (const name of readdirSync(join(folder, speaker)).filter((f) => f.endsWith('.wav')).sort()) {
        if (samples >= perSpeaker) break;
        const audio = readWav(readFileSync(join(folder, speaker, name)));
        const narrow = audio.sampleRate === RATE ? audio : toTelephoneBand(audio);
        clips.push(narrow.samples);
        samples += narrow.samples.length;
      }
    }
    if (clips.length > 0) return { clips, folder };
  }
  return null;
}

/** Every 16-bit PCM WAV under `folder`, at 8 kHz. */
function folderSpeech(folder: string): Int16Array[] {
  const clips: Int16Array[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.wav')) {
        try {
          const audio = readWav(readFileSync(path));
          clips.push((audio.sampleRate === RATE ? audio : toTelephoneBand(audio)).samples);
        } catch {
          // Not 16-bit PCM: not speech we can test.
        }
      }
    }
  };
  walk(folder);
  return clips;
}

function talkOff(clips: Int16Array[]): { seconds: number; falseDigits: number; digits: string } {
  let seconds = 0;
  let falseDigits = 0;
  let digits = '';
  for (const law of LAWS) {
    for (const clip of clips) {
      // Speech at its own level, and 10 dB louder (a loud talker near the clipping point of G.711).
      for (const gain of [1, 3.16]) {
        const scaled = new Int16Array(clip.length);
        for (let i = 0; i < clip.length; i++) scaled[i] = Math.max(-32768, Math.min(32767, Math.round(clip[i]! * gain)));
        const { detections } = detect(g711RoundTrip(law, scaled));
        falseDigits += detections.length;
        digits += detections.map((d) => d.digit).join('');
        seconds += clip.length / RATE;
      }
    }
  }
  return { seconds, falseDigits, digits };
}

// ---- run ---------------------------------------------------------------------------------------
console.log('# DTMF detection (src/providers/sip/media)\n');
console.log(`machine: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`seed ${SEED}, SNR ${SNR_DB} dB\n`);

const rfc = await rfc4733Rate();
console.log(`RFC 4733 over loopback RTP (${RFC_PAIRS} session pairs, 60 ms events + 40 ms pauses, end packet ×3):`);
console.log(`  sent ${rfc.sent}, received correctly ${rfc.received} (${pct(rfc.received, rfc.sent)}), wrong or extra ${rfc.wrong}, ${rfc.seconds.toFixed(1)} s`);

let totalCpuMs = 0;
let totalAudioSeconds = 0;
let inbandOk = true;
for (const law of LAWS) {
  const { samples, spans } = dtmfSignal(INBAND_DIGITS, SEED * 1000 + (law === 'PCMU' ? 1 : 2));
  const heard = g711RoundTrip(law, samples);
  const { detections, cpuMs } = detect(heard);
  totalCpuMs += cpuMs;
  totalAudioSeconds += heard.length / RATE;
  const result = score(spans, detections);
  inbandOk &&= result.detected / spans.length >= 0.99;
  console.log(`in-band Goertzel, G.711 ${law === 'PCMU' ? 'µ-law' : 'A-law'} + white noise at ${SNR_DB} dB: ${spans.length} digits, detected ${result.detected} (${pct(result.detected, spans.length)}), missed ${result.missed}, false ${result.falseDigits}`);
}

const espeak = await espeakSpeech();
let speechSeconds = 0;
let speechFalse = 0;
if (espeak === null) console.log('talk-off, espeak-ng: SKIPPED (espeak-ng is not installed)');
else {
  const result = talkOff(espeak);
  speechSeconds += result.seconds;
  speechFalse += result.falseDigits;
  console.log(`talk-off, espeak-ng speech (${Object.keys(SENTENCES).length} languages, ${espeak.length} clips; µ-law and A-law; at level and +10 dB): ${(result.seconds / 60).toFixed(1)} min, false digits ${result.falseDigits}${result.digits ? ` (${result.digits})` : ''}`);
}
const corpus = corpusSpeech();
if (corpus === null) console.log(`talk-off, speech corpus: SKIPPED (no corpus in ${corpusDir()}; build it with \`npm run corpus\`)`);
else {
  const result = talkOff(corpus.clips);
  speechSeconds += result.seconds;
  speechFalse += result.falseDigits;
  console.log(`talk-off, speech corpus ${corpus.folder} (${corpus.clips.length} clips; µ-law and A-law; at level and +10 dB): ${(result.seconds / 60).toFixed(1)} min, false digits ${result.falseDigits}${result.digits ? ` (${result.digits})` : ''}`);
}
if (args.speech !== undefined) {
  const clips = folderSpeech(args.speech);
  const result = talkOff(clips);
  speechSeconds += result.seconds;
  speechFalse += result.falseDigits;
  console.log(`talk-off, ${args.speech} (${clips.length} clips; µ-law and A-law; at level and +10 dB): ${(result.seconds / 60).toFixed(1)} min, false digits ${result.falseDigits}${result.digits ? ` (${result.digits})` : ''}`);
}
console.log(`talk-off total: ${(speechSeconds / 60).toFixed(1)} min of speech, ${speechFalse} false digits`);
console.log(`Goertzel cost: ${((totalCpuMs / totalAudioSeconds) * 1000).toFixed(1)} µs CPU per second of audio (${((totalCpuMs / totalAudioSeconds) / 10).toFixed(3)} % of one core per call)`);

const ok = rfc.received === rfc.sent && rfc.wrong === 0 && inbandOk && speechFalse === 0;
console.log(`\n${ok ? 'PASS' : 'FAIL'}: RFC 4733 100 %, in-band ≥ 99 %, 0 false digits on speech`);
if (!ok) process.exitCode = 1;
