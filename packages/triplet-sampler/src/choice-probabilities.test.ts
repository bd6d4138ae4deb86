import { createMatrix, InvalidArgumentError, matrixFromRows } from '@conceptlab/core';
import { choiceProbabilities } from './choice-probabilities.js';

// x0 = (1, 0.5), x1 = (0.8, 0.3), x2 = (−0.2, 1.1): s01 = 0.95, s02 = 0.35, s12 = 0.17.
const X = matrixFromRows([[1, 0.5], [0.8, 0.3], [-0.2, 1.1]]);

describe('choiceProbabilities', () => {
  it('matches values computed with numpy (T = 1 and T = 0.5)', () => {
    // python3: s = [0.95, 0.35, 0.17]; e = exp(s / T); e / e.sum()
    const p1 = choiceProbabilities(X, 0, 1, 2);
    expect(p1[0]).toBeCloseTo(0.4982020765389837, 12);
    expect(p1[1]).toBeCloseTo(0.273419096730801, 12);
    expect(p1[2]).toBeCloseTo(0.22837882673021517, 12);
    const p2 = choiceProbabilities(X, 0, 1, 2, 0.5);
    expect(p2[0]).toBeCloseTo(0.6616687372532807, 12);
    expect(p2[1]).toBeCloseTo(0.19929079386394377, 12);
    expect(p2[2]).toBeCloseTo(0.13904046888277546, 12);
  });

  it('follows the argument order: [p(ab), p(ac), p(bc)]', () => {
    const p = choiceProbabilities(X, 2, 0, 1); // ab = 20, ac = 21, bc = 01
    expect(p[0]).toBeCloseTo(0.273419096730801, 12);
    expect(p[1]).toBeCloseTo(0.22837882673021517, 12);
    expect(p[2]).toBeCloseTo(0.4982020765389837, 12);
  });

  it('is numerically stable for large similarities and works on Float32 data', () => {
    const big = createMatrix(3, 1, Float32Array.of(1000, 999, 1));
    const p = choiceProbabilities(big, 0, 1, 2, 1);
    expect(p.every(Number.isFinite)).toBe(true);
    expect(p[0]).toBeCloseTo(1, 12);
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 14);
  });

  it('rejects bad indices and temperatures', () => {
    expect(() => choiceProbabilities(X, 0, 1, 3)).toThrow(/c: expected an embedding row in \[0, 2\], got 3/);
    expect(() => choiceProbabilities(X, 0, 0, 1)).toThrow(InvalidArgumentError);
    expect(() => choiceProbabilities(X, 0, 1, 2, 0)).toThrow(/temperature/);
    expect(() => choiceProbabilities(X, 0, 1, 2, Number.NaN)).toThrow(/temperature/);
  });
});
