import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';

/**
 * A representational dissimilarity matrix over `n` conditions, stored as its upper triangle:
 * `vector` holds d(i, j) for i < j in row-major order (d(0,1), d(0,2), …, d(0,n−1), d(1,2), …),
 * which is rsatoolbox's "dissimilarity vector" order (`RDMs.get_vectors()`, scipy's `squareform`).
 * Its length is n(n−1)/2. Entries may be NaN (missing dissimilarities).
 */
export interface Rdm {
  readonly n: number;
  readonly vector: Float64Array;
}

/** Number of dissimilarities in an RDM over `n` conditions: n(n−1)/2. */
export function rdmLength(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Position of d(i, j) (i ≠ j) in an RDM vector over `n` conditions. */
export function rdmIndex(n: number, i: number, j: number): number {
  if (i > j) [i, j] = [j, i];
  return i * n - (i * (i + 1)) / 2 + (j - i - 1);
}

/**
 * An RDM from its dissimilarity vector (upper triangle, row-major); `n` is inferred from the length,
 * which must be n(n−1)/2 for some n ≥ 2. The vector is copied.
 */
export function rdmFromVector(vector: ArrayLike<number>): Rdm {
  const len = vector.length;
  const n = Math.round((1 + Math.sqrt(1 + 8 * len)) / 2);
  if (n < 2 || rdmLength(n) !== len) {
    throw new InvalidArgumentError('vector', 'a length n(n-1)/2 for some n >= 2', len);
  }
  return { n, vector: Float64Array.from(vector) };
}

/**
 * An RDM from a full n×n dissimilarity matrix. The matrix must be square, symmetric within
 * 1e-9·scale (scale = the largest absolute finite entry, at least 1e-300) with NaNs in mirrored
 * positions, and have a zero diagonal within the same tolerance. Takes the upper triangle.
 *
 * @throws ShapeError when `m` is not square or smaller than 2×2.
 * @throws InvalidArgumentError naming the offending element when the matrix is not symmetric
 *   or its diagonal is not zero.
 */
export function rdmFromMatrix(m: Matrix<NumericArray>): Rdm {
  const { rows, cols, data } = m;
  if (rows !== cols) throw new ShapeError(`an RDM matrix must be square, got ${rows}×${cols}`);
  if (rows < 2) throw new ShapeError(`an RDM matrix must be at least 2×2, got ${rows}×${cols}`);
  if (data.length !== rows * cols) {
    throw new ShapeError(`matrix data has ${data.length} elements, expected ${rows}×${cols} = ${rows * cols}`);
  }
  const n = rows;
  let scale = 0;
  for (let k = 0; k < data.length; k++) {
    const a = Math.abs(data[k]!);
    if (Number.isFinite(a) && a > scale) scale = a;
  }
  const tol = 1e-9 * Math.max(scale, 1e-300);
  for (let i = 0; i < n; i++) {
    const d = data[i * n + i]!;
    if (!(Math.abs(d) <= tol)) throw new InvalidArgumentError(`m[${i}][${i}]`, 'a zero diagonal', d);
  }
  const vector = new Float64Array(rdmLength(n));
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = data[i * n + j]!;
      const b = data[j * n + i]!;
      const bothNaN = Number.isNaN(a) && Number.isNaN(b);
      if (!bothNaN && !(Math.abs(a - b) <= tol)) {
        throw new InvalidArgumentError(`m[${j}][${i}]`, `a symmetric matrix (m[${i}][${j}] = ${a})`, b);
      }
      vector[k++] = a;
    }
  }
  return { n, vector };
}

/** The full symmetric n×n matrix of an RDM, with a zero diagonal. */
export function rdmToMatrix(rdm: Rdm): Matrix<Float64Array> {
  const { n, vector } = rdm;
  checkRdm(rdm, 'rdm');
  const data = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = vector[k++]!;
      data[i * n + j] = v;
      data[j * n + i] = v;
    }
  }
  return { rows: n, cols: n, data };
}

/**
 * An RDM from a similarity matrix: D = 1 − S. `S` must be square, symmetric and have a unit
 * diagonal (within the tolerance of {@link rdmFromMatrix}).
 */
export function rdmFromSimilarity(s: Matrix<NumericArray>): Rdm {
  const data = new Float64Array(s.data.length);
  for (let k = 0; k < data.length; k++) data[k] = 1 - s.data[k]!;
  return rdmFromMatrix({ rows: s.rows, cols: s.cols, data });
}

/** The element-wise mean of RDMs over the same conditions (NaN wherever any input is NaN). */
export function meanRdm(rdms: readonly Rdm[]): Rdm {
  if (rdms.length === 0) throw new InvalidArgumentError('rdms', 'at least one RDM', rdms.length);
  const n = rdms[0]!.n;
  const out = new Float64Array(rdmLength(n));
  rdms.forEach((r, s) => {
    checkRdm(r, `rdms[${s}]`);
    if (r.n !== n) throw new ShapeError(`rdms[${s}] has ${r.n} conditions, rdms[0] has ${n}`);
    for (let k = 0; k < out.length; k++) out[k]! += r.vector[k]!;
  });
  for (let k = 0; k < out.length; k++) out[k]! /= rdms.length;
  return { n, vector: out };
}

/** @internal Checks that `rdm.vector` has n(n−1)/2 entries. */
export function checkRdm(rdm: Rdm, name: string): void {
  if (rdm.vector.length !== rdmLength(rdm.n)) {
    throw new ShapeError(`${name}: vector has ${rdm.vector.length} entries, expected n(n-1)/2 = ${rdmLength(rdm.n)} for n = ${rdm.n}`);
  }
}
