import { createRng, InvalidArgumentError, matrixFromRows, ShapeError, type Matrix } from '@conceptlab/core';
import { pearson, percentileSorted as percentile } from '@conceptlab/core/stats';
import { compareSimilarity } from './similarity-fit.js';

const P = matrixFromRows([
  [1, 0.8, 0.3, 0.1],
  [0.8, 1, 0.4, 0.2],
  [0.3, 0.4, 1, 0.6],
  [0.1, 0.2, 0.6, 1],
]);
// Only the lower triangle is read; (3, 0) was never measured.
const M = matrixFromRows([
  [1, NaN, NaN, NaN],
  [0.7, 1, NaN, NaN],
  [0.35, 0.5, 1, NaN],
  [NaN, 0.1, 0.55, 1],
]);

/** A random symmetric pair of matrices whose lower triangles correlate at about `rho`. */
function correlatedPair(n: number, rho: number, seed: number): [Matrix<Float64Array>, Matrix<Float64Array>] {
  const rng = createRng(seed);
  const a = new Float64Array(n * n), b = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = b[i * n + i] = 1;
    for (let j = 0; j < i; j++) {
      const u = rng.nextNormal(), v = rho * u + Math.sqrt(1 - rho * rho) * rng.nextNormal();
      a[i * n + j] = a[j * n + i] = u;
      b[i * n + j] = b[j * n + i] = v;
    }
  }
  return [{ rows: n, cols: n, data: a }, { rows: n, cols: n, data: b }];
}

describe('compareSimilarity', () => {
  it('correlates the lower triangles, skipping unmeasured (NaN) pairs — numpy reference', () => {
    // numpy: i, j = np.tril_indices(4, -1); finite pairs → np.corrcoef = 0.9263324389438241 over 5 pairs.
    const fit = compareSimilarity(P, M, { bootstrap: 0 });
    expect(fit.pairs).toBe(5);
    expect(fit.skipped).toBe(1);
    expect(Math.abs(fit.r - 0.9263324389438241)).toBeLessThanOrEqual(1e-14);
    expect(fit.ciLow).toBeNaN();
    expect(fit.bootstrapUsed).toBe(0);
  });

  it('bootstraps object pairs in Fisher z, reproducibly (matches an independent re-implementation)', () => {
    const [A, B] = correlatedPair(48, 0.7, 1);
    const fit = compareSimilarity(A, B, { seed: 42, ci: 'percentile' });
    expect(fit.ciMethod).toBe('percentile');
    expect(fit.pairs).toBe(1128);
    expect(fit.bootstrapUsed).toBe(1000);
    expect(fit.ciLow).toBeLessThan(fit.r);
    expect(fit.ciHigh).toBeGreaterThan(fit.r);
    expect(compareSimilarity(A, B, { seed: 42, ci: 'percentile' })).toEqual(fit);
    expect(compareSimilarity(A, B, { seed: 43, ci: 'percentile' }).ciLow).not.toBe(fit.ciLow);
    expect(compareSimilarity(A, B, { seed: 42 }).ciMethod).toBe('paper');

    // Re-implementation: the same draws (createRng(42).nextInt over the pairs in the authors' column-major lower-triangle order),
    // r by the two-pass pearson, z = atanh, numpy-style percentiles.
    const xs: number[] = [], ys: number[] = [];
    for (let j = 0; j < 48; j++) for (let i = j + 1; i < 48; i++) { xs.push(A.data[i * 48 + j]); ys.push(B.data[i * 48 + j]); }
    expect(fit.r).toBeCloseTo(pearson(xs, ys), 14);
    const rng = createRng(42);
    const zs: number[] = [];
    for (let b = 0; b < 1000; b++) {
      const u: number[] = [], v: number[] = [];
      for (let t = 0; t < xs.length; t++) { const k = rng.nextInt(xs.length); u.push(xs[k]); v.push(ys[k]); }
      zs.push(Math.atanh(pearson(u, v)));
    }
    zs.sort((a, b) => a - b);
    expect(fit.ciLow).toBeCloseTo(Math.tanh(percentile(zs, 2.5)), 12);
    expect(fit.ciHigh).toBeCloseTo(Math.tanh(percentile(zs, 97.5)), 12);

    // Width close to the normal theory of Fisher z: ±1.96/√(pairs − 3).
    const se = 1 / Math.sqrt(1128 - 3);
    const width = Math.atanh(fit.ciHigh) - Math.atanh(fit.ciLow);
    expect(width / (2 * 1.96 * se)).toBeGreaterThan(0.8);
    expect(width / (2 * 1.96 * se)).toBeLessThan(1.25);
  });

  it('leaves degenerate resamples out and handles too few pairs', () => {
    // Two pairs only: many resamples repeat one pair (no variance) and are left out.
    const a = matrixFromRows([[1, 0.2, 0.5], [0.2, 1, NaN], [0.5, NaN, 1]]);
    const b = matrixFromRows([[1, 0.1, 0.9], [0.1, 1, NaN], [0.9, NaN, 1]]);
    const fit = compareSimilarity(a, b, { bootstrap: 200, seed: 1 });
    expect(fit.pairs).toBe(2);
    expect(fit.r).toBeCloseTo(1, 14);
    expect(fit.bootstrapUsed).toBeLessThan(200);
    expect(fit.bootstrapUsed).toBeGreaterThan(0);
    const one = compareSimilarity(matrixFromRows([[1, 0.5], [0.5, 1]]), matrixFromRows([[1, 0.2], [0.2, 1]]));
    expect(one.pairs).toBe(1);
    expect(one.r).toBeNaN();
    expect(one.ciLow).toBeNaN();
  });

  it('rejects mismatched shapes and bad options', () => {
    expect(() => compareSimilarity(P, matrixFromRows([[1, 0], [0, 1]]))).toThrow(ShapeError);
    expect(() => compareSimilarity(matrixFromRows([[1, 2, 3]]), P)).toThrow(ShapeError);
    expect(() => compareSimilarity(P, M, { bootstrap: -1 })).toThrow(InvalidArgumentError);
    // Beyond one typed array: the typed error before any allocation, not a RangeError.
    expect(() => compareSimilarity(P, M, { bootstrap: 1e12 })).toThrow('bootstrap: expected an integer in [0, 2^31 − 1] (the resamples one typed array holds), got 1000000000000');
    expect(() => compareSimilarity(P, M, { seed: -1 })).toThrow(InvalidArgumentError);
    expect(() => compareSimilarity(P, M, { ci: 'x' as never })).toThrow(/ci/);
  });
});
