import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Gmm } from './model/gmm.ts';
import { VoiceprintEngine, cohortToJSON } from './voiceprint-engine.ts';

function tinyGmm(offset: number): Gmm {
  return new Gmm(Float64Array.of(0.5, 0.5), Float64Array.from({ length: 120 }, (_, i) => (i % 7) + offset), new Float64Array(120).fill(1));
}

test('load() reads the UBMs and an optional cohort from a directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'voiceprint-models-'));
  try {
    const ubm16k = tinyGmm(0);
    const ubm8k = tinyGmm(1);
    writeFileSync(join(dir, 'voiceprint-ubm-16k.json'), JSON.stringify(ubm16k.toJSON()));
    writeFileSync(join(dir, 'voiceprint-ubm-8k.json'), JSON.stringify(ubm8k.toJSON()));
    let engine = await VoiceprintEngine.load(dir);
    assert.deepEqual(engine.models.ubm16k.means, ubm16k.means);
    assert.deepEqual(engine.models.cohort, {});
    writeFileSync(join(dir, 'voiceprint-cohort-8k.json'), JSON.stringify(cohortToJSON(ubm8k, [{ id: 'a', means: ubm8k.means }, { id: 'b', means: ubm8k.means }])));
    engine = await VoiceprintEngine.load(dir);
    assert.equal(engine.models.cohort?.[8000]?.length, 2);
    // a cohort made for another UBM is refused
    writeFileSync(join(dir, 'voiceprint-cohort-16k.json'), JSON.stringify(cohortToJSON(ubm8k, [])));
    await assert.rejects(VoiceprintEngine.load(dir), { code: 'model_invalid' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('load() fails with model_invalid when a UBM file is missing', async () => {
  await assert.rejects(VoiceprintEngine.load(join(tmpdir(), 'no-such-voiceprint-models')), { code: 'model_invalid' });
});
