import { createRng, createTriplets, InvalidArgumentError, matrixFromRows, ShapeError } from '@conceptlab/core';
import { answerByEmbedding } from './answer-by-embedding.js';
import { noiseCeiling } from './noise-ceiling.js';
import { repeatedSets } from './repeated-sets.js';

// Set {0,1,2}: odd 0, 0, 1 → modal share 2/3. Set {3,4,5}: odd 5 four times → 1.
// Set {6,7,8}: odd 6, 7 → 1/2. Set {0,1,3}: one answer → excluded.
const rows: [number, number, number][] = [
  [1, 2, 0], [3, 4, 5], [2, 1, 0], [6, 8, 7], [0, 2, 1], [4, 3, 5], [0, 1, 3], [3, 4, 5], [8, 7, 6], [4, 3, 5],
];

describe('noiseCeiling', () => {
  it('matches the hand computation: shares 2/3, 1, 1/2', () => {
    const nc = noiseCeiling(createTriplets(rows));
    expect(Array.from(nc.perSet)).toEqual([2 / 3, 1, 1 / 2]);
    // mean = (2/3 + 1 + 1/2) / 3 = 13/18; deviations −1/18, 5/18, −4/18;
    // sample variance = (1 + 25 + 16) / 324 / 2 = 7/108; SD = 0.2545875...
    expect(nc.percent).toBeCloseTo((100 * 13) / 18, 12); // 72.2222...
    expect(nc.ci95).toBeCloseTo((1.96 * Math.sqrt(7 / 108) * 100) / Math.sqrt(3), 12); // 28.8094...
    expect(nc.ci95).toBeCloseTo(28.8094, 3);
    expect(nc).toMatchObject({ sets: 3, answers: 9, excluded: 1 });
  });

  it('groups by setIndex when given, and checks that each group holds one set', () => {
    const t = createTriplets([[0, 1, 2], [1, 0, 2], [2, 1, 0], [2, 1, 0]]);
    // Two presentations of the same set counted separately: {2, 2} → 1 and {0, 0} → 1.
    const nc = noiseCeiling(t, { setIndex: Int32Array.of(7, 7, 3, 3) });
    expect(Array.from(nc.perSet)).toEqual([1, 1]);
    expect(nc.ci95).toBe(0);
    expect(noiseCeiling(t).perSet[0]).toBe(0.5);
    const u = createTriplets([[0, 1, 2], [0, 1, 3]]);
    expect(() => noiseCeiling(u, { setIndex: Int32Array.of(0, 0) })).toThrow(InvalidArgumentError);
    expect(() => noiseCeiling(u, { setIndex: Int32Array.of(0, 0) })).toThrow(/answered row 2 \(line 2\)/);
    expect(() => noiseCeiling(u, { setIndex: Int32Array.of(0) })).toThrow(ShapeError);
  });

  it('reports NaN with no repeated set', () => {
    const nc = noiseCeiling(createTriplets([[0, 1, 2], [3, 4, 5]]));
    expect(nc).toMatchObject({ sets: 0, answers: 0, excluded: 2 });
    expect(nc.percent).toBeNaN();
    expect(nc.ci95).toBeNaN();
  });

  it('is 100% for a deterministic observer and lower for a noisy one', () => {
    const { triplets, setIndex } = repeatedSets({ nObjects: 30, sets: 200, repeats: 5, seed: 1 });
    // Random coordinates, so no set has tied similarities (ties would be broken at random).
    const rng = createRng(5);
    const E = matrixFromRows(Array.from({ length: 30 }, () => [rng.nextNormal(), rng.nextNormal()]));
    expect(noiseCeiling(answerByEmbedding(triplets, E, { seed: 2, argmax: true }), { setIndex }).percent).toBe(100);
    const noisy = noiseCeiling(answerByEmbedding(triplets, E, { seed: 2, temperature: 1 }), { setIndex });
    expect(noisy.percent).toBeGreaterThan(100 / 3);
    expect(noisy.percent).toBeLessThan(100);
    expect(noisy.sets).toBe(200);
    expect(noisy.answers).toBe(1000);
  });
});
