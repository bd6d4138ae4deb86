import { InvalidArgumentError, matrixFromRows, ShapeError } from '@conceptlab/core';
import { mergeRuns } from './merge.js';
import { pearson } from './pearson.js';

// 10 objects, 3 runs. Concepts: A (objects 0–2), B (3–4), C (5–6), N (a pattern over 7–9, run 0 only).
const run0 = matrixFromRows([ // A, B, N
  [1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.8, 0.0, 0.1], [0.0, 0.7, 0.0], [0.1, 0.9, 0.0],
  [0.0, 0.0, 0.2], [0.1, 0.0, 0.0], [0.0, 0.15, 0.6], [0.0, 0.0, 0.0], [0.1, 0.0, 0.9],
]);
const run1 = matrixFromRows([ // A′, B′, C
  [0.9, 0.0, 0.0], [1.0, 0.0, 0.1], [0.7, 0.1, 0.0], [0.0, 0.8, 0.0], [0.0, 1.0, 0.1],
  [0.1, 0.0, 0.9], [0.0, 0.1, 0.8], [0.0, 0.0, 0.0], [0.1, 0.0, 0.0], [0.0, 0.2, 0.1],
]);
const run2 = matrixFromRows([ // A″, C′, tiny (max 0.09 ≤ minWeight: pooled, but not a reference dim of run 2)
  [0.8, 0.0, 0.05], [0.9, 0.1, 0.0], [1.0, 0.0, 0.09], [0.1, 0.0, 0.0], [0.0, 0.1, 0.02],
  [0.0, 1.0, 0.0], [0.1, 0.7, 0.03], [0.0, 0.0, 0.0], [0.0, 0.1, 0.08], [0.0, 0.0, 0.01],
]);
const runs = [run0, run1, run2];

// Reference: a numpy transcription of the authors' scripts (remove_highly_correlated_features with
// np.corrcoef, sort_dim, then corr/max/atanh/mean/std(ddof=1)/tanh of the step-2 MATLAB script) with the
// ±(1 − 1e−7) clamp before atanh. Pooled indices → [run, column]: 0→[0,0] 1→[0,1] 2→[0,2] 5→[1,2] 8→[2,2].
// Tolerance 1e-12.
const REF = [
  { run: 0, column: 0, sum: 3.0, rep: 0.999560953874657, lo: 0.10064066365592582, hi: 0.9999998819969373 }, // A
  { run: 1, column: 2, sum: 2.0, rep: 0.9983665352696461, lo: -0.8844690803922425, hi: 0.999999918076515 }, // C
  { run: 0, column: 1, sum: 1.85, rep: 0.9975965551838543, lo: -0.9398393631993582, hi: 0.9999999102097084 }, // B
  { run: 0, column: 2, sum: 1.8, rep: 0.9913169947968595, lo: -0.9934203796985278, hi: 0.9999998744862721 }, // N
  { run: 2, column: 2, sum: 0.28, rep: 0.3442580655493211, lo: 0.2864087112031622, hi: 0.3996064857456571 }, // tiny
];

