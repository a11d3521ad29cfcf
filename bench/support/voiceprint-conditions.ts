/**
 * Benchmark conditions: how the enrolment recordings and the attempts reach the engine. Each says
 * which recording of a clip it starts from (corpus: 16 kHz microphone, 8 kHz recording, real GSM or
 * A-law chain) and which simulated chain (src/factors/voiceprint/audio/channels.ts) it goes through.
 * Simulations are seeded per clip, so every run and every model sees the same audio.
 */
import type { Audio } from '../../src/factors/voiceprint/audio/audio.ts';
import { addColouredNoise, bluetoothNarrowband, bluetoothWideband, CHANNELS, phoneCall, to16k } from '../../src/factors/voiceprint/audio/channels.ts';
import { BenchCorpus, type BenchSpeaker, type Recording } from './voiceprint-data.ts';

/** One side (enrolment or attempt) of a condition: which recording, through which chain. */
interface Side {
  recording: (speaker: BenchSpeaker) => Recording;
  chain: (audio: Audio, seed: number) => Audio;
}

export interface Condition {
  name: string;
  /** For people (also the label in models/voiceprint-operating-points.json). */
  label: string;
  /** Speakers this condition can use (they have the recordings it needs). */
  eligible: (speaker: BenchSpeaker) => boolean;
  enrol: Side;
  attempt: Side;
}

const asIs = (audio: Audio): Audio => audio;
const clean = (speaker: BenchSpeaker): Recording => BenchCorpus.clean(speaker);
const any = (): boolean => true;

export const CONDITIONS: readonly Condition[] = [
  {
    name: 'wideband',
    label: 'Microphone (16 kHz) to microphone (the Asterisk voices: their G.722 wideband recordings)',
    eligible: (s) => BenchCorpus.wideband(s) !== undefined,
    enrol: { recording: clean, chain: asIs },
    attempt: { recording: clean, chain: asIs },
  },
  {
    name: 'upsampled-8k',
    label: '8 kHz recordings upsampled to 16 kHz (enrolment and attempt)',
    eligible: (s) => s.recordings.has('8k'),
    enrol: { recording: () => '8k', chain: to16k },
    attempt: { recording: () => '8k', chain: to16k },
  },
  {
    name: 'phone',
    label: 'Phone call to phone call (300–3400 Hz, 20 dB SNR, G.711)',
    eligible: any,
    enrol: { recording: clean, chain: (a, seed) => phoneCall(a, seed) },
    attempt: { recording: clean, chain: (a, seed) => phoneCall(a, seed) },
  },
  {
    name: 'wideband-to-phone',
    label: 'Enrolled by microphone (16 kHz where recorded, else 8 kHz), verified by phone call',
    eligible: any,
    enrol: { recording: clean, chain: asIs },
    attempt: { recording: clean, chain: (a, seed) => phoneCall(a, seed) },
  },
  {
    name: 'bluetooth',
    label: 'Enrolled by microphone, verified through a Bluetooth headset (HFP narrowband, CVSD)',
    eligible: any,
    enrol: { recording: clean, chain: asIs },
    attempt: { recording: clean, chain: (a, seed) => bluetoothNarrowband(a, seed) },
  },
  {
    name: 'bluetooth-wideband',
    label: 'Enrolled by microphone, verified through a Bluetooth headset (HFP wideband, mSBC)',
    eligible: any,
    enrol: { recording: clean, chain: asIs },
    attempt: { recording: clean, chain: (a, seed) => bluetoothWideband(a, seed) },
  },
  {
    name: 'noise-suppressed',
    label: 'Enrolled by microphone, verified in a noisy room (pink noise 15 dB) through browser noise suppression',
    eligible: any,
    enrol: { recording: clean, chain: asIs },
    attempt: { recording: clean, chain: CHANNELS['noise-suppressed'] },
  },
  {
    name: 'gsm',
    label: 'Enrolled on 8 kHz PCM, verified on the real GSM 06.10 recordings of the same voices (Asterisk -gsm packages)',
    eligible: (s) => s.recordings.has('8k') && s.recordings.has('gsm'),
    enrol: { recording: () => '8k', chain: asIs },
    attempt: { recording: () => 'gsm', chain: asIs },
  },
  {
    name: 'babble',
    label: 'Enrolled by microphone, verified with babble-like noise at 10 dB SNR',
    eligible: any,
    enrol: { recording: clean, chain: asIs },
    attempt: { recording: clean, chain: (a, seed) => addColouredNoise(a, 10, seed, 'babble') },
  },
];

/**
 * What runs without --conditions (about 15 min of CPU on the evaluation set); `bluetooth-wideband`
 * and `babble` run when asked for.
 */
export const DEFAULT_CONDITIONS = ['wideband', 'upsampled-8k', 'phone', 'wideband-to-phone', 'bluetooth', 'noise-suppressed', 'gsm'];
