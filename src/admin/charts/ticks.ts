/**
 * Round axis ticks (1, 2, 2.5 or 5 × 10ⁿ steps) from 0 to at least `max`, about `count` of them.
 * Counts and percentages both start at 0: a bar's length is then its value.
 */
export function niceTicks(max: number, count = 5): number[] {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const rough = top / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  // Whole numbers only when the values are counts of things (a step under 1 would label 0.5 verifications).
  const unit = Number.isInteger(top) && step < 1 ? 1 : step;
  const ticks: number[] = [];
  for (let t = 0; t < top + unit / 2; t += unit) ticks.push(Number(t.toFixed(6)));
  if ((ticks.at(-1) ?? 0) < top) ticks.push(Number((ticks.length * unit).toFixed(6)));
  return ticks;
}

/** Every `n`th label, so that labels of `labelWidth` fit in slots of `slotWidth` without overlapping. */
export function labelEvery(slotWidth: number, labelWidth: number): number {
  return Math.max(1, Math.ceil(labelWidth / Math.max(1, slotWidth)));
}
