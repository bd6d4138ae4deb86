import { ShapeError } from '../errors.js';

// Local bindings: a global `Math` lookup inside a hot loop is slow in vm contexts (e.g. jest).
const { sqrt, abs } = Math;

/** The result of {@link symmetricEigen}. */
export interface SymmetricEigen {
  /** The k eigenvalues, descending. */
  readonly values: Float64Array;
  /** Row-major k×k; column j (entries j, k + j, 2k + j, …) is the unit eigenvector of `values[j]`. */
  readonly vectors: Float64Array;
}

/**
 * Eigen-decomposition of a small dense symmetric matrix `a` (row-major k×k) by cyclic Jacobi rotations, as
 * `numpy.linalg.eigh` up to order and signs: eigenvalues descending, eigenvectors as the columns of `vectors`
 * (each column's sign is whatever the rotations leave; normalise at the call site if it matters). Sweeps until
 * the off-diagonal sum of squares is < 1e-30 (at most 100 sweeps). The input must be symmetric (not checked).
 * O(k³) per sweep — for matrices up to a few hundred rows.
 *
 * @throws ShapeError when `a` does not hold k·k values.
 */
export function symmetricEigen(a: ArrayLike<number>, k: number): SymmetricEigen {
  if (!Number.isInteger(k) || k < 0 || a.length !== k * k) throw new ShapeError(`symmetricEigen: ${a.length} values for a ${k}×${k} matrix`);
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += m[p * k + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q];
        if (abs(apq) < 1e-300) continue;
        const theta = (m[q * k + q] - m[p * k + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (abs(theta) + sqrt(theta * theta + 1));
        const c = 1 / sqrt(t * t + 1), s = t * c;
        for (let r = 0; r < k; r++) {
          const mrp = m[r * k + p], mrq = m[r * k + q];
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          const mpr = m[p * k + r], mqr = m[q * k + r];
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p], vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => m[y * k + y] - m[x * k + x]);
  const values = Float64Array.from(order, (i) => m[i * k + i]);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => {
    for (let r = 0; r < k; r++) vectors[r * k + dst] = v[r * k + src];
  });
  return { values, vectors };
}
