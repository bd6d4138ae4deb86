import { InvalidArgumentError, matrixFromRows, ShapeError, type Triplets } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { evaluateTriplets } from './evaluate.js';

const tripletsOf = (rows: number[][]): Triplets => ({ count: rows.length, data: Int32Array.from(rows.flat()) });
// 0 = 1 = (1, 0), 2 = (0, 1), 3 = 4 = 5 = (0, 0), 6 = (1, 0), 7 = (0, 1), 8 = (1, 1).
const E = matrixFromRows([[1, 0], [1, 0], [0, 1], [0, 0], [0, 0], [0, 0], [1, 0], [0, 1], [1, 1]]);

describe('evaluateTriplets', () => {
  test('hand-computed: predicted pair, correctness and cross-entropy without ties', () => {
    // (0,1,2): s = (1, 0, 0) → pair (0,1), correct; (0,2,1): s = (0, 1, 0) → pair 1; (3,0,1): s = (0, 0, 1) → pair 2.
    const e = evaluateTriplets(E, tripletsOf([[0, 1, 2], [0, 2, 1], [3, 0, 1]]));
    expect(Array.from(e.predicted)).toEqual([0, 1, 2]);
    expect(Array.from(e.correct)).toEqual([1, 0, 0]);
    expectClose(e.accuracy, 1 / 3, { abs: 1e-15 });
    // CE: −log(e/(e+2)) once and −log(1/(e+2)) twice.
    const L = Math.log(Math.E + 2);
    expectClose(e.crossEntropy, (L - 1 + 2 * L) / 3, { abs: 1e-14 });
  });

  test('ties: one seeded draw among the tied positions (as the authors\' randi), whether or not the pair is tied', () => {
    const n = 3000;
    // Three-way tie (3,4,5): each position about n/3. Two-way tie of positions 1 and 2 (6,7,8): never correct.
    // Two-way tie of positions 0 and 1 (8,6,7): correct about half the time.
    const three = evaluateTriplets(E, tripletsOf(Array.from({ length: n }, () => [3, 4, 5])), { seed: 9 });
    const counts = [0, 0, 0];
    for (const p of three.predicted) counts[p]++;
    const sd3 = Math.sqrt(n * (1 / 3) * (2 / 3));
    expectClose(counts, [n / 3, n / 3, n / 3], { abs: 5 * sd3 });
    const off = evaluateTriplets(E, tripletsOf(Array.from({ length: n }, () => [6, 7, 8])), { seed: 9 });
    expect(off.accuracy).toBe(0);
    expect(new Set(off.predicted)).toEqual(new Set([1, 2]));
    const half = evaluateTriplets(E, tripletsOf(Array.from({ length: n }, () => [8, 6, 7])), { seed: 9 });
    expect(new Set(half.predicted)).toEqual(new Set([0, 1]));
    expectClose(half.accuracy, 0.5, { abs: 5 * Math.sqrt(0.25 / n) });
    // Same seed, same result; another seed, other draws.
    expect(evaluateTriplets(E, tripletsOf(Array.from({ length: n }, () => [8, 6, 7])), { seed: 9 })).toEqual(half);
    expect(evaluateTriplets(E, tripletsOf(Array.from({ length: n }, () => [8, 6, 7])), { seed: 10 }).correct).not.toEqual(half.correct);
  });

  test('euclidean similarity is the reference\'s −distance; euclidean-squared is −distance²', () => {
    // Objects (0,0), (3,4), (6,0): d01 = 5, d02 = 6, d12 = 5. Triplet (0,2,1): s = (−6, −5, −5) → tie of positions 1, 2.
    // Triplet (0,1,2): s = (−5, −6, −5) → tie of 0 and 2. CE (T = 1) uses −distance: −log(e^−5/(2e^−5 + e^−6)).
    const P = matrixFromRows([[0, 0], [3, 4], [6, 0]]);
    const e = evaluateTriplets(P, tripletsOf([[0, 1, 2]]), { similarity: 'euclidean-distance' });
    expectClose(e.crossEntropy, -(-5 - Math.log(2 * Math.exp(-5) + Math.exp(-6))), { abs: 1e-14 });
    const sq = evaluateTriplets(P, tripletsOf([[0, 1, 2]]), { similarity: 'euclidean-squared' });
    expectClose(sq.crossEntropy, -(-25 - Math.log(2 * Math.exp(-25) + Math.exp(-36))), { abs: 1e-14 });
  });

  test('rejects bad input', () => {
    expect(() => evaluateTriplets(E, tripletsOf([]))).toThrow(InvalidArgumentError);
    expect(() => evaluateTriplets(E, tripletsOf([[0, 1, 9]]))).toThrow(ShapeError);
    expect(() => evaluateTriplets(E, tripletsOf([[0, 1, 2]]), { temperature: 0 })).toThrow(/temperature/);
  });
});
