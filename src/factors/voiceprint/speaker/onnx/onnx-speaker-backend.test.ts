import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../../../../config/config.ts';
import { voiceprintCommand } from '../../../../cli/voiceprint-command.ts';
import { loadVoiceprints } from '../../../voiceprint-factor/voiceprint-status.ts';
import { PROVIDER_OPTIONS } from '../../../../providers/registry.ts';
import type { Audio } from '../../audio/audio.ts';
import { encodeWav } from '../../../../audio/wav.ts';
import { g711RoundTrip, toTelephoneBand } from '../../audio/resample.ts';
import { decodeWav } from '../../audio/wav.ts';
import { syntheticVoice } from '../../testing/synthetic-voice.ts';
import { VoiceprintError } from '../../voiceprint-error.ts';
import type { SpeakerBackend, SpeakerEnrollment } from '../speaker-backend.ts';
import { createSpeakerBackend } from '../speaker-backends.ts';
import { encodeOnnxModel, readOnnxModelInfo } from './onnx-protobuf.ts';
import { statisticsEmbeddingModel } from './statistics-embedding-graph.ts';
import { speechToolsAvailable } from '../../testing/speech-tools.ts';

// The committed model and cohort (scripts/voiceprint/build-embedding-model.ts), loaded the way an
// operator's are: VERITY_VOICEPRINT_MODEL / VERITY_VOICEPRINT_COHORT → config → speaker backend.
const MODELS = fileURLToPath(new URL('../../../../../models/', import.meta.url));
const MODEL = join(MODELS, 'voiceprint-embedding-lda.onnx');
const COHORT = join(MODELS, 'voiceprint-embedding-lda.json');

// espeak-ng voices are synthetic: they stand in for speakers here (telephony-offline.md §3).
const espeak = speechToolsAvailable;

let dir = '';
const PHRASE = 'never forget that tomorrow is a new day';

function speak(voice: string, text: string, speed: number, pitch: number): Audio {
  const file = join(dir, `${voice}-${speed}-${pitch}-${text.length}.wav`.replace(/[^\w.-]/g, '_'));
  execFileSync('sh', ['-c', `espeak-ng -v "$1" -s "$2" -p "$3" --stdout "$4" | sox -t wav - -r 16000 -c 1 -b 16 "$5"`, 'sh', voice, String(speed), String(pitch), text, file]);
  return toTelephoneBand(decodeWav(new Uint8Array(readFileSync(file))));
}

const operatorConfig = (env: NodeJS.ProcessEnv) => loadConfig({ NODE_ENV: 'test', ...env }, PROVIDER_OPTIONS).voiceprint;

async function backendFrom(env: NodeJS.ProcessEnv): Promise<SpeakerBackend> {
  const model = operatorConfig(env).operatorModel;
  assert.ok(model, 'VERITY_VOICEPRINT_MODEL reaches the configuration');
  return createSpeakerBackend({ kind: 'onnx', ...model });
}

async function configProblem(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems.join('\n');
  }
  assert.fail('expected a ConfigError');
}

