import { createRng, ShapeError, type Matrix } from '@conceptlab/core';
import { pearson } from '@conceptlab/spose-embed';
import { dimensionCorrespondence } from './correspondence.js';

const col = (m: Matrix<Float64Array>, j: number): number[] => Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]);

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

  test('a column-permuted copy recovers the permutation exactly', () => {
    const c = dimensionCorrespondence(x, permuteColumns(x, perm));
    expect(c.optimal.map((p) => p.b)).toEqual(inv);
    expect(c.optimal.every((p) => Math.abs(p.r - 1) < 1e-12)).toBe(true);
    expect(c.bestForA.map((p) => p.b)).toEqual(inv);
    expect(c.bestForB.map((p) => p.a)).toEqual(perm);
    expect(c.shared.map((p) => p.b)).toEqual(inv);
    expect(c.uniqueA).toEqual([]);
    expect(c.uniqueB).toEqual([]);
    // adapted = c − (R − I), R = corr(x, x): at the true partner j = inv[i], c = 1, so the entry is 1 − R[i][j] (+1 when i = j)
    c.adaptedMatches.forEach((m) => {
      expect(m.matches.length).toBeLessThanOrEqual(2);
      m.matches.forEach((mm) => expect(mm.value).toBeGreaterThanOrEqual(0.4));
    });
    for (let i = 0; i < 12; i++) {
      const j = inv[i];
      const rij = i === j ? 1 : pearson(col(x, i), col(x, j));
      expect(c.adapted![i][j]).toBeCloseTo(1 - rij + (i === j ? 1 : 0), 12);
    }
  });

  test('a noisy copy degrades gracefully: matching survives small noise, r falls as noise grows', () => {
    const rng = createRng(9, 0);
    const noisy = (sd: number): Matrix<Float64Array> => {
      const p = permuteColumns(x, perm);
      return { ...p, data: p.data.map((v) => Math.max(0, v + rng.nextNormal(0, sd))) };
    };
    const meanR = (sd: number): number => {
      const c = dimensionCorrespondence(x, noisy(sd));
      if (sd <= 0.3) expect(c.optimal.map((p) => p.b)).toEqual(inv);
      return c.optimal.reduce((s, p) => s + p.r, 0) / c.optimal.length;
    };
    const r = [0.05, 0.3, 1, 3].map(meanR);
    for (let k = 1; k < r.length; k++) expect(r[k]).toBeLessThan(r[k - 1]);
    expect(r[0]).toBeGreaterThan(0.98);
    expect(r[3]).toBeGreaterThan(0); // still positively related, not garbage
    // with heavy noise some dims become "unique" at the 0.2 threshold
    const heavy = dimensionCorrespondence(x, noisy(5));
    expect(heavy.uniqueA.length).toBeGreaterThan(0);
  });

  test('hand-computed 2 × 2 correlation and adapted matrix', () => {
    // a0 = 1 2 3 4, a1 = 1 3 2 4 ; b0 = a1, b1 = a0
    const a = { rows: 4, cols: 2, data: Float64Array.from([1, 1, 2, 3, 3, 2, 4, 4]) };
    const b = { rows: 4, cols: 2, data: Float64Array.from([1, 1, 3, 2, 2, 3, 4, 4]) };
    const c = dimensionCorrespondence(a, b);
    // r(a0, a1) = 0.8 (centred: −1.5 −.5 .5 1.5 vs −1.5 .5 −.5 1.5 → 4/5)
    expect(c.corr[0][0]).toBeCloseTo(0.8, 14);
    expect(c.corr[0][1]).toBeCloseTo(1, 14);
    // adapted[0][0] = 0.8 − 0 = 0.8; adapted[0][1] = 1 − 0.8 = 0.2
    expect(c.adapted![0][0]).toBeCloseTo(0.8, 14);
    expect(c.adapted![0][1]).toBeCloseTo(0.2, 14);
    expect(c.adaptedMatches[0].matches.map((m) => m.b)).toEqual([0]);
    expect(c.optimal.map((p) => p.b)).toEqual([1, 0]);
  });

  test('different object counts are a ShapeError; unequal dims give no adapted matrix', () => {
    expect(() => dimensionCorrespondence(x, randomSparse(10, 12, 1))).toThrow(ShapeError);
    const c = dimensionCorrespondence(x, randomSparse(300, 5, 1));
    expect(c.adapted).toBeNull();
    expect(c.optimal).toHaveLength(5);
  });
});
