// The part of sherpa-onnx-node (CommonJS, no bundled types) that the ONNX speaker backend uses.
declare module 'sherpa-onnx-node' {
  interface OnlineStream {
    acceptWaveform(wave: { samples: Float32Array; sampleRate: number }): void;
    inputFinished(): void;
  }
  interface SpeakerEmbeddingExtractor {
    readonly dim: number;
    createStream(): OnlineStream;
    isReady(stream: OnlineStream): boolean;
    compute(stream: OnlineStream, enableExternalBuffer?: boolean): Float32Array;
  }
  const sherpa: {
    SpeakerEmbeddingExtractor: new (config: { model: string; numThreads?: number; debug?: boolean | number; provider?: string }) => SpeakerEmbeddingExtractor;
  };
  export default sherpa;
}
