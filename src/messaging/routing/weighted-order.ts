/** A source of uniform numbers in [0, 1): Math.random in production, a seeded generator in tests. */
export type RandomSource = () => number;

/**
 * `items` in a random order where each next item is drawn with probability proportional to its
 * weight among those left (weighted sampling without replacement): the first is the weighted pick,
 * the rest the failover order. Weight-0 items follow the weighted ones, in their given order.
 */
export function weightedOrder<T extends { weight: number }>(items: readonly T[], random: RandomSource): T[] {
  const left = items.filter((item) => item.weight > 0);
  const order: T[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, item) => sum + item.weight, 0);
    let point = random() * total;
    let index = left.findIndex((item) => (point -= item.weight) < 0);
    // Rounding can leave `point` a hair above zero after the last item.
    if (index < 0) index = left.length - 1;
    order.push(...left.splice(index, 1));
  }
  return [...order, ...items.filter((item) => item.weight <= 0)];
}

/** A small seeded generator (mulberry32) for reproducible routing in tests and benchmarks. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
