import { upsample } from './upsample.ts';

/**
 * The ONNX runtime of the operator-model backend: sherpa-onnx-node's SpeakerEmbeddingExtractor.
 *
 * Why sherpa-onnx-node rather than onnxruntime-node (issue 18): it computes the features the public
 * speaker models expect itself — Kaldi fbank, 80 bins, Povey window, per-utterance mean
 * normalisation, sample scaling — from the model's own metadata (`framework`, `sample_rate`,
 * `normalize_samples`, `feature_normalize_type`), so an operator can drop in a wespeaker /
 * 3D-Speaker export (ECAPA-TDNN, ResNet, CAM++) without Verity re-implementing each family's front
 * end; its package has no install script (one 11 MB platform package with its own libonnxruntime),
 * where onnxruntime-node ships 300 MB for every platform and a postinstall that may download GPU
 * binaries. Loaded with a dynamic import only when a model is configured: the default server never
 * loads native code for it.
 */
export interface EmbeddingExtractor {
  readonly dim: number;
  /** Embedding of telephone-band 8 kHz audio (upsampled here to the model's rate). */
  embed(samples8k: Float32Array): Float32Array | undefined;
}

export async function openSherpaExtractor(modelPath: string, modelSampleRate: number): Promise<EmbeddingExtractor> {
  const { default: sherpa } = await import('sherpa-onnx-node');
  const extractor = new sherpa.SpeakerEmbeddingExtractor({ model: modelPath, numThreads: 1, debug: 0 });
  // Resampled here, not by the runtime: its resampler logs to stderr on every stream.
  const factor = modelSampleRate / 8000;
  return {
    dim: extractor.dim,
    embed(samples8k) {
      const stream = extractor.createStream();
      stream.acceptWaveform({ samples: upsample(samples8k, factor), sampleRate: modelSampleRate });
      stream.inputFinished();
      if (!extractor.isReady(stream)) return undefined;
      // A copy: the runtime's buffer is reused by the next call.
      return Float32Array.from(extractor.compute(stream, false));
    },
  };
}
