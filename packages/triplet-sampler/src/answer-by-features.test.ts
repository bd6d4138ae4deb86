import { createTriplets, InvalidArgumentError, matrixFromRows, ShapeError } from '@conceptlab/core';
import { answerByEmbedding } from './answer-by-embedding.js';
import { answerByFeatures } from './answer-by-features.js';

describe('answerByFeatures', () => {
  // x0 = (10, 0), x1 = (1, 2), x2 = (0, 1). Dots: 01 = 10, 02 = 0, 12 = 2.
  // Cosines: 01 = 1/√5 ≈ 0.447, 02 = 0, 12 = 2/√5 ≈ 0.894 — the pair 12 wins, 0 is odd.
  const F = matrixFromRows([[10, 0], [1, 2], [0, 1]]);

  it('keeps the most cosine-similar pair (not the largest dot product)', () => {
    const sets = createTriplets([[0, 1, 2], [2, 0, 1]]);
    expect(Array.from(answerByFeatures(sets, F, { seed: 1 }).data)).toEqual([1, 2, 0, 2, 1, 0]);
    expect(Array.from(answerByEmbedding(sets, F, { seed: 1, argmax: true }).data)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('breaks ties at random (scaled copies are cosine-identical)', () => {
    // Norms 5, 10, 2.5 and all cosines exactly 1 in floating point.
    const G = matrixFromRows([[3, 4], [6, 8], [1.5, 2]]);
    const sets = createTriplets(new Int32Array(3000).map((_, i) => i % 3));
    const a = answerByFeatures(sets, G, { seed: 2 });
    const odd = [0, 0, 0];
    for (let r = 0; r < 1000; r++) odd[a.data[3 * r + 2]]++;
    for (const c of odd) expect(Math.abs(c - 333)).toBeLessThan(80);
    expect(answerByFeatures(sets, G, { seed: 2 }).data).toEqual(a.data);
  });

  it('throws on zero vectors and missing rows', () => {
    const Z = matrixFromRows([[1, 0], [0, 0], [0, 1]]);
    expect(() => answerByFeatures(createTriplets([[0, 2, 1]]), Z, { seed: 1 })).toThrow(InvalidArgumentError);
    expect(() => answerByFeatures(createTriplets([[0, 2, 1]]), Z, { seed: 1 })).toThrow(/features row 1: expected a non-zero, finite vector \(object 1 is in sets row 1 \(line 1\)\)/);
    expect(() => answerByFeatures(createTriplets([[0, 2, 5]]), F, { seed: 1 })).toThrow(ShapeError);
  });
});
