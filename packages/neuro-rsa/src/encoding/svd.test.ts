import { createRng, ShapeError, type Matrix } from '@conceptlab/core';
import { svd, type Svd } from './svd.js';

const A = { rows: 5, cols: 3, data: Float64Array.from([2, -1, 0.5, 1, 3, -2, 0, 1, 4, -1.5, 2, 1, 3, 0, -1]) };

function transpose(m: Matrix): Matrix {
  const t = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) t[j * m.rows + i] = m.data[i * m.cols + j];
  return { rows: m.cols, cols: m.rows, data: t };
}

/** max |U diag(s) Vᵀ − A|. */
function reconstructionError(a: Matrix, r: Svd): number {
  let worst = 0;
  const k = r.s.length;
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) {
    let x = 0;
    for (let q = 0; q < k; q++) x += r.u.data[i * k + q] * r.s[q] * r.v.data[j * k + q];
    worst = Math.max(worst, Math.abs(x - a.data[i * a.cols + j]));
  }
  return worst;
}

/** max |MᵀM − I| over the first `cols` columns. */
function orthogonalityError(m: Matrix, cols = m.cols): number {
  let worst = 0;
  for (let a = 0; a < cols; a++) for (let b = 0; b < cols; b++) {
    let x = 0;
    for (let i = 0; i < m.rows; i++) x += m.data[i * m.cols + a] * m.data[i * m.cols + b];
    worst = Math.max(worst, Math.abs(x - (a === b ? 1 : 0)));
  }
  return worst;
}

describe('svd (one-sided Jacobi)', () => {
  test('singular values and vectors of a 5×3 matrix match numpy.linalg.svd', () => {
    const r = svd(A);
    // numpy.linalg.svd(A, compute_uv=False)
    const ref = [5.054611134292853, 4.02274947132854, 3.4305091418051465];
    ref.forEach((s, q) => expect(Math.abs(r.s[q] - s)).toBeLessThan(1e-13));
    expect(reconstructionError(A, r)).toBeLessThan(1e-13);
    expect(orthogonalityError(r.u)).toBeLessThan(1e-14);
    expect(orthogonalityError(r.v)).toBeLessThan(1e-14);
    // First singular pair (numpy's U[:, 0], Vt[0]), up to a common sign.
    const u0 = [-0.13165906705410346, -0.40599350941439966, 0.6870689144176402, 0.3452554424347541, -0.47599385152118334];
    const v0 = [-0.5173842838266439, 0.05762230374598343, 0.8538109702739807];
    const sign = Math.sign(r.v.data[0] * v0[0]);
    u0.forEach((x, i) => expect(Math.abs(sign * r.u.data[i * 3] - x)).toBeLessThan(1e-13));
    v0.forEach((x, i) => expect(Math.abs(sign * r.v.data[i * 3] - x)).toBeLessThan(1e-13));
  });

  test('a wide matrix goes through its transpose: same singular values, U and V swapped in shape', () => {
    const t = transpose(A);
    const r = svd(t);
    expect(r.u.rows).toBe(3);
    expect(r.v.rows).toBe(5);
    expect(Math.abs(r.s[0] - 5.054611134292853)).toBeLessThan(1e-13);
    expect(reconstructionError(t, r)).toBeLessThan(1e-13);
    expect(orthogonalityError(r.v)).toBeLessThan(1e-14);
  });

  test('a rank-3 5×4 matrix: numpy singular values, a zero last one, exact reconstruction', () => {
    const R = { rows: 5, cols: 4, data: Float64Array.from([1, 2, 3, 4, 2, 4, 6, 8, 1, 0, 1, 0, 3, 4, 7, 8, 0, 1, 0, 1]) };
    const r = svd(R);
    // numpy: [16.9995654929956, 1.652556202464324, 0.5327579629156, 7.6e-16]
    [16.9995654929956, 1.652556202464324, 0.5327579629156].forEach((s, q) => expect(Math.abs(r.s[q] - s)).toBeLessThan(1e-12));
    expect(r.s[3]).toBeLessThan(1e-13);
    expect(reconstructionError(R, r)).toBeLessThan(1e-12);
    expect(orthogonalityError(r.u, 3)).toBeLessThan(1e-13);
    expect(orthogonalityError(r.v)).toBeLessThan(1e-14);
  });

  test('a random 200×40 matrix: descending values, reconstruction and orthogonality to 1e-12', () => {
    const rng = createRng(5);
    const m = { rows: 200, cols: 40, data: Float64Array.from({ length: 8000 }, () => rng.nextNormal()) };
    const r = svd(m);
    for (let q = 1; q < 40; q++) expect(r.s[q]).toBeLessThanOrEqual(r.s[q - 1]);
    expect(reconstructionError(m, r)).toBeLessThan(1e-12);
    expect(orthogonalityError(r.u)).toBeLessThan(1e-12);
    expect(orthogonalityError(r.v)).toBeLessThan(1e-12);
    // Σ s² = ‖A‖_F².
    const fro = m.data.reduce((s, x) => s + x * x, 0);
    expect(r.s.reduce((s, x) => s + x * x, 0)).toBeCloseTo(fro, 8);
  });

  test('bad shapes are typed errors', () => {
    expect(() => svd({ rows: 2, cols: 2, data: new Float64Array(3) })).toThrow(ShapeError);
    expect(() => svd({ rows: 0, cols: 2, data: new Float64Array(0) })).toThrow(ShapeError);
  });
});