describe('ONNX speaker backend (operator model)', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'onnx-backend-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('ONNX speaker backend: the committed model through the operator configuration', () => {
    let backend: SpeakerBackend;
    before(async () => {
      backend = await backendFrom({ VERITY_VOICEPRINT_MODEL: MODEL, VERITY_VOICEPRINT_COHORT: COHORT });
    });

    test('its id names the model file', () => {
      assert.match(backend.id, /^onnx:[0-9a-f]{16}$/);
      const cohort = JSON.parse(readFileSync(COHORT, 'utf8')) as { model: string };
      assert.equal(cohort.model, backend.id, 'the committed cohort was made with the committed model');
    });

    test('synthetic voices: an enrolment is JSON, scores are finite, the same voice outscores another', async () => {
      const voice = (f0: number, seed: number) => syntheticVoice({ sampleRate: 8000, f0, seed });
      const enrollment = JSON.parse(JSON.stringify(await backend.enroll([voice(110, 1), voice(112, 2), voice(108, 3)]))) as SpeakerEnrollment;
      assert.equal(enrollment.backend, backend.id);
      assert.equal(enrollment.calibration.genuine.length, 3);
      const same = await backend.score(enrollment, voice(111, 9));
      const other = await backend.score(enrollment, syntheticVoice({ sampleRate: 8000, f0: 210, seed: 9, vowels: [[350, 2600, 3200], [800, 1300, 2900]] }));
      assert.ok(Number.isFinite(same.raw) && Number.isFinite(same.normalized), JSON.stringify(same));
      assert.ok(same.normalized > other.normalized, `same ${same.normalized} vs other ${other.normalized}`);
    });

    test('rejects 16 kHz input: the engine scores in the telephone band only', async () => {
      await assert.rejects(backend.enroll([syntheticVoice(), syntheticVoice(), syntheticVoice()]), (e: unknown) => e instanceof VoiceprintError && e.code === 'audio_rate');
    });

    describe('espeak-ng voices', { skip: espeak ? false : 'espeak-ng or sox not installed' }, () => {
      const voices = ['en-us+m3', 'en-gb+f2', 'de+m1', 'fr+f3'];
      test('genuine attempts outscore every impostor; over a G.711 line, the impostors\' mean', async () => {
        for (const target of voices) {
          const enrollment = await backend.enroll([speak(target, PHRASE, 130, 50), speak(target, PHRASE, 150, 48), speak(target, PHRASE, 165, 52)]);
          const attempt = speak(target, PHRASE, 140, 49);
          const genuine = (await backend.score(enrollment, attempt)).normalized;
          const genuineLine = (await backend.score(enrollment, g711RoundTrip(attempt, 'ulaw'))).normalized;
          const impostors: number[] = [];
          const impostorsLine: number[] = [];
          for (const impostor of voices.filter((v) => v !== target)) {
            const audio = speak(impostor, PHRASE, 140, 49);
            impostors.push((await backend.score(enrollment, audio)).normalized);
            impostorsLine.push((await backend.score(enrollment, g711RoundTrip(audio, 'ulaw'))).normalized);
          }
          assert.ok(genuine > Math.max(...impostors), `${target}: genuine ${genuine}, impostors ${impostors.join(', ')}`);
          // The small model is not channel-robust enough to beat every espeak voice over a line (README "Operator model").
          const meanLine = impostorsLine.reduce((a, b) => a + b, 0) / impostorsLine.length;
          assert.ok(genuineLine > meanLine, `${target} over G.711: genuine ${genuineLine}, impostors ${impostorsLine.join(', ')}`);
        }
      });
    });
  });

  describe('ONNX speaker backend: model identity', () => {
    test('another model file has another id, and its voiceprints are refused', async () => {
      // Same graph, another comment: other bytes, so another model as far as voiceprints go.
      const bytes = readFileSync(MODEL);
      const info = readOnnxModelInfo(bytes);
      assert.equal(info.metadata.framework, 'wespeaker');
      const copy = join(dir, 'copy.onnx');
      writeFileSync(copy, bytes);
      const a = await createSpeakerBackend({ kind: 'onnx', modelPath: MODEL, cohortPath: COHORT });
      const b = await createSpeakerBackend({ kind: 'onnx', modelPath: copy, cohortPath: COHORT });
      assert.equal(a.id, b.id, 'identical bytes, identical id');

      const other = join(dir, 'other.onnx');
      writeFileSync(other, encodeOnnxModel(statisticsEmbeddingModel({ comment: 'statistics only' })));
      const cohortDir = join(dir, 'cohort-audio');
      for (let s = 0; s < 4; s++) {
        mkdirSync(join(cohortDir, `speaker-${s}`), { recursive: true });
        for (let k = 0; k < 4; k++) {
          writeFileSync(join(cohortDir, `speaker-${s}`, `${k}.wav`), encodeWav(syntheticVoice({ sampleRate: 8000, f0: 90 + 30 * s, seed: 10 * s + k })));
        }
      }
      const otherCohort = join(dir, 'other-cohort.json');
      const log = console.log;
      let printed = '';
      console.log = (line: string) => (printed += line);
      try {
        assert.equal(await voiceprintCommand('cohort', ['--model', other, '--audio', cohortDir, '--out', otherCohort], 'usage'), 0);
      } finally {
        console.log = log;
      }
      assert.equal((JSON.parse(printed) as { embeddings: number }).embeddings, 16);
      const c = await createSpeakerBackend({ kind: 'onnx', modelPath: other, cohortPath: otherCohort });
      assert.notEqual(c.id, a.id);
      const voice = (seed: number) => syntheticVoice({ sampleRate: 8000, seed });
      const enrollment = await a.enroll([voice(1), voice(2), voice(3)]);
      await assert.rejects(c.score(enrollment, voice(4)), (e: unknown) => e instanceof VoiceprintError && e.code === 'voiceprint_invalid');
      // A cohort made with one model is refused for another.
      assert.match(await configProblem(createSpeakerBackend({ kind: 'onnx', modelPath: other, cohortPath: COHORT })), /^VERITY_VOICEPRINT_COHORT: .* made with another model/);
    });
  });

  describe('ONNX speaker backend: a bad model is a clear start-up error naming the variable', () => {
    test('missing, not ONNX, without metadata, or one the runtime cannot run', async () => {
      const garbage = join(dir, 'garbage.onnx');
      writeFileSync(garbage, 'this is not a model');
      const bare = join(dir, 'bare.onnx');
      writeFileSync(bare, encodeOnnxModel({ ...statisticsEmbeddingModel({ comment: '' }), metadata: {} }));
      const broken = join(dir, 'broken.onnx');
      const spec = statisticsEmbeddingModel({ comment: '' });
      writeFileSync(broken, encodeOnnxModel({ ...spec, nodes: [...spec.nodes.slice(0, -1), { op: 'NoSuchOperator', inputs: ['stats'], outputs: ['embs'] }] }));
      const load = (modelPath: string) => createSpeakerBackend({ kind: 'onnx', modelPath, cohortPath: COHORT });
      assert.match(await configProblem(load(join(dir, 'missing.onnx'))), /^VERITY_VOICEPRINT_MODEL: cannot read the model file .*missing\.onnx \(ENOENT\)/);
      assert.match(await configProblem(load(garbage)), /^VERITY_VOICEPRINT_MODEL: .*garbage\.onnx is not an ONNX model/);
      assert.match(await configProblem(load(bare)), /^VERITY_VOICEPRINT_MODEL: .*lacks the speaker-embedding metadata framework, output_dim, sample_rate/);
      // Passes the file checks; the runtime's refusal (in the probe process) is reported, the server survives.
      const brokenCohort = join(dir, 'broken-cohort.json');
      const cohort = JSON.parse(readFileSync(COHORT, 'utf8')) as Record<string, unknown>;
      const { onnxModelId } = await import('./load-onnx-backend.ts');
      writeFileSync(brokenCohort, JSON.stringify({ ...cohort, model: onnxModelId(readFileSync(broken)), dims: 60, embeddings: Array(12).fill(Buffer.alloc(240).toString('base64')), speakers: Array(12).fill('x') }));
      assert.match(await configProblem(createSpeakerBackend({ kind: 'onnx', modelPath: broken, cohortPath: brokenCohort })), /^VERITY_VOICEPRINT_MODEL: the ONNX runtime could not run .*broken\.onnx/);
      assert.match(await configProblem(createSpeakerBackend({ kind: 'onnx', modelPath: MODEL })), /^VERITY_VOICEPRINT_COHORT: required with VERITY_VOICEPRINT_MODEL/);
    });

    test('the server start stops on it (never a 5xx later), and loads a good one', async () => {
      const logger = pino({ level: 'silent' });
      const bad = operatorConfig({ VERITY_VOICEPRINT_MODEL: join(dir, 'missing.onnx'), VERITY_VOICEPRINT_COHORT: COHORT });
      assert.match(await configProblem(loadVoiceprints({ voiceprint: bad }, logger)), /^VERITY_VOICEPRINT_MODEL: /);
      const good = operatorConfig({ VERITY_VOICEPRINT_MODEL: MODEL, VERITY_VOICEPRINT_COHORT: COHORT });
      const loaded = await loadVoiceprints({ voiceprint: good }, logger);
      assert.equal(loaded.status.available, true);
    });
  });
});
