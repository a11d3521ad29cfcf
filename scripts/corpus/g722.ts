/**
 * ITU-T G.722 decoder, 64 kbit/s (mode 1), for the Asterisk `-g722` sound packages: the only 16 kHz
 * recordings of the Asterisk voices, and something sox cannot read. Each byte carries one sample pair
 * of 16 kHz audio as two sub-bands: 6 bits of ADPCM for 0–4 kHz, 2 bits for 4–8 kHz; a quadrature
 * mirror filter puts the bands back together. Written from the recommendation's block diagram (block
 * names in the comments); the constants are the recommendation's tables.
 */

/** INVQBL: 6-bit inverse quantiser of the lower band (mode 1). */
const LOW_RECONSTRUCT_6 = [
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856, -7192, -6576, -6000, -5456, -4944,
  -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576,
  7856, 7192, 6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136,
];
/** INVQAL: 4-bit inverse quantiser (the predictor adapts on the 4 most significant bits only). */
const LOW_RECONSTRUCT_4 = [0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0];
/** INVQAH: 2-bit inverse quantiser of the higher band. */
const HIGH_RECONSTRUCT_2 = [-7408, -1616, 7408, 1616];
/** LOGSCL: log scale-factor multipliers, indexed through the 4-bit code's magnitude. */
const LOW_LOG_STEP = [-60, -30, 58, 172, 334, 538, 1198, 3042];
const LOW_MAGNITUDE = [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];
/** LOGSCH. */
const HIGH_LOG_STEP = [0, -214, 798];
const HIGH_MAGNITUDE = [2, 1, 2, 1];
/** SCALEL/SCALEH: inverse log (2^(i/32) in Q11). */
const INVERSE_LOG = [
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520,
  3597, 3676, 3756, 3838, 3922, 4008,
];
/** The 24-tap QMF, half of it (the filter is symmetric). */
const QMF = [3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11];

function clamp16(x: number): number {
  return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

/** ADPCM state of one sub-band: pole-zero predictor (2 poles, 6 zeros) and the quantiser scale. */
class SubBand {
  /** Signal estimate (SE), its pole and zero parts. */
  estimate = 0;
  private zeroPart = 0;
  /** Quantiser scale (DET) and its log (NB). */
  scale: number;
  private logScale = 0;
  /** Reconstructed signals r(n-1), r(n-2); partial reconstructions p(n-1), p(n-2); pole coefficients a1, a2. */
  private readonly r = [0, 0];
  private readonly p = [0, 0];
  private readonly a = [0, 0];
  /** Quantised differences d(n-1…n-6) and zero coefficients b1…b6. */
  private readonly d = [0, 0, 0, 0, 0, 0];
  private readonly b = [0, 0, 0, 0, 0, 0];

  constructor(
    initialScale: number,
    private readonly logLimit: number,
    private readonly scaleShift: number,
  ) {
    this.scale = initialScale;
  }

  /** LOGSCL/LOGSCH then SCALEL/SCALEH: leaky log scale plus the code's step, back to linear. */
  adaptScale(logStep: number): void {
    this.logScale = Math.min(this.logLimit, Math.max(0, ((this.logScale * 127) >> 7) + logStep));
    const shift = this.scaleShift - (this.logScale >> 11);
    const mantissa = INVERSE_LOG[(this.logScale >> 6) & 31]!;
    this.scale = (shift < 0 ? mantissa << -shift : mantissa >> shift) << 2;
  }

  /** Block 4 (RECONS, PARREC, UPPOL2, UPPOL1, UPZERO, DELAYA, FILTEP, FILTEZ, PREDIC) for difference `dq`. */
  update(dq: number): void {
    const r0 = clamp16(this.estimate + dq);
    const p0 = clamp16(this.zeroPart + dq);
    const sign = (x: number): number => x >> 15;
    // UPPOL2
    const s0 = sign(p0);
    const s1 = sign(this.p[0]!);
    const s2 = sign(this.p[1]!);
    const fourA1 = clamp16(this.a[0]! << 2);
    const term = Math.min(32767, s0 === s1 ? -fourA1 : fourA1);
    const a2 = Math.min(12288, Math.max(-12288, (s0 === s2 ? 128 : -128) + (term >> 7) + ((this.a[1]! * 32512) >> 15)));
    // UPPOL1
    const bound = clamp16(15360 - a2);
    const a1 = Math.min(bound, Math.max(-bound, clamp16((s0 === s1 ? 192 : -192) + ((this.a[0]! * 32640) >> 15))));
    // UPZERO
    const step = dq === 0 ? 0 : 128;
    const sd = sign(dq);
    for (let i = 0; i < 6; i++) this.b[i] = clamp16((sign(this.d[i]!) === sd ? step : -step) + ((this.b[i]! * 32640) >> 15));
    // DELAYA
    this.d.unshift(dq);
    this.d.length = 6;
    this.r[1] = this.r[0]!;
    this.r[0] = r0;
    this.p[1] = this.p[0]!;
    this.p[0] = p0;
    this.a[0] = a1;
    this.a[1] = a2;
    // FILTEP, FILTEZ, PREDIC
    const polePart = clamp16(((a1 * clamp16(2 * this.r[0])) >> 15) + ((a2 * clamp16(2 * this.r[1])) >> 15));
    let zeros = 0;
    for (let i = 0; i < 6; i++) zeros += (this.b[i]! * clamp16(2 * this.d[i]!)) >> 15;
    this.zeroPart = clamp16(zeros);
    this.estimate = clamp16(polePart + this.zeroPart);
  }
}

/** Decodes G.722 (64 kbit/s) to 16-bit PCM at 16 kHz: two samples per byte. */
export function decodeG722(bytes: Uint8Array): Int16Array {
  const low = new SubBand(32, 18432, 8);
  const high = new SubBand(8, 22528, 10);
  const history = new Array<number>(24).fill(0);
  const out = new Int16Array(bytes.length * 2);
  for (let n = 0; n < bytes.length; n++) {
    const code = bytes[n]!;
    const lowCode = code & 0x3f;
    const highCode = code >> 6;
    // Lower band: INVQBL (6 bits) gives the output; INVQAL (4 bits) drives the adaptation.
    const rLow = Math.min(16383, Math.max(-16384, low.estimate + ((low.scale * LOW_RECONSTRUCT_6[lowCode]!) >> 15)));
    const code4 = lowCode >> 2;
    const dLow = (low.scale * LOW_RECONSTRUCT_4[code4]!) >> 15;
    low.adaptScale(LOW_LOG_STEP[LOW_MAGNITUDE[code4]!]!);
    low.update(dLow);
    // Higher band.
    const dHigh = (high.scale * HIGH_RECONSTRUCT_2[highCode]!) >> 15;
    const rHigh = Math.min(16383, Math.max(-16384, high.estimate + dHigh));
    high.adaptScale(HIGH_LOG_STEP[HIGH_MAGNITUDE[highCode]!]!);
    high.update(dHigh);
    // Receive QMF: sum and difference of the bands, through the 24-tap filter, two samples out.
    history.splice(0, 2);
    history.push(rLow + rHigh, rLow - rHigh);
    let even = 0;
    let odd = 0;
    for (let i = 0; i < 12; i++) {
      odd += history[2 * i]! * QMF[i]!;
      even += history[2 * i + 1]! * QMF[11 - i]!;
    }
    out[2 * n] = clamp16(even >> 11);
    out[2 * n + 1] = clamp16(odd >> 11);
  }
  return out;
}
