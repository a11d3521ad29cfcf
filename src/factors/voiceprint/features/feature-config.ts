import type { SampleRate } from '../audio/audio.ts';

/**
 * One documented front end per sample rate (speaker-verification.md §1). Each rate has its own
 * UBM, so features need not match across rates; a 16 kHz voiceprint gets an 8 kHz twin computed
 * from the telephone-band version of the same recordings.
 */
export interface FeatureConfig {
  sampleRate: SampleRate;
  /** 25 ms frames every 10 ms (Kaldi, SIDEKIT, speechbrain). */
  frameLength: number;
  frameShift: number;
  /** Next power of two above the frame length (Kaldi: 512 at 16 kHz, 256 at 8 kHz). */
  fftSize: number;
  preEmphasis: number;
  melBins: number;
  lowHz: number;
  highHz: number;
  /** Cepstra kept, C0 included (C0 is then replaced by the frame log-energy). */
  ceps: number;
  /** Kaldi's sinusoidal cepstral lifter (22); it evens out the cepstra's ranges for DTW. */
  lifter: number;
  /** Regression half-window for Δ and ΔΔ (HTK/Kaldi: 2). */
  deltaWindow: number;
}

export const FEATURE_CONFIGS: Readonly<Record<SampleRate, FeatureConfig>> = {
  // 16 kHz: 40 filters over 100–7600 Hz, 20 cepstra (the reference's suggested wideband set).
  16000: { sampleRate: 16000, frameLength: 400, frameShift: 160, fftSize: 512, preEmphasis: 0.97, melBins: 40, lowHz: 100, highHz: 7600, ceps: 20, lifter: 22, deltaWindow: 2 },
  // 8 kHz: 24 filters like SIDEKIT's sid_8k, but placed over 300–3400 Hz instead of 200–3800 Hz:
  // every 8 kHz input first goes through the 300–3400 Hz telephone band-pass (toTelephoneBand),
  // so filters outside that band would only see the filter's stop band and the energy floor.
  8000: { sampleRate: 8000, frameLength: 200, frameShift: 80, fftSize: 256, preEmphasis: 0.97, melBins: 24, lowHz: 300, highHz: 3400, ceps: 20, lifter: 22, deltaWindow: 2 },
};

