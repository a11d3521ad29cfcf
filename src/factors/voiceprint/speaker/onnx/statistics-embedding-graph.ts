import type { OnnxModelSpec, OnnxNode, OnnxTensor } from './onnx-protobuf.ts';

/**
 * The project's own small speaker-embedding model (issue 18) as an ONNX graph, with the input and
 * output convention of the public wespeaker / 3D-Speaker exports: input `feats` [1, T, 80] (Kaldi
 * log-mel fbank, which the runtime computes and mean-normalises per utterance), output `embs` [1, D].
 *
 * Inside, no network: cepstra (fixed DCT-II of the 80 log-mel bands), then statistics pooling:
 * the energy-weighted mean and standard deviation of the cepstra and the standard deviation of
 * their first differences (the frame weights are a softmax over the frame's mean log-mel energy, so
 * speech outweighs pauses without a VAD), then a linear projection (LDA learned on background
 * speakers: scripts/voiceprint/build-embedding-model.ts). After per-utterance mean normalisation a
 * fixed channel adds nothing to the weighted mean or the spreads, which is what keeps a telephone
 * line from shifting the embedding.
 */

const FBANK_BINS = 80;
/** Cepstra kept (c0 … c19). */
const CEPSTRA = 20;
/** Statistics per utterance: weighted mean, weighted std, std of differences. */
export const STATISTICS_DIMS = 3 * CEPSTRA;
/** Softmax temperature on the frame's mean log-mel energy (natural-log units). */
const ENERGY_SHARPNESS = 1;

/** Orthonormal DCT-II basis, [FBANK_BINS × CEPSTRA], row-major (MatMul right operand). */
function dctMatrix(): Float32Array {
  const m = new Float32Array(FBANK_BINS * CEPSTRA);
  for (let n = 0; n < FBANK_BINS; n++) {
    for (let k = 0; k < CEPSTRA; k++) {
      const scale = k === 0 ? Math.sqrt(1 / FBANK_BINS) : Math.sqrt(2 / FBANK_BINS);
      m[n * CEPSTRA + k] = scale * Math.cos((Math.PI * k * (n + 0.5)) / FBANK_BINS);
    }
  }
  return m;
}

/** Nodes and constants from `feats` to `stats` [1, STATISTICS_DIMS]. */
function statisticsPart(): { nodes: OnnxNode[]; initializers: OnnxTensor[] } {
  const initializers: OnnxTensor[] = [
    { name: 'dct', dims: [FBANK_BINS, CEPSTRA], type: 'float', values: dctMatrix() },
    { name: 'band_mean', dims: [FBANK_BINS, 1], type: 'float', values: new Float32Array(FBANK_BINS).fill(1 / FBANK_BINS) },
    { name: 'sharpness', dims: [], type: 'float', values: [ENERGY_SHARPNESS] },
    { name: 'epsilon', dims: [], type: 'float', values: [1e-4] },
    { name: 'time_axis', dims: [1], type: 'int64', values: [1] },
    { name: 'slice_late_start', dims: [1], type: 'int64', values: [2] },
    { name: 'slice_late_end', dims: [1], type: 'int64', values: [2 ** 31 - 1] },
    { name: 'slice_early_start', dims: [1], type: 'int64', values: [0] },
    { name: 'slice_early_end', dims: [1], type: 'int64', values: [-2] },
  ];
  const node = (op: string, inputs: string[], output: string, attributes?: OnnxNode['attributes']): OnnxNode => ({ op, inputs, outputs: [output], attributes });
  const nodes: OnnxNode[] = [
    node('MatMul', ['feats', 'dct'], 'cepstra'), // [1, T, C]
    node('MatMul', ['feats', 'band_mean'], 'energy'), // [1, T, 1]
    node('Mul', ['energy', 'sharpness'], 'energy_scaled'),
    node('Softmax', ['energy_scaled'], 'weights', [{ name: 'axis', int: 1 }]), // Σ_t = 1
    node('Mul', ['weights', 'cepstra'], 'weighted'),
    node('ReduceSum', ['weighted', 'time_axis'], 'mean', [{ name: 'keepdims', int: 1 }]), // [1, 1, C]
    node('Sub', ['cepstra', 'mean'], 'centred'),
    node('Mul', ['centred', 'centred'], 'squares'),
    node('Mul', ['weights', 'squares'], 'weighted_squares'),
    node('ReduceSum', ['weighted_squares', 'time_axis'], 'variance', [{ name: 'keepdims', int: 1 }]),
    node('Add', ['variance', 'epsilon'], 'variance_floored'),
    node('Sqrt', ['variance_floored'], 'std'),
    node('Slice', ['cepstra', 'slice_late_start', 'slice_late_end', 'time_axis'], 'late'),
    node('Slice', ['cepstra', 'slice_early_start', 'slice_early_end', 'time_axis'], 'early'),
    node('Sub', ['late', 'early'], 'delta'), // c[t+2] − c[t]
    node('Mul', ['delta', 'delta'], 'delta_squares'),
    node('Slice', ['weights', 'slice_early_start', 'slice_early_end', 'time_axis'], 'delta_weights_raw'),
    node('ReduceSum', ['delta_weights_raw', 'time_axis'], 'delta_weights_sum', [{ name: 'keepdims', int: 1 }]),
    node('Div', ['delta_weights_raw', 'delta_weights_sum'], 'delta_weights'),
    node('Mul', ['delta_weights', 'delta_squares'], 'weighted_delta_squares'),
    node('ReduceSum', ['weighted_delta_squares', 'time_axis'], 'delta_variance', [{ name: 'keepdims', int: 1 }]),
    node('Add', ['delta_variance', 'epsilon'], 'delta_variance_floored'),
    node('Sqrt', ['delta_variance_floored'], 'delta_std'),
    node('Concat', ['mean', 'std', 'delta_std'], 'stats_3d', [{ name: 'axis', int: 2 }]), // [1, 1, 3C]
    node('Flatten', ['stats_3d'], 'stats', [{ name: 'axis', int: 1 }]), // [1, 3C]
  ];
  return { nodes, initializers };
}

