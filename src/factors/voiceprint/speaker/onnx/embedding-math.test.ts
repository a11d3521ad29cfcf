import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BOUNDARY_LIMITS, calibrate, calibratedBoundary, cohortSelfStats, cohortStats, cosine, l2Normalize, meanOfNormalized, sNorm, stats, STD_FLOOR } from './embedding-math.ts';

const close = (actual: number, expected: number, message?: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${message ?? ''} ${actual} ≠ ${expected}`);

describe('ONNX backend scoring arithmetic', () => {
  test('cosine and L2 normalisation', () => {
    close(cosine([1, 0], [0, 1]), 0);
    close(cosine([1, 1], [2, 2]), 1);
    close(cosine([3, 4], [4, 3]), 24 / 25);
    close(cosine([0, 0], [1, 1]), 0, 'a zero vector scores 0');
    assert.deepEqual(Array.from(l2Normalize([3, 4])), [0.6, 0.8]);
    // The speaker model averages unit vectors: a loud recording does not outweigh a quiet one.
    const model = meanOfNormalized([[10, 0], [0, 0.1]]);
    close(model[0]!, 0.5);
    close(model[1]!, 0.5);
  });

  test('statistics floor the spread', () => {
    assert.deepEqual(stats([1, 3]), { mean: 2, std: 1 });
    assert.deepEqual(stats([2, 2, 2]), { mean: 2, std: STD_FLOOR });
  });

  test('S-norm is the mean of the Z- and T-normalised scores', () => {
    // Z: (0.5 − 0.1)/0.2 = 2; T: (0.5 − 0.2)/0.1 = 3 → 2.5
    close(sNorm(0.5, { mean: 0.1, std: 0.2 }, { mean: 0.2, std: 0.1 }), 2.5);
    close(sNorm(0.1, { mean: 0.1, std: 0.2 }, { mean: 0.1, std: 0.5 }), 0, 'a score at both cohort means is 0');
    // Cohort statistics: cosines [1, 0, −1] against the axes → mean 0, std √(2/3).
    const s = cohortStats([1, 0], [[1, 0], [0, 1], [-1, 0]]);
    close(s.mean, 0);
    close(s.std, Math.sqrt(2 / 3));
    const excluded = cohortStats([1, 0], [[1, 0], [0, 1], [-1, 0]], (i) => i === 0);
    close(excluded.mean, -0.5);
  });

  test('cohort members are T-normed against other speakers only', () => {
    const cohort = [[1, 0], [1, 0.01], [0, 1], [-1, 0]];
    const [first] = cohortSelfStats(cohort, ['a', 'a', 'b', 'c']);
    // Against [0, 1] and [−1, 0] only: cosines 0 and −1.
    close(first!.mean, -0.5);
    close(first!.std, 0.5);
  });

  test('the boundary is the two-Gaussian equal-error point, within 2–4 impostor spreads', () => {
    const impostor = { mean: 0, std: 1 };
    // Genuine mean 6, spread floored at the impostor's: midpoint 3.
    close(calibratedBoundary([5.9, 6, 6.1], impostor), 3);
    // Genuine spread 2 (values 4 ± 2): (0·2 + 4·1)/(1 + 2) = 4/3 → raised to the 2σ floor.
    close(calibratedBoundary([2, 6], impostor), BOUNDARY_LIMITS.min);
    // Far-away genuine scores cannot push the boundary past 4σ.
    close(calibratedBoundary([20, 20, 20], impostor), BOUNDARY_LIMITS.max);
    // Scales with the impostor distribution.
    close(calibratedBoundary([5.9, 6, 6.1], { mean: 1, std: 0.5 }), 1 + BOUNDARY_LIMITS.max * 0.5);
  });

  test('calibration on fixed vectors: leave-one-out genuine scores against cohort impostor scores', () => {
    // Three enrolment embeddings near the x axis; a cohort spread around the circle.
    const enrol = [[1, 0.1], [1, -0.1], [1, 0]];
    const cohort = Array.from({ length: 12 }, (_, k) => [Math.cos((2 * Math.PI * (k + 0.5)) / 12), Math.sin((2 * Math.PI * (k + 0.5)) / 12)]);
    const { model, modelStats, calibration } = calibrate(enrol, cohort, cohortSelfStats(cohort));
    close(cosine(model, [1, 0]), 1, 'the model points along the mean direction');
    close(modelStats.mean, 0, 'a symmetric cohort averages 0 cosine');
    assert.equal(calibration.genuine.length, 3);
    // Leave-one-out by hand for the first recording: model of the other two = (1, −0.05)/… .
    const others = meanOfNormalized([enrol[1]!, enrol[2]!]);
    const expected = sNorm(cosine(others, enrol[0]!), cohortStats(others, cohort), cohortStats(enrol[0]!, cohort));
    close(calibration.genuine[0]!, expected);
    assert.ok(calibration.genuine.every((g) => g > calibration.impostorMean + 1), JSON.stringify(calibration));
    assert.ok(calibration.boundary >= calibration.impostorMean + BOUNDARY_LIMITS.min * calibration.impostorStd - 1e-9, 'boundary at least 2 impostor spreads up');
    assert.ok(calibration.boundary <= calibration.impostorMean + BOUNDARY_LIMITS.max * calibration.impostorStd + 1e-9, 'boundary at most 4 impostor spreads up');
  });
});
