import { ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';

/**
 * The strict lower triangle of a square matrix in the authors' order (MATLAB `squareformq`/lowertri,
 * column-major): (1,0), (2,0), …, (n−1,0), (2,1), …, (n−1,n−2) — n(n−1)/2 values (1,128 for 48 objects).
 * Only entries below the diagonal are read, so the matrix need not be symmetric. The order fixes which pair a
 * bootstrap index points at.
 *
 * @throws ShapeError when the matrix is not square or its data has the wrong length.
 */
export function lowerTriangle(m: Matrix<NumericArray>): Float64Array {
  const n = m.rows;
  if (m.cols !== n) throw new ShapeError(`a ${m.rows}×${m.cols} matrix is not square`);
  if (m.data.length !== n * n) throw new ShapeError(`a ${n}×${n} matrix has ${m.data.length} values`);
  const out = new Float64Array((n * (n - 1)) / 2);
  let o = 0;
  for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) out[o++] = m.data[i * n + j];
  return out;
}

/**
 * Whether values are constant up to rounding: max − min ≤ rel·max(|max|, |min|) (default rel = 1e−12). A predicted
 * similarity from identical dot products (e.g. an all-zero embedding) is constant in exact arithmetic, but its
 * entries are sums over differently split ranges and may differ by a few ulp; its correlation with anything is
 * undefined, as the authors' MATLAB (which sums in one order) finds.
 */
export function nearlyConstant(values: ArrayLike<number>, rel = 1e-12): boolean {
  let lo = Infinity, hi = -Infinity;
  for (let t = 0; t < values.length; t++) {
    const v = values[t];
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return !(hi - lo > rel * Math.max(Math.abs(hi), Math.abs(lo)));
}
