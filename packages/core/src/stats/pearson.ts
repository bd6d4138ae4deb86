import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { Matrix, NumericArray } from '../matrix.js';

/**
 * Pearson correlation, the one implementation for every package: r of two vectors, the matrix of r between
 * two matrices' columns, r of matched column pairs, and the Fisher z transform with its inverse.
 *
 * Conventions (as numpy's `corrcoef`): two-pass (centred) sums, the result clipped to [−1, 1];
 * a vector with zero variance gives NaN (numpy also gives nan, with a warning).
 */

/**
 * Pearson correlation of `x` and `y` (same length ≥ 2): Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²), clipped to [−1, 1].
 * NaN when either vector is constant or holds a NaN.
 *
 * @throws ShapeError when the lengths differ; InvalidArgumentError for fewer than 2 values.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new ShapeError(`pearson: vectors of lengths ${n} and ${y.length}`);
  if (n < 2) throw new InvalidArgumentError('x', 'at least 2 values', n);
  let mx = 0, my = 0;
  let xConst = true, yConst = true;
  const x0 = x[0], y0 = y[0];
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
    if (x[i] !== x0) xConst = false;
    if (y[i] !== y0) yConst = false;
  }
  // A constant vector has no correlation, even where its rounded mean differs from its value by an ulp
  // (centring would then leave a tiny constant and give a spurious r).
  if (xConst || yConst) return NaN;
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] - mx, b = y[i] - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return clipR(sxy / Math.sqrt(sxx * syy));
}

/** r clipped to [−1, 1] (rounding can step just outside); NaN stays NaN. */
function clipR(r: number): number {
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/**
 * Each column of `m` centred and scaled to unit length, stored column-major (column c is
 * `out[c*rows .. (c+1)*rows)`), so that the Pearson r of two columns is the dot product of two
 * contiguous slices. A constant column becomes all NaN (its r with anything is NaN).
 */
export function standardizeColumns(m: Matrix<NumericArray>): Float64Array {
  const { rows, cols, data } = m;
  const out = new Float64Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += data[r * cols + c];
    mean /= rows;
    let ss = 0;
    const o = c * rows;
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + c] - mean;
      out[o + r] = v;
      ss += v * v;
    }
    const scale = 1 / Math.sqrt(ss); // Infinity for a constant column: 0·∞ = NaN below, as intended
    for (let r = 0; r < rows; r++) out[o + r] = ss > 0 ? out[o + r] * scale : NaN;
  }
  return out;
}

/** Dot product of two slices of length `len` (offsets `a`, `b`) — the r of two standardized columns. */
export function standardizedDot(z: Float64Array, a: number, w: Float64Array, b: number, len: number): number {
  let s = 0;
  for (let r = 0; r < len; r++) s += z[a + r] * w[b + r];
  return clipR(s);
}

/**
 * The a.cols × b.cols matrix of Pearson r between column p of `a` and column q of `b` (element (p, q));
 * `b` defaults to `a` (then the result is symmetric with a unit diagonal, except NaN rows/columns for
 * constant columns). Both matrices need the same rows (≥ 2): the observations.
 *
 * @throws ShapeError when the row counts differ; InvalidArgumentError for fewer than 2 rows.
 */
export function columnCorrelations(a: Matrix<NumericArray>, b?: Matrix<NumericArray>): Matrix<Float64Array> {
  const other = b ?? a;
  if (other.rows !== a.rows) throw new ShapeError(`columnCorrelations: ${a.rows} rows against ${other.rows}`);
  if (a.rows < 2) throw new InvalidArgumentError('rows', 'at least 2 observations', a.rows);
  const n = a.rows;
  const za = standardizeColumns(a);
  const zb = b === undefined ? za : standardizeColumns(b);
  const p = a.cols, q = other.cols;
  const out = new Float64Array(p * q);
  for (let i = 0; i < p; i++) {
    for (let j = b === undefined ? i : 0; j < q; j++) {
      const r = standardizedDot(za, i * n, zb, j * n, n);
      out[i * q + j] = r;
      if (b === undefined) out[j * q + i] = r;
    }
  }
  if (b === undefined) for (let i = 0; i < p; i++) if (!Number.isNaN(out[i * q + i])) out[i * q + i] = 1;
  return { rows: p, cols: q, data: out };
}

/**
 * The Pearson r of each column of `a` with the same column of `b` (both rows × cols, rows = observations):
 * element c of the result is `pearson(column c of a, column c of b)` — the diagonal of
 * `columnCorrelations(a, b)` without the off-diagonal work (e.g. held-out r per voxel, as `scipy.stats.pearsonr`
 * per column). Same conventions as {@link pearson}: two-pass sums, clipped to [−1, 1], NaN for a constant column.
 *
 * @throws ShapeError when the shapes differ; InvalidArgumentError for fewer than 2 rows.
 */
export function columnPairCorrelations(a: Matrix<NumericArray>, b: Matrix<NumericArray>): Float64Array {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new ShapeError(`columnPairCorrelations: ${a.rows}×${a.cols} against ${b.rows}×${b.cols}`);
  const { rows: n, cols: v } = a;
  if (n < 2) throw new InvalidArgumentError('rows', 'at least 2 observations', n);
  const x = a.data, y = b.data;
  const out = new Float64Array(v);
  for (let c = 0; c < v; c++) {
    let mx = 0, my = 0;
    let xConst = true, yConst = true;
    const x0 = x[c], y0 = y[c];
    for (let i = 0; i < n; i++) {
      const xi = x[i * v + c], yi = y[i * v + c];
      mx += xi;
      my += yi;
      if (xi !== x0) xConst = false;
      if (yi !== y0) yConst = false;
    }
    if (xConst || yConst) {
      out[c] = NaN;
      continue;
    }
    mx /= n;
    my /= n;
    let sxy = 0, sxx = 0, syy = 0;
    for (let i = 0; i < n; i++) {
      const p = x[i * v + c] - mx, q = y[i * v + c] - my;
      sxy += p * q;
      sxx += p * p;
      syy += q * q;
    }
    out[c] = clipR(sxy / Math.sqrt(sxx * syy));
  }
  return out;
}

/** Fisher's z transform, atanh(r); ±Infinity at r = ±1 (clamp first where that matters). */
export function fisherZ(r: number): number {
  return Math.atanh(r);
}

/** The inverse Fisher transform, tanh(z): back from z space to a correlation. */
export function inverseFisherZ(z: number): number {
  return Math.tanh(z);
}