describe('mergeRuns', () => {
  it('prunes duplicates across runs, sorts by column sum and matches the numpy reference', () => {
    const res = mergeRuns(runs);
    expect(res.pooled).toBe(9);
    // A′, A″ (r ≈ 0.98 with A), B′ (with B) and C′ (with C) are dropped.
    expect(res.afterPruning).toBe(5);
    expect(res.candidates.map((d) => [d.run, d.column])).toEqual(REF.map((d) => [d.run, d.column]));
    res.candidates.forEach((d, i) => {
      expect(d.sum).toBeCloseTo(REF[i].sum, 12);
      expect(Math.abs(d.reproducibility - REF[i].rep)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(d.ciLow - REF[i].lo)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(d.ciHigh - REF[i].hi)).toBeLessThanOrEqual(1e-12);
    });
    // Fewer candidates than `top`: all kept, in column-sum order, with the original weights.
    expect(res.dims).toEqual(res.candidates);
    expect([res.embedding.rows, res.embedding.cols]).toEqual([10, 5]);
    for (let i = 0; i < 10; i++) {
      expect(res.embedding.data[i * 5 + 0]).toBe(run0.data[i * 3 + 0]);
      expect(res.embedding.data[i * 5 + 1]).toBe(run1.data[i * 3 + 2]);
      expect(res.embedding.data[i * 5 + 4]).toBe(run2.data[i * 3 + 2]);
    }
  });

  it('ranks the planted dim (in every run) above the single-run noise dim', () => {
    const { candidates } = mergeRuns(runs);
    const A = candidates.find((d) => d.run === 0 && d.column === 0)!;
    const N = candidates.find((d) => d.run === 0 && d.column === 2)!;
    expect(A.reproducibility).toBeGreaterThan(N.reproducibility);
    expect(A.ciLow).toBeGreaterThan(N.ciLow);
    // By hand for A: best r per run = 1 (own run, clamped), r(A, A′), r(A, A″).
    const col = (m: typeof run0, c: number) => Array.from({ length: 10 }, (_, i) => m.data[i * m.cols + c]);
    const z = [Math.atanh(1 - 1e-7), Math.atanh(pearson(col(run0, 0), col(run1, 0))), Math.atanh(pearson(col(run0, 0), col(run2, 0)))];
    expect(A.reproducibility).toBeCloseTo(Math.tanh((z[0] + z[1] + z[2]) / 3), 14);
  });

  it('keeps the top k by reproducibility, then re-sorts them by column sum', () => {
    // Reproducibility order: A (0.99956) > C (0.99837) > B (0.99760) > N > tiny.
    const res = mergeRuns(runs, { top: 3 });
    expect(res.dims.map((d) => [d.run, d.column])).toEqual([[0, 0], [1, 2], [0, 1]]);
    expect(res.embedding.cols).toBe(3);
    const res2 = mergeRuns(runs, { top: 2 });
    expect(res2.dims.map((d) => [d.run, d.column])).toEqual([[0, 0], [1, 2]]);
    expect(res2.candidates).toHaveLength(5);
  });

  it('prunes greedily: a dropped column drops nothing', () => {
    // r(a, b) = 0.5, r(b, c) = 0.5, r(a, c) = −0.5 (numpy): a drops b; c survives.
    const chain = matrixFromRows([[1, 1, 0], [1, 1, 0], [0, 1, 1], [0, 1, 1], [0, 0, 0], [0, 0, 0]]);
    const res = mergeRuns([chain]);
    expect(res.pooled).toBe(3);
    expect(res.afterPruning).toBe(2);
    expect(res.candidates.map((d) => d.column).sort()).toEqual([0, 2]);
    // One run: every dim's best r is its own (clamped) → 1 − 1e−7; no spread → CI NaN.
    expect(res.candidates[0].reproducibility).toBeCloseTo(1 - 1e-7, 12);
    expect(res.candidates[0].ciLow).toBeNaN();
    // A higher threshold keeps b.
    expect(mergeRuns([chain], { threshold: 0.6 }).afterPruning).toBe(3);
  });

  it('rejects bad input', () => {
    expect(() => mergeRuns([])).toThrow(InvalidArgumentError);
    expect(() => mergeRuns([run0, matrixFromRows([[1], [2]])])).toThrow(ShapeError);
    expect(() => mergeRuns(runs, { threshold: 1 })).toThrow(/threshold/);
    expect(() => mergeRuns(runs, { threshold: -1 })).toThrow(/threshold/);
    expect(() => mergeRuns(runs, { top: 0 })).toThrow(/top/);
    expect(() => mergeRuns([run0, matrixFromRows(Array.from({ length: 10 }, () => [0.05]))])).toThrow(/runs\[1\]/);
    expect(() => mergeRuns([matrixFromRows([[1, 2]])])).toThrow(InvalidArgumentError);
    const bad = matrixFromRows([[1], [NaN]]);
    expect(() => mergeRuns([bad])).toThrow(/finite/);
  });
});
