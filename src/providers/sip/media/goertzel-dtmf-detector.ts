/**
 * In-band DTMF (ITU-T Q.23/Q.24) for trunks that send the tones in the audio instead of RFC 4733
 * events. Hand-written: the npm detectors tried here report digits during speech (talk-off), and
 * the Goertzel algorithm is a handful of lines — one second-order filter per frequency of interest
 * instead of a whole FFT.
 *
 * Per block (160 samples = 20 ms at 8 kHz), a digit is present when
 *  - the strongest row and column tones are each above a minimum level,
 *  - twist (column vs row power) is within limits (Q.24: the high tone may be stronger by a few dB),
 *  - each is clearly the strongest of its group (relative peak),
 *  - together they hold most of the block's energy (speech spreads its energy),
 *  - their second harmonics are weak (voiced speech has harmonics; a pure tone does not).
 * It is reported once it holds for two consecutive blocks, and not again until a block without it
 * (a gap) — so a long press is one digit and "55" needs a pause between the presses, as on a line.
 */

const ROW_HZ = [697, 770, 852, 941] as const;
const COLUMN_HZ = [1209, 1336, 1477, 1633] as const;
const KEYS = ['123A', '456B', '789C', '*0#D'] as const;

export interface GoertzelOptions {
  sampleRate?: number;
  /** Samples per analysis block. Default 160 (20 ms at 8 kHz). */
  blockSize?: number;
  /** Blocks a digit must hold before it is reported. Default 2. */
  persistence?: number;
  /** Minimum amplitude of each tone, 16-bit linear. Default 300 (≈ −37 dBm0). */
  minAmplitude?: number;
  /** Column stronger than row by at most (dB). Default 8. */
  normalTwistDb?: number;
  /** Row stronger than column by at most (dB). Default 8. */
  reverseTwistDb?: number;
  /** The second-strongest tone of a group must be this far below the strongest (dB). Default 6. */
  relativePeakDb?: number;
  /** Share of the block's energy the two tones must hold. Default 0.5 (0.6 missed tones 1.5 % off frequency; speech showed no talk-off down to 0.2). */
  minToneShare?: number;
  /** The two tones' second harmonics must be this far below them (dB). Default 10. */
  harmonicDb?: number;
}

interface Filter {
  coefficient: number;
}

function filterFor(hz: number, sampleRate: number): Filter {
  return { coefficient: 2 * Math.cos((2 * Math.PI * hz) / sampleRate) };
}

/**
 * The Goertzel filter's power at one frequency over `length` samples, scaled to the energy of the
 * matching sinusoid (a pure tone of amplitude A gives ≈ A²·N/2, the same as Σx² of that tone).
 */
