import { createRng, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { splitFromTest } from './cross-validation.js';
import { noiseCeilingFromNcsnr, pearsonColumns, r2Columns, voxelwiseEncoding } from './encoding.js';
import { sineProblem } from '../../test/sine-problem.js';
import { expectClose } from '../../../../test-support/expect-close.js';

// These assertions were |Δ| ≤ tol·max(1, |want|): {abs: tol} where every |want| ≤ 1, {rel: tol} where every
// |want| ≥ 1 (both exact), and {abs: tol/2, rel: tol/2} where they straddle 1 (never looser: (1 + |w|)/2 ≤ max(1, |w|)).

describe('r2Columns / pearsonColumns', () => {
  test('hand-computed: y = 1 2 3 4 against ŷ = 1 2 2 5', () => {
    const y = { rows: 4, cols: 1, data: Float64Array.from([1, 2, 3, 4]) };
    const p = { rows: 4, cols: 1, data: Float64Array.from([1, 2, 2, 5]) };
    // SSE = 2, SST = 5 → R² = 0.6; deviations dy = −1.5 −0.5 0.5 1.5, dp = −1.5 −0.5 −0.5 2.5:
    // r = Σ dy·dp / √(Σdy² Σdp²) = 6 / √(5 · 9).
    expectClose(r2Columns(y, p)[0], 0.6, { abs: 1e-15 });
    expectClose(pearsonColumns(y, p)[0], 6 / Math.sqrt(45), { abs: 1e-15 });
    const flat = { rows: 4, cols: 1, data: new Float64Array(4).fill(2) };
    expect(Number.isNaN(r2Columns(flat, p)[0])).toBe(true);
    expect(Number.isNaN(pearsonColumns(y, flat)[0])).toBe(true);
    expect(() => r2Columns(y, { rows: 3, cols: 1, data: new Float64Array(3) })).toThrow(ShapeError);
  });
});

describe('noiseCeilingFromNcsnr', () => {
  test('NC = 100·ncsnr² / (ncsnr² + 1/n), the paper with n = 3 (numpy values)', () => {
    const nc = noiseCeilingFromNcsnr([0.2, 0.5, 1, 2, 0.1, 3]);
    expectClose(nc, [10.714285714285717, 42.85714285714286, 75.0, 92.30769230769232, 2.912621359223302, 96.42857142857142], { rel: 1e-14 });
    expectClose(noiseCeilingFromNcsnr([1], 1)[0], 50, { rel: 1e-15 });
    expect(() => noiseCeilingFromNcsnr([1], 0)).toThrow(InvalidArgumentError);
  });
});

describe('voxelwiseEncoding', () => {
  test('held-out R² and r on a given split match numpy (inner 5-fold CV on the training rows)', () => {
    const { x, y } = sineProblem(30, 4, 6);
    const ncsnr = [0.2, 0.5, 1, 2, 0.1, 3];
    const res = voxelwiseEncoding(x, y, { evaluation: splitFromTest(30, [0, 5, 10, 15, 20, 25]), ncsnr });
    // numpy reference (brute-force solve per alpha, the same split and folds):
    const r2 = [0.9912420188465506, 0.9373316765040394, 0.7487959707087048, -0.9987283009356305, -0.23761076897872346, -0.006773029057222324];
    const r = [0.9960371795359235, 0.9858159046753995, 0.8731860872767042, -0.3088323496487689, -0.6386381620332149, -0.7093872156196029];
    const idx = [0, 0, 0, 51, 74, 99];
    const alphas = Array.from({ length: 100 }, (_, q) => 10 ** (-3 + (6 * q) / 99));
    expectClose(res.r2, r2, { abs: 1e-9 });
    expectClose(res.r, r, { abs: 1e-9 });
    expectClose(res.alpha, idx.map((q) => alphas[q]), { abs: 5e-13, rel: 5e-13 }); // 0.001 … 1000
    expect(Array.from(res.testRows)).toEqual([0, 5, 10, 15, 20, 25]);
    expectClose(res.noiseCeiling![3], 92.30769230769232, { rel: 1e-14 });
    expectClose(res.r2Normalized![0], (100 * r2[0]) / 10.714285714285717, { rel: 1e-9 });
  });

  test('outer CV predicts every condition once; a planted map is recovered with high held-out r', () => {
    const rng = createRng(8);
    const n = 120, p = 5, v = 3;
    const x = Float64Array.from({ length: n * p }, () => rng.nextNormal());
    const y = new Float64Array(n * v);
    for (let i = 0; i < n; i++) for (let c = 0; c < v; c++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += x[i * p + j] * Math.cos(j + c);
      y[i * v + c] = s + (c === 2 ? 5 : 0.3) * rng.nextNormal();
    }
    const res = voxelwiseEncoding({ rows: n, cols: p, data: x }, { rows: n, cols: v, data: y }, { evaluation: 4, shuffle: true, seed: 2 });
    expect(Array.from(res.testRows).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(res.r[0]).toBeGreaterThan(0.95);
    expect(res.r2[1]).toBeGreaterThan(0.9);
    // The noisy voxel is predicted much worse.
    expect(res.r2[2]).toBeLessThan(0.5);
    // Deterministic for a seed.
    const again = voxelwiseEncoding({ rows: n, cols: p, data: x }, { rows: n, cols: v, data: y }, { evaluation: 4, shuffle: true, seed: 2 });
    expect(Array.from(again.r2)).toEqual(Array.from(res.r2));
  });

  test('bad inputs are typed errors', () => {
    const { x, y } = sineProblem(20, 3, 2);
    expect(() => voxelwiseEncoding(x, { rows: 19, cols: 2, data: new Float64Array(38) })).toThrow(ShapeError);
    expect(() => voxelwiseEncoding(x, y, { ncsnr: [1] })).toThrow(ShapeError);
    expect(() => voxelwiseEncoding(x, y, { folds: [{ train: Int32Array.of(0, 1), test: Int32Array.of(2) }] })).toThrow(InvalidArgumentError);
  });
});
