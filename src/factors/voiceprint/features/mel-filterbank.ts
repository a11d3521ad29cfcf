import type { FeatureConfig } from './feature-config.ts';

/** HTK/Kaldi mel scale: 1127·ln(1 + f/700). */
function hzToMel(hz: number): number {
  return 1127 * Math.log(1 + hz / 700);
}

function melToHz(mel: number): number {
  return 700 * (Math.exp(mel / 1127) - 1);
}

/** A filter's non-zero weights: bins first … first + weights.length − 1. */
export interface MelFilter {
  first: number;
  weights: Float64Array;
  centreHz: number;
}

const banks = new Map<FeatureConfig, MelFilter[]>();

/**
 * Triangular filters equally spaced on the mel scale between lowHz and highHz, triangles drawn in
 * the mel domain as Kaldi does (`MelBanks`): bin k at k·rate/fftSize Hz has weight
 * (mel − left)/(centre − left) on the rising edge and (right − mel)/(right − centre) on the falling one.
 */
export function melFilterbank(config: FeatureConfig): MelFilter[] {
  let bank = banks.get(config);
  if (bank) return bank;
  const lowMel = hzToMel(config.lowHz);
  const highMel = hzToMel(config.highHz);
  const spacing = (highMel - lowMel) / (config.melBins + 1);
  const bins = config.fftSize / 2 + 1;
  bank = [];
  for (let m = 0; m < config.melBins; m++) {
    const left = lowMel + m * spacing;
    const centre = left + spacing;
    const right = centre + spacing;
    const weights: number[] = [];
    let first = -1;
    for (let k = 0; k < bins; k++) {
      const mel = hzToMel((k * config.sampleRate) / config.fftSize);
      if (mel <= left || mel >= right) continue;
      if (first < 0) first = k;
      weights[k - first] = mel <= centre ? (mel - left) / (centre - left) : (right - mel) / (right - centre);
    }
    bank.push({ first: Math.max(first, 0), weights: Float64Array.from(weights, (w) => w ?? 0), centreHz: melToHz(centre) });
  }
  banks.set(config, bank);
  return bank;
}