function tonePower(samples: ArrayLike<number>, start: number, length: number, filter: Filter): number {
  let s1 = 0;
  let s2 = 0;
  const c = filter.coefficient;
  for (let i = start; i < start + length; i++) {
    const s0 = samples[i]! + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return ((s1 * s1 + s2 * s2 - c * s1 * s2) * 2) / length;
}

const dbToRatio = (db: number): number => 10 ** (db / 10);

export class GoertzelDtmfDetector {
  readonly blockSize: number;
  private readonly persistence: number;
  private readonly minTonePower: number;
  private readonly maxNormalTwist: number;
  private readonly maxReverseTwist: number;
  private readonly relativePeak: number;
  private readonly minToneShare: number;
  private readonly harmonicRatio: number;
  private readonly rows: Filter[];
  private readonly columns: Filter[];
  private readonly rowHarmonics: Filter[];
  private readonly columnHarmonics: Filter[];
  private readonly pending: Int16Array;
  private filled = 0;
  private candidate: string | null = null;
  private held = 0;
  /** The digit reported and still sounding (null after a gap). */
  private reported: string | null = null;

  constructor(options: GoertzelOptions = {}) {
    const rate = options.sampleRate ?? 8000;
    this.blockSize = options.blockSize ?? 160;
    this.persistence = options.persistence ?? 2;
    const amplitude = options.minAmplitude ?? 300;
    this.minTonePower = ((amplitude * amplitude) / 2) * this.blockSize;
    this.maxNormalTwist = dbToRatio(options.normalTwistDb ?? 8);
    this.maxReverseTwist = dbToRatio(options.reverseTwistDb ?? 8);
    this.relativePeak = dbToRatio(options.relativePeakDb ?? 6);
    this.minToneShare = options.minToneShare ?? 0.5;
    this.harmonicRatio = dbToRatio(-(options.harmonicDb ?? 10));
    this.rows = ROW_HZ.map((hz) => filterFor(hz, rate));
    this.columns = COLUMN_HZ.map((hz) => filterFor(hz, rate));
    this.rowHarmonics = ROW_HZ.map((hz) => filterFor(2 * hz, rate));
    this.columnHarmonics = COLUMN_HZ.map((hz) => filterFor(2 * hz, rate));
    this.pending = new Int16Array(this.blockSize);
  }

  /** The digit currently sounding (already reported), or null. */
  get current(): string | null {
    return this.reported;
  }

  /** Feeds audio of any length; returns the digits that became certain in it (usually none). */
  push(samples: Int16Array): string[] {
    const digits: string[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.blockSize - this.filled, samples.length - offset);
      this.pending.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.blockSize) {
        this.filled = 0;
        const digit = this.step(this.classify(this.pending, 0));
        if (digit !== null) digits.push(digit);
      }
    }
    return digits;
  }

  /** Forgets the state (between calls, or after the stream restarted). */
  reset(): void {
    this.filled = 0;
    this.candidate = null;
    this.held = 0;
    this.reported = null;
  }

  /** Persistence and gap: the digit to report after this block's verdict, if any. */
  private step(verdict: string | null): string | null {
    if (verdict === null) {
      this.candidate = null;
      this.held = 0;
      this.reported = null;
      return null;
    }
    if (verdict === this.candidate) this.held++;
    else {
      this.candidate = verdict;
      this.held = 1;
    }
    if (this.held >= this.persistence && verdict !== this.reported) {
      this.reported = verdict;
      return verdict;
    }
    return null;
  }

  /** One block's verdict: the key whose two tones it holds, or null. */
  classify(samples: ArrayLike<number>, start: number): string | null {
    const n = this.blockSize;
    let energy = 0;
    for (let i = start; i < start + n; i++) energy += samples[i]! * samples[i]!;
    if (energy < 2 * this.minTonePower) return null;
    const row = strongest(samples, start, n, this.rows);
    const column = strongest(samples, start, n, this.columns);
    if (row.power < this.minTonePower || column.power < this.minTonePower) return null;
    if (column.power > row.power * this.maxNormalTwist || row.power > column.power * this.maxReverseTwist) return null;
    if (row.second * this.relativePeak > row.power || column.second * this.relativePeak > column.power) return null;
    if (row.power + column.power < this.minToneShare * energy) return null;
    const harmonics = tonePower(samples, start, n, this.rowHarmonics[row.index]!) + tonePower(samples, start, n, this.columnHarmonics[column.index]!);
    if (harmonics > this.harmonicRatio * (row.power + column.power)) return null;
    return KEYS[row.index]![column.index]!;
  }
}

function strongest(samples: ArrayLike<number>, start: number, n: number, filters: Filter[]): { index: number; power: number; second: number } {
  let index = 0;
  let power = -1;
  let second = 0;
  filters.forEach((filter, i) => {
    const p = tonePower(samples, start, n, filter);
    if (p > power) {
      second = Math.max(second, power);
      power = p;
      index = i;
    } else second = Math.max(second, p);
  });
  return { index, power, second };
}

/** Two-tone DTMF audio for `digit` (tests, benchmarks and the in-band sender), 16-bit at 8 kHz. */
export function dtmfTone(digit: string, samples: number, amplitude = 6000, sampleRate = 8000, phase = 0): Int16Array {
  const key = digit.toUpperCase();
  const rowIndex = KEYS.findIndex((row) => row.includes(key));
  if (key.length !== 1 || rowIndex < 0) throw new RangeError(`not a DTMF key: ${digit}`);
  const rowHz = ROW_HZ[rowIndex]!;
  const columnHz = COLUMN_HZ[KEYS[rowIndex]!.indexOf(key)]!;
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    const t = (i + phase) / sampleRate;
    out[i] = Math.round(amplitude * (Math.sin(2 * Math.PI * rowHz * t) + Math.sin(2 * Math.PI * columnHz * t)));
  }
  return out;
}
