/**
 * Verification metrics as speaker-verification.md §3 defines them. A trial is accepted iff
 * score ≥ θ; thresholds are only ever the distinct observed scores (plus +∞), so tied scores always
 * fall on the same side and a tie is never split.
 */

/** One operating point: FRR(θ) = #target < θ / N_t, FAR(θ) = #impostor ≥ θ / N_n. */
export interface OperatingPoint {
  threshold: number;
  frr: number;
  far: number;
}

/** Every operating point, thresholds ascending (FRR rises, FAR falls); the last one is θ = +∞. */
function operatingPoints(targets: readonly number[], impostors: readonly number[]): OperatingPoint[] {
  if (targets.length === 0 || impostors.length === 0) throw new RangeError('Need at least one target and one impostor score');
  const tar = [...targets].sort((a, b) => a - b);
  const non = [...impostors].sort((a, b) => a - b);
  const thresholds = [...new Set([...tar, ...non])].sort((a, b) => a - b);
  thresholds.push(Number.POSITIVE_INFINITY);
  const points: OperatingPoint[] = [];
  let t = 0; // #targets < θ
  let n = 0; // #impostors < θ
  for (const threshold of thresholds) {
    while (t < tar.length && tar[t]! < threshold) t++;
    while (n < non.length && non[n]! < threshold) n++;
    points.push({ threshold, frr: t / tar.length, far: (non.length - n) / non.length });
  }
  return points;
}

/**
 * Equal error rate (§3.3): walk the thresholds until FAR − FRR changes sign and interpolate
 * linearly between the two operating points on either side. The threshold is interpolated the
 * same way (the last finite threshold when the crossing is at θ = +∞).
 */
export function equalErrorRate(targets: readonly number[], impostors: readonly number[]): { eer: number; threshold: number } {
  const points = operatingPoints(targets, impostors);
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (p.frr < p.far) continue;
    if (i === 0 || p.frr === p.far) return { eer: p.far === p.frr ? p.far : (p.far + p.frr) / 2, threshold: finite(p.threshold, points) };
    const q = points[i - 1]!;
    const before = q.far - q.frr; // > 0
    const after = p.far - p.frr; // < 0
    const w = before / (before - after);
    const eer = q.far + w * (p.far - q.far);
    const threshold = Number.isFinite(p.threshold) ? q.threshold + w * (p.threshold - q.threshold) : q.threshold;
    return { eer, threshold };
  }
  return { eer: 0, threshold: finite(Number.POSITIVE_INFINITY, points) };
}

/**
 * FRR at a target FAR (§3.2): θ is the smallest threshold with FAR(θ) ≤ far, chosen on the impostor
 * scores only; returns FRR(θ), the FAR actually reached and θ.
 */
export function frrAtFar(targets: readonly number[], impostors: readonly number[], far: number): OperatingPoint {
  const points = operatingPoints(targets, impostors);
  const point = points.find((p) => p.far <= far) ?? points[points.length - 1]!;
  return point;
}

function finite(threshold: number, points: readonly OperatingPoint[]): number {
  if (Number.isFinite(threshold)) return threshold;
  for (let i = points.length - 1; i >= 0; i--) if (Number.isFinite(points[i]!.threshold)) return points[i]!.threshold;
  return 0;
}

/** Value at quantile q (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length;
}
