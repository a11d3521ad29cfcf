import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOperatingPoints } from '../../src/factors/voiceprint/operating-points.ts';
import { conditionMetrics, farNote, operatingCurve, type Trial } from './voiceprint-report.ts';

const trial = (kind: Trial['kind'], score: number, rejected = false): Trial => ({ model: 'a', kind, score, rejected, gateRejected: rejected });

test('a genuine attempt the gate refuses is a false reject; a refused impostor is never a false accept', () => {
  // Perfectly separated scores, but one of four genuine attempts refused by the gate.
  const trials = [trial('target', 5), trial('target', 6), trial('target', 7), trial('target', 9, true), trial('impostor', 9, true), trial('impostor', 1), trial('impostor', 2), trial('impostor', 3)];
  const m = conditionMetrics(trials)!;
  assert.equal(m.gateRejectedGenuine, 0.25);
  assert.equal(m.gateRejectedImpostor, 0.25);
  assert.ok(m.eer > 0 && m.eer <= 0.25, `EER ${m.eer}: the refused genuine attempt costs, the refused impostor does not`);
  assert.equal(m.eerScoredAnyway, 0.25, 'scored anyway, the impostor at 9 beats the genuine attempts at 5–7');
  assert.equal(m.frrAtFar1, 0.25);
});

test('the curve has ascending thresholds, FAR falling and FRR rising, and fits the operating-points schema', () => {
  const trials: Trial[] = [];
  for (let i = 0; i < 300; i++) trials.push(trial('target', 1 + Math.sin(i) * 2, i % 50 === 0), trial('impostor', -1 + Math.cos(i) * 2));
  const curve = operatingCurve(trials);
  assert.ok(curve.length > 90 && curve.length <= 100, `${curve.length} points`);
  for (let i = 1; i < curve.length; i++) {
    assert.ok(curve[i]!.threshold > curve[i - 1]!.threshold, 'ascending');
    assert.ok(curve[i]!.far <= curve[i - 1]!.far && curve[i]!.frr >= curve[i - 1]!.frr, 'monotone');
  }
  assert.ok(curve[0]!.frr >= 6 / 300, 'gate refusals are rejections even at the lowest threshold');
  const m = conditionMetrics(trials)!;
  const file = { format: 'verity-voiceprint-operating-points/1', backend: 'test', measured: '2026-12-07', protocol: 'unit test', conditions: [{ name: 'x', label: 'X', targetTrials: m.targets, impostorTrials: m.impostors, gateRejectedGenuine: m.gateRejectedGenuine, eer: m.eer, eerThreshold: m.eerThreshold, curve }] };
  assert.equal(parseOperatingPoints(JSON.stringify(file)).kind, 'measured');
});

test('rule of 30: FAR points are marked by how many impostor trials back them', () => {
  assert.equal(farNote(3000, 0.01), '');
  assert.equal(farNote(2999, 0.01), ' (indicative)');
  assert.match(farNote(99, 0.01), /not measurable/);
  assert.equal(farNote(3010, 0.001), ' (indicative)');
});
