import { createRng, InvalidArgumentError, ShapeError, type Matrix } from '@conceptlab/core';
import { dimensionCorrespondence } from './correspondence.js';

function randomSparse(n: number, D: number, seed: number): Matrix<Float64Array> {
  const rng = createRng(seed, 0);
  const data = new Float64Array(n * D);
  for (let t = 0; t < data.length; t++) data[t] = rng.nextFloat() < 0.3 ? rng.nextFloat() * 2 : 0;
  return { rows: n, cols: D, data };
}

function permuteColumns(x: Matrix<Float64Array>, perm: number[]): Matrix<Float64Array> {
  // column j of the copy is column perm[j] of x
  const D = x.cols, data = new Float64Array(x.data.length);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < D; j++) data[i * D + j] = x.data[i * D + perm[j]];
  return { rows: x.rows, cols: D, data };
}

describe('dimensionCorrespondence', () => {
  const x = randomSparse(300, 12, 5);
  const perm = [3, 7, 0, 11, 5, 1, 9, 2, 10, 4, 8, 6];
  const inv = new Array<number>(12);
  perm.forEach((p, j) => { inv[p] = j; });

  test('a column-permuted copy: paper → Cadapt = I exactly off the diagonal, matches = the permutation; hungarian → the same', () => {
    const c = dimensionCorrespondence(x, permuteColumns(x, perm));
    expect(c.method).toBe('paper');
    expect(c.description).toMatch(/^paper:/);
    expect(c.optimal).toBeNull();
    // ii(j) = perm[j] (no duplicates) → si sorts model dims by their reference dim = the inverse permutation
    expect(c.paper!.firstMatch).toEqual(perm);
    expect(c.paper!.si).toEqual(inv);
    // C(:, si) = corr(x) → Cadapt = corr(x) − (corr(x) − I) = I
    c.paper!.adaptedRaw.forEach((row, i) => row.forEach((v, k) => expect(Math.abs(v - (i === k ? 1 : 0))).toBeLessThan(1e-12)));
    expect(c.paper!.matches.map((m) => [m.a, m.position, m.b])).toEqual(inv.map((b, i) => [i, i, b]));
    expect(c.shared.method).toBe('paper');
    expect(c.shared.counts).toEqual({ shared: 12, uniqueA: 0, uniqueB: 0 });
    const h = dimensionCorrespondence(x, permuteColumns(x, perm), { method: 'hungarian', sharedMethod: 'best-free' });
    expect(h.method).toBe('hungarian');
    expect(h.paper).toBeNull();
    expect(h.optimal!.map((p) => p.b)).toEqual(inv);
    expect(h.optimal!.every((p) => Math.abs(p.r - 1) < 1e-12)).toBe(true);
    expect(h.bestForA.map((p) => p.b)).toEqual(inv);
    expect(h.bestForB.map((p) => p.a)).toEqual(perm);
    expect(h.shared.method).toBe('best-free');
    expect(h.shared.pairs.map((p) => p.b)).toEqual(inv);
  });

  test('a noisy copy degrades gracefully: matching survives small noise, r falls as noise grows', () => {
    const rng = createRng(9, 0);
    const noisy = (sd: number): Matrix<Float64Array> => {
      const p = permuteColumns(x, perm);
      return { ...p, data: p.data.map((v) => Math.max(0, v + rng.nextNormal(0, sd))) };
    };
    const meanR = (sd: number): number => {
      const c = dimensionCorrespondence(x, noisy(sd), { method: 'hungarian' });
      if (sd <= 0.3) expect(c.optimal!.map((p) => p.b)).toEqual(inv);
      return c.optimal!.reduce((s, p) => s + p.r, 0) / c.optimal!.length;
    };
    const r = [0.05, 0.3, 1, 3].map(meanR);
    for (let k = 1; k < r.length; k++) expect(r[k]).toBeLessThan(r[k - 1]);
    expect(r[0]).toBeGreaterThan(0.98);
    expect(r[3]).toBeGreaterThan(0); // still positively related, not garbage
    // with heavy noise some dims become "unique" at the 0.2 threshold, by either shared-dims rule
    const heavy = noisy(5);
    expect(dimensionCorrespondence(x, heavy).shared.uniqueA.length).toBeGreaterThan(0);
    expect(dimensionCorrespondence(x, heavy, { sharedMethod: 'best-free' }).shared.uniqueA.length).toBeGreaterThan(0);
  });

  test('hand-computed 2 × 2: correlations, adapted matrix, hungarian', () => {
    // a0 = 1 2 3 4, a1 = 1 3 2 4 ; b0 = a1, b1 = a0
    const a = { rows: 4, cols: 2, data: Float64Array.from([1, 1, 2, 3, 3, 2, 4, 4]) };
    const b = { rows: 4, cols: 2, data: Float64Array.from([1, 1, 3, 2, 2, 3, 4, 4]) };
    const c = dimensionCorrespondence(a, b);
    // r(a0, a1) = 0.8 (centred: −1.5 −.5 .5 1.5 vs −1.5 .5 −.5 1.5 → 4/5)
    expect(c.corr[0][0]).toBeCloseTo(0.8, 14);
    expect(c.corr[0][1]).toBeCloseTo(1, 14);
    // ii = [1, 0] → si = [1, 0]; C(:, si) = [[1, 0.8], [0.8, 1]] − [[0, 0.8], [0.8, 0]] = I
    expect(c.paper!.si).toEqual([1, 0]);
    expect(c.paper!.matches.map((m) => [m.a, m.b])).toEqual([[0, 1], [1, 0]]);
    expect(c.paper!.diagonalSortedDescending[0]).toBeCloseTo(1, 14);
    expect(dimensionCorrespondence(a, b, { method: 'hungarian' }).optimal!.map((p) => p.b)).toEqual([1, 0]);
  });

  test('different object counts are a ShapeError; unequal dims follow the stated rule; bad options are errors', () => {
    expect(() => dimensionCorrespondence(x, randomSparse(10, 12, 1))).toThrow(ShapeError);
    const c = dimensionCorrespondence(x, randomSparse(300, 5, 1));
    expect(c.paper!.positions).toBe(5);
    expect(c.paper!.adaptedRaw).toHaveLength(12);
    expect(c.paper!.unequalDimsRule).toMatch(/first min/);
    expect(dimensionCorrespondence(x, randomSparse(300, 5, 1), { method: 'hungarian' }).optimal).toHaveLength(5);
    expect(() => dimensionCorrespondence(x, x, { method: 'nope' as 'paper' })).toThrow(InvalidArgumentError);
  });
});
