/**
 * Error rates of one benchmark condition from its trials (speaker-verification.md §3), with the
 * quality gate's refusals counted as rejections: a genuine attempt the gate refuses is a false
 * reject, an impostor attempt it refuses is not a false accept. Also the operating-points curve of
 * models/voiceprint-operating-points.json.
 */
import type { OperatingCondition } from '../../src/factors/voiceprint/operating-points.ts';
import { equalErrorRate, frrAtFar, mean } from './speaker-metrics.ts';

export interface Trial {
  /** Enrolled speaker (the model). */
  model: string;
  kind: 'target' | 'impostor';
  score: number;
  /** The engine refused the attempt (quality gate or replay): counted as a rejection. */
  rejected: boolean;
  /** Refused by the quality gate ('quality:…'), as opposed to replay. */
  gateRejected: boolean;
}

/** Scores with every refusal as −∞ (below any threshold: rejected whatever θ is). */
function gated(trials: readonly Trial[], kind: Trial['kind']): number[] {
  return trials.filter((t) => t.kind === kind).map((t) => (t.rejected ? Number.NEGATIVE_INFINITY : t.score));
}

export interface ConditionMetrics {
  targets: number;
  impostors: number;
  /** Share of genuine attempts the quality gate refused. */
  gateRejectedGenuine: number;
  gateRejectedImpostor: number;
  eer: number;
  eerThreshold: number;
  frrAtFar1: number;
  frrAtFar01: number;
  /** Threshold where FAR ≤ 1 %. */
  thresholdFar1: number;
  /** EER of the score the engine computed anyway for refused attempts (diagnostic). */
  eerScoredAnyway: number;
}

export function conditionMetrics(trials: readonly Trial[]): ConditionMetrics | undefined {
  const tar = gated(trials, 'target');
  const non = gated(trials, 'impostor');
  if (tar.length === 0 || non.length === 0) return undefined;
  const { eer, threshold } = equalErrorRate(tar, non);
  const at1 = frrAtFar(tar, non, 0.01);
  const at01 = frrAtFar(tar, non, 0.001);
  const raw = (kind: Trial['kind']): number[] => trials.filter((t) => t.kind === kind).map((t) => t.score);
  const targetTrials = trials.filter((t) => t.kind === 'target');
  const impostorTrials = trials.filter((t) => t.kind === 'impostor');
  return {
    targets: tar.length,
    impostors: non.length,
    gateRejectedGenuine: targetTrials.filter((t) => t.gateRejected).length / tar.length,
    gateRejectedImpostor: impostorTrials.filter((t) => t.gateRejected).length / non.length,
    eer,
    eerThreshold: threshold,
    frrAtFar1: at1.frr,
    frrAtFar01: at01.frr,
    thresholdFar1: at1.threshold,
    eerScoredAnyway: equalErrorRate(raw('target'), raw('impostor')).eer,
  };
}

export const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

/**
 * Rule of 30 (§3.4): a FAR of p is shown within ±30 % only with ≥ 30/p impostor trials (3,000 for
 * 1 %, 30,000 for 0.1 %); below 1/p trials it cannot be shown at all.
 */
export function farNote(impostors: number, far: number): string {
  if (impostors < 1 / far) return ` (not measurable: < ${Math.round(1 / far)} impostor trials)`;
  if (impostors < 30 / far) return ' (indicative)';
  return '';
}

/**
 * Up to `points` thresholds (evenly spaced over the distinct observed scores, so clamped or tied
 * scores do not eat the budget), FAR and FRR at each, ascending.
 */
export function operatingCurve(trials: readonly Trial[], points = 100): OperatingCondition['curve'] {
  const tar = gated(trials, 'target');
  const non = gated(trials, 'impostor');
  const finite = [...new Set([...tar, ...non].filter((s) => Number.isFinite(s)).map(round4))].sort((a, b) => a - b);
  if (finite.length === 0 || tar.length === 0 || non.length === 0) return [];
  const thresholds = new Set<number>();
  for (let i = 0; i < points; i++) thresholds.add(round4(finite[Math.round((i * (finite.length - 1)) / (points - 1))]!));
  return [...thresholds]
    .sort((a, b) => a - b)
    .map((threshold) => ({
      threshold,
      far: round4(non.filter((s) => s >= threshold).length / non.length),
      frr: round4(tar.filter((s) => s < threshold).length / tar.length),
    }));
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** Mean of a list, '—' when empty. */
export function meanText(values: readonly number[], digits = 1): string {
  return values.length === 0 ? '—' : mean(values).toFixed(digits);
}
