import { mapAdaptedMeans, type Gmm } from '../model/gmm.ts';

/**
 * GMM mean supervectors, the built-in backend's second view of a voice. The average-LLR score asks
 * "do these frames fit the speaker's model better than the UBM?" frame by frame; the supervector
 * asks "did MAP move the UBM's means the same way for the attempt as for the enrolment?" over the
 * whole utterance. The two err on different attempts, so their mean is better than either (dev
 * speakers, models/README.md "Tuning log").
 *
 * The supervector stacks every component's mean offset from the UBM scaled by √wᵢ/σᵢ, the scaling
 * under which the inner product bounds the KL divergence between the two models (Campbell, Sturim &
 * Reynolds, "Support vector machines using GMM supervectors for speaker verification", 2006). It is
 * scored by cosine (as i-vectors are, Dehak et al. 2011) and kept at unit length so a cosine is a dot
 * product. Hand-written: it is a MAP pass and a scaling; no maintained JavaScript package does GMM
 * supervectors.
 */
export class Supervectors {
  private readonly scale: Float64Array;

  constructor(
    readonly ubm: Gmm,
    /** MAP relevance factor for utterances (the backend's, so attempt and enrolment adapt alike). */
    readonly relevance: number,
  ) {
    const { components, dims } = ubm;
    this.scale = new Float64Array(components * dims);
    for (let i = 0; i < components; i++) {
      const sw = Math.sqrt(ubm.weights[i]!);
      for (let d = 0; d < dims; d++) this.scale[i * dims + d] = sw / Math.sqrt(ubm.variances[i * dims + d]!);
    }
  }

  /** The unit-length supervector of a model's MAP means (all zeros for the UBM itself). */
  ofMeans(means: Float64Array): Float64Array {
    const v = new Float64Array(means.length);
    let norm = 0;
    for (let j = 0; j < means.length; j++) {
      v[j] = this.scale[j]! * (means[j]! - this.ubm.means[j]!);
      norm += v[j]! * v[j]!;
    }
    const inverse = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < v.length; j++) v[j] = v[j]! * inverse;
    return v;
  }

  /** The unit-length supervector of an utterance: MAP-adapt the UBM to its frames, then ofMeans. */
  ofFrames(frames: Float32Array): Float64Array {
    return this.ofMeans(mapAdaptedMeans(this.ubm, frames, this.relevance).means);
  }
}

/** Cosine of two unit-length supervectors. */
export function cosine(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += a[j]! * b[j]!;
  return sum;
}
