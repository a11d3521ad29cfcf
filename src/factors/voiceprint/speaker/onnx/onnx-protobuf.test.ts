import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeOnnxModel, OnnxFormatError, readOnnxModelInfo } from './onnx-protobuf.ts';
import { STATISTICS_DIMS, statisticsEmbeddingModel } from './statistics-embedding-graph.ts';
import { upsample } from './upsample.ts';

describe('ONNX protobuf codec', () => {
  test('a written model reads back: IR version, metadata, signature', () => {
    const projection = { mean: new Float32Array(STATISTICS_DIMS), matrix: new Float32Array(STATISTICS_DIMS * 4).fill(0.5), outputDim: 4 };
    const bytes = encodeOnnxModel(statisticsEmbeddingModel({ projection, comment: 'test' }));
    const info = readOnnxModelInfo(bytes);
    assert.equal(info.irVersion, 8);
    assert.deepEqual(info.metadata, {
      framework: 'wespeaker',
      language: 'multilingual',
      sample_rate: '16000',
      output_dim: '4',
      normalize_samples: '0',
      feature_normalize_type: 'global-mean',
      comment: 'test',
    });
    assert.deepEqual(info.inputs, [{ name: 'feats', elemType: 1, shape: ['N', 'T', 80] }], 'initializers are not inputs');
    assert.deepEqual(info.outputs, [{ name: 'embs', elemType: 1, shape: ['N', 4] }]);
    assert.ok(bytes.length < 20_000, `${bytes.length} bytes`);
  });

  test('bytes that are not a model are refused with OnnxFormatError', () => {
    for (const bytes of [new TextEncoder().encode('{"not": "onnx"}'), Uint8Array.from([0x08]), new Uint8Array(0), Uint8Array.from([0x3a, 0x7f, 0x01])]) {
      assert.throws(() => readOnnxModelInfo(bytes), OnnxFormatError);
    }
  });

  test('negative int64 values are written as protobuf does (ten-byte two\'s complement)', () => {
    const bytes = encodeOnnxModel({ ...statisticsEmbeddingModel({ comment: '' }), metadata: {} });
    // The Slice end −2 is an initializer (raw data), the graph still reads.
    assert.equal(readOnnxModelInfo(bytes).outputs[0]!.shape[1], STATISTICS_DIMS);
  });
});

describe('upsample', () => {
  test('keeps a telephone-band tone and its level, doubles the rate', () => {
    const n = 8000;
    const tone = Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 8000));
    const up = upsample(tone, 2);
    assert.equal(up.length, 2 * n);
    let error = 0;
    for (let i = 400; i < up.length - 400; i++) error = Math.max(error, Math.abs(up[i]! - 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 16000)));
    assert.ok(error < 0.01, `max error ${error}`);
    assert.equal(upsample(tone, 1), tone);
    assert.throws(() => upsample(tone, 1.5), RangeError);
  });
});
