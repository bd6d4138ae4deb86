import { ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';

/** A thin singular value decomposition A = U · diag(s) · Vᵀ of an n × p matrix, r = min(n, p). */
export interface Svd {
  /**
   * n × r, orthonormal columns for the non-zero singular values (a column whose singular value is exactly 0 is
   * all zeros; one whose singular value is at rounding level is not reliably orthogonal to the others).
   */
  readonly u: Matrix<Float64Array>;
  /** r singular values, descending, ≥ 0. */
  readonly s: Float64Array;
  /** p × r, orthonormal columns. */
  readonly v: Matrix<Float64Array>;
}

const MAX_SWEEPS = 80;

/**
 * The thin SVD of a dense matrix by one-sided Jacobi rotations (Hestenes' method): the columns of A are
 * orthogonalised pairwise until every pair is orthogonal to machine precision; their norms are the singular
 * values. Accurate to a few ulps relative to the largest singular value (matches `numpy.linalg.svd(A,
 * full_matrices=False)` up to the signs of singular-vector pairs). Meant for the small matrices of ridge
 * regression (a few hundred columns); O(n·p²) per sweep, typically 6–10 sweeps. A wide matrix (n < p) is
 * decomposed through its transpose.
 *
 * Singular vectors of zero singular values: V's columns are still orthonormal; U's are not (see {@link Svd.u}).
 *
 * @throws ShapeError when `a.data` does not hold rows·cols values or the matrix is empty.
 */
export function svd(a: Matrix<NumericArray>): Svd {
  const { rows: n, cols: p, data } = a;
  if (data.length !== n * p) throw new ShapeError(`matrix data has ${data.length} values, expected ${n}×${p}`);
  if (n === 0 || p === 0) throw new ShapeError(`cannot decompose an empty ${n}×${p} matrix`);
  if (n < p) {
    const t = new Float64Array(n * p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) t[j * n + i] = data[i * p + j]!;
    const r = tallSvd(t, p, n);
    return { u: r.v, s: r.s, v: r.u };
  }
  return tallSvd(data, n, p);
}

/** SVD of a row-major n × p matrix with n ≥ p. */
function tallSvd(data: ArrayLike<number>, n: number, p: number): Svd {
  // w: the columns of A, each contiguous (w[j·n + i] = A[i, j]); vt: the columns of V, each contiguous.
  const w = new Float64Array(p * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) w[j * n + i] = data[i * p + j]!;
  const vt = new Float64Array(p * p);
  for (let j = 0; j < p; j++) vt[j * p + j] = 1;
  const eps = 2.220446049250313e-16;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let j = 0; j < p - 1; j++) {
      const oj = j * n;
      for (let k = j + 1; k < p; k++) {
        const ok = k * n;
        let alpha = 0, beta = 0, gamma = 0;
        for (let i = 0; i < n; i++) {
          const x = w[oj + i]!, y = w[ok + i]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < n; i++) {
          const x = w[oj + i]!, y = w[ok + i]!;
          w[oj + i] = c * x - s * y;
          w[ok + i] = s * x + c * y;
        }
        const vj = j * p, vk = k * p;
        for (let i = 0; i < p; i++) {
          const x = vt[vj + i]!, y = vt[vk + i]!;
          vt[vj + i] = c * x - s * y;
          vt[vk + i] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += w[j * n + i]! ** 2;
    norms[j] = Math.sqrt(s);
  }
  const order = Array.from({ length: p }, (_, j) => j).sort((x, y) => norms[y]! - norms[x]! || x - y);
  const u = new Float64Array(n * p);
  const v = new Float64Array(p * p);
  const sv = new Float64Array(p);
  order.forEach((j, col) => {
    const sj = norms[j]!;
    sv[col] = sj;
    if (sj > 0) for (let i = 0; i < n; i++) u[i * p + col] = w[j * n + i]! / sj;
    for (let i = 0; i < p; i++) v[i * p + col] = vt[j * p + i]!;
  });
  return { u: { rows: n, cols: p, data: u }, s: sv, v: { rows: p, cols: p, data: v } };
}
