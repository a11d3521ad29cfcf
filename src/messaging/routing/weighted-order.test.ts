import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { seededRandom, weightedOrder } from './weighted-order.ts';

describe('weightedOrder', () => {
  it('is a permutation: every item once, weight-0 items last in their given order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 12 }), fc.integer(), (weights, seed) => {
        const items = weights.map((weight, id) => ({ id, weight }));
        const order = weightedOrder(items, seededRandom(seed));
        assert.deepEqual([...order].map((i) => i.id).sort((a, b) => a - b), items.map((i) => i.id));
        const zeros = items.filter((i) => i.weight === 0).map((i) => i.id);
        assert.deepEqual(order.slice(order.length - zeros.length).map((i) => i.id), zeros);
      }),
    );
  });

  it('draws the first item in proportion to the weights (3:1 over 20,000 seeded draws)', () => {
    const random = seededRandom(13);
    let heavy = 0;
    for (let i = 0; i < 20_000; i++) if (weightedOrder([{ id: 'a', weight: 3 }, { id: 'b', weight: 1 }], random)[0]?.id === 'a') heavy++;
    assert.ok(Math.abs(heavy / 20_000 - 0.75) < 0.015, `share of the weight-3 item: ${heavy / 20_000}`);
  });

  it('takes the last item when the generator returns its upper edge', () => {
    assert.deepEqual(weightedOrder([{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }], () => 0.9999999999999999).map((i) => i.id), ['b', 'a']);
  });
});