/** The metadata sherpa-onnx reads from a speaker-embedding model (wespeaker convention). */
function embeddingMetadata(outputDim: number, comment: string): Record<string, string> {
  return {
    framework: 'wespeaker',
    language: 'multilingual',
    sample_rate: '16000',
    output_dim: String(outputDim),
    normalize_samples: '0', // samples on the int16 scale, as Kaldi and wespeaker
    feature_normalize_type: 'global-mean', // per-utterance CMN by the runtime
    comment,
  };
}

/**
 * A model spec. Without `projection`: output `embs` = the raw statistics (used by the build script to
 * measure the statistics through the runtime itself, so training sees exactly the runtime's fbank).
 * With it: `embs` = (stats − mean) · matrix, matrix [STATISTICS_DIMS × outputDim] row-major.
 */
export function statisticsEmbeddingModel(options: {
  projection?: { mean: Float32Array; matrix: Float32Array; outputDim: number };
  comment: string;
}): OnnxModelSpec {
  const { nodes, initializers } = statisticsPart();
  const outputDim = options.projection?.outputDim ?? STATISTICS_DIMS;
  if (options.projection) {
    const { mean, matrix } = options.projection;
    if (mean.length !== STATISTICS_DIMS || matrix.length !== STATISTICS_DIMS * outputDim) throw new Error('projection has the wrong size');
    initializers.push(
      { name: 'stats_mean', dims: [1, STATISTICS_DIMS], type: 'float', values: mean },
      { name: 'projection', dims: [STATISTICS_DIMS, outputDim], type: 'float', values: matrix },
    );
    nodes.push(
      { op: 'Sub', inputs: ['stats', 'stats_mean'], outputs: ['stats_centred'] },
      { op: 'MatMul', inputs: ['stats_centred', 'projection'], outputs: ['embs'] },
    );
  } else {
    nodes.push({ op: 'Identity', inputs: ['stats'], outputs: ['embs'] });
  }
  return {
    producer: 'verity scripts/voiceprint/build-embedding-model.ts',
    graphName: 'verity_statistics_embedding',
    nodes,
    initializers,
    inputs: [{ name: 'feats', shape: ['N', 'T', FBANK_BINS] }],
    outputs: [{ name: 'embs', shape: ['N', outputDim] }],
    metadata: embeddingMetadata(outputDim, options.comment),
    opset: 13,
    docString: options.comment,
  };
}
