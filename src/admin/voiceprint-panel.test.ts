import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VoiceprintStatus } from '../factors/voiceprint-factor/voiceprint-status.ts';
import type { ServiceRow } from '../store/schema.ts';
import { formatRate, voiceprintFormNote, voiceprintSection } from './voiceprint-panel.ts';

const service = (extras: Record<string, unknown> = {}) => ({ sid: 'VA' + '0'.repeat(32), extras }) as unknown as ServiceRow;
const on = (measurements: VoiceprintStatus['measurements']): VoiceprintStatus => ({ enabled: true, decidedBy: 'default', available: true, backend: 'gmm-ubm:abc', defaultThreshold: 0.5, measurements });
/** The words of a piece of HTML, as a person reads them. */
const words = (html: { value: string }): string => html.value.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the console\'s voiceprint panel', () => {
  it('formats rates as people read them', () => {
    assert.equal(formatRate(0), '0 %');
    assert.equal(formatRate(0.0007), '0.07 %');
    assert.equal(formatRate(0.125), '12.5 %');
  });

  it('says voiceprints are off, and why, with how to turn them on', () => {
    const bySetting = words(voiceprintSection(service(), { ...on({ kind: 'not measured', why: 'off' }), enabled: false, available: false, decidedBy: 'setting' }));
    assert.match(bySetting, /off Voiceprint factors are off on this server \( VERITY_VOICEPRINT=off \)/);
    const byDefault = words(voiceprintSection(service(), { ...on({ kind: 'not measured', why: 'off' }), enabled: false, available: false }));
    assert.match(byDefault, /VERITY_VOICEPRINT is not set, and voiceprints are off by default in production/);
    assert.match(byDefault, /set VERITY_VOICEPRINT=on and restart/);
    assert.match(words(voiceprintFormNote(service(), { ...on({ kind: 'not measured', why: 'off' }), enabled: false, available: false })), /VERITY_VOICEPRINT=on turns them on/);
  });

  it('says when the engine did not load although enabled', () => {
    assert.match(words(voiceprintSection(service(), { ...on({ kind: 'not measured', why: 'x' }), available: false, backend: undefined })), /unavailable VERITY_VOICEPRINT=on , but the voiceprint engine did not load/);
  });

  it('names the model and threshold, and says "not measured" or "measured for another model" without numbers', () => {
    const notMeasured = words(voiceprintSection(service(), on({ kind: 'not measured', why: 'models/voiceprint-operating-points.json is absent (npm run bench:voiceprint writes it)' })));
    assert.match(notMeasured, /Model gmm-ubm:abc/);
    assert.match(notMeasured, /Threshold 0\.5 \(the default\)/);
    assert.match(notMeasured, /FAR and FRR: not measured : models\/voiceprint-operating-points\.json is absent/);
    assert.match(notMeasured, /never a sole authenticator/);
    const other = words(voiceprintSection(service({ 'Voiceprint.Threshold': 1.5 }), on({ kind: 'measured for another model', measuredBackend: 'onnx:123' })));
    assert.match(other, /Threshold 1\.5 \(Voiceprint\.Threshold\)/);
    assert.match(notMeasured, /Mode pass phrase Audio kept no/);
    assert.match(words(voiceprintSection(service({ 'Voiceprint.Mode': 'digits', 'Voiceprint.RetainAudio': true }), on({ kind: 'not measured', why: 'x' }))), /Mode digits \(text-prompted: fresh digits to say at every challenge\) Audio kept yes \(sealed\)/);
    assert.match(other, /measured for another model \( onnx:123 \), not the one in use/);
    assert.doesNotMatch(other, /%/, 'no rate is shown for another model');
  });
});
