/**
 * Integer-factor upsampling (zero-stuffing + Hann-windowed sinc low-pass at the input's Nyquist
 * frequency), used to bring telephone-band 8 kHz audio to the rate an embedding model was trained at
 * (16 kHz for the public wespeaker / 3D-Speaker models). The band above 4 kHz stays empty: Verity
 * always scores in the telephone band, whatever the model.
 */
export function upsample(samples: Float32Array, factor: number): Float32Array {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError('upsample factor must be a positive integer');
  if (factor === 1) return samples;
  const half = 16 * factor; // taps each side: 16 input samples of context
  const kernel = new Float64Array(2 * half + 1);
  for (let k = -half; k <= half; k++) {
    const x = k / factor;
    const sinc = k === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    kernel[k + half] = sinc * (0.5 + 0.5 * Math.cos((Math.PI * k) / (half + 1)));
  }
  // Polyphase: output n = m·factor + p only meets input samples m − j (|j·factor − p| ≤ half), so
  // each phase has its own short kernel; phase 0 is the input itself (the sinc is 0 at other integers).
  const taps = Math.floor(half / factor);
  const phases = Array.from({ length: factor }, (_, p) => Float64Array.from({ length: 2 * taps + 1 }, (_, i) => {
    const k = (i - taps) * factor + p;
    return Math.abs(k) <= half ? kernel[k + half]! : 0;
  }));
  const out = new Float32Array(samples.length * factor);
  const last = samples.length - 1;
  for (let m = 0; m < samples.length; m++) {
    out[m * factor] = samples[m]!;
    for (let p = 1; p < factor; p++) {
      const phase = phases[p]!;
      let acc = 0;
      // Output m·factor + p takes input m − j with kernel tap j·factor + p.
      for (let i = 0; i < phase.length; i++) {
        const src = m - (i - taps);
        if (src >= 0 && src <= last) acc += samples[src]! * phase[i]!;
      }
      out[m * factor + p] = acc;
    }
  }
  return out;
}
