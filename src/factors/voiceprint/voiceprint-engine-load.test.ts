import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Gmm } from './model/gmm.ts';
import { sessionSubspaceToJSON } from './model/session-subspace.ts';
import { cohortToJSON, GmmUbmBackend } from './speaker/gmm-ubm-backend.ts';
import { createSpeakerBackend } from './speaker/speaker-backends.ts';
import { VoiceprintEngine } from './voiceprint-engine.ts';

function tinyGmm(offset: number): Gmm {
  return new Gmm(Float64Array.of(0.5, 0.5), Float64Array.from({ length: 120 }, (_, i) => (i % 7) + offset), new Float64Array(120).fill(1));
}

test('load() reads the one telephone-band UBM and an optional cohort from a directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'voiceprint-models-'));
  try {
    const ubm = tinyGmm(1);
    writeFileSync(join(dir, 'voiceprint-ubm-8k.json'), JSON.stringify(ubm.toJSON()));
    let engine = await VoiceprintEngine.load(dir);
    assert.ok(engine.backend instanceof GmmUbmBackend, 'expected the built-in backend');
    assert.deepEqual(engine.backend.ubm.means, ubm.means);
    assert.equal(engine.backend.cohort.length, 0);
    assert.match(engine.backend.id, /^gmm-ubm:[0-9a-f]+$/);
    writeFileSync(join(dir, 'voiceprint-cohort-8k.json'), JSON.stringify(cohortToJSON(ubm, [{ id: 'a', means: ubm.means }, { id: 'b', means: ubm.means }])));
    engine = await VoiceprintEngine.load({ modelsDir: dir });
    assert.equal((engine.backend as GmmUbmBackend).cohort.length, 2);
    // a cohort made for another UBM is refused
    writeFileSync(join(dir, 'voiceprint-cohort-8k.json'), JSON.stringify(cohortToJSON(tinyGmm(2), [])));
    await assert.rejects(VoiceprintEngine.load(dir), { code: 'model_invalid' });
    rmSync(join(dir, 'voiceprint-cohort-8k.json'));
    // a session subspace joins the backend's id: voiceprints made without it (or with another) are refused
    const withoutSession = (await VoiceprintEngine.load(dir)).backend.id;
    const subspace = { rank: 2, loadings: Float64Array.from({ length: 120 * 2 }, (_, i) => (i % 5) / 10), ubm };
    writeFileSync(join(dir, 'voiceprint-session-8k.json'), JSON.stringify(sessionSubspaceToJSON(subspace)));
    engine = await VoiceprintEngine.load(dir);
    assert.equal((engine.backend as GmmUbmBackend).session?.rank, 2);
    assert.match(engine.backend.id, /^gmm-ubm:[0-9a-f]+\+session:[0-9a-f]{16}$/);
    assert.ok(engine.backend.id.startsWith(withoutSession), `${engine.backend.id} extends ${withoutSession}`);
    // another subspace (here: the same loadings against another UBM) is another model
    writeFileSync(join(dir, 'voiceprint-session-8k.json'), JSON.stringify(sessionSubspaceToJSON({ ...subspace, ubm: tinyGmm(2) })));
    assert.notEqual((await VoiceprintEngine.load(dir)).backend.id, engine.backend.id);
    // one for features of another size is refused
    const wide = new Gmm(Float64Array.of(1), new Float64Array(61), new Float64Array(61).fill(1));
    writeFileSync(join(dir, 'voiceprint-session-8k.json'), JSON.stringify(sessionSubspaceToJSON({ rank: 1, loadings: new Float64Array(61), ubm: wide })));
    await assert.rejects(VoiceprintEngine.load(dir), { code: 'model_invalid' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('load() fails with model_invalid when the UBM file is missing or the backend kind is unknown', async () => {
  await assert.rejects(VoiceprintEngine.load(join(tmpdir(), 'no-such-voiceprint-models')), { code: 'model_invalid' });
  await assert.rejects(createSpeakerBackend({ kind: 'no-such-backend' }), { code: 'model_invalid' });
});
