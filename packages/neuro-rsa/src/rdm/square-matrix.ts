import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { rdmFromMatrix, rdmFromSimilarity, type Rdm } from './rdm.js';

/** What a square conditions × conditions matrix holds: similarities (unit diagonal) or dissimilarities (zero diagonal). */
export type SquareMatrixKind = 'similarity' | 'rdm';

/**
 * The kind of a square matrix, read from its whole diagonal (no guessing from one entry):
 * - `'similarity'` when every diagonal entry is within 1e-9 of 1;
 * - `'rdm'` when every diagonal entry is zero within {@link rdmFromMatrix}'s tolerance (1e-9 × the largest
 *   absolute finite entry).
 *
 * @throws ShapeError when `m` is not square.
 * @throws InvalidArgumentError when the diagonal is neither (the matrix is neither kind), or both (possible
 *   only when the entries reach 1e9 in magnitude, so a unit diagonal is also zero within tolerance):
 *   pass the kind explicitly to {@link rdmFromSquareMatrix} then.
 */
export function squareMatrixKind(m: Matrix<NumericArray>): SquareMatrixKind {
  const { rows, cols, data } = m;
  if (rows !== cols || data.length !== rows * cols) throw new ShapeError(`a square matrix was expected, got ${rows}×${cols}`);
  let scale = 0;
  for (let k = 0; k < data.length; k++) {
    const a = Math.abs(data[k]!);
    if (Number.isFinite(a) && a > scale) scale = a;
  }
  const tol = 1e-9 * Math.max(scale, 1e-300);
  let unit = true;
  let zero = true;
  for (let i = 0; i < rows; i++) {
    const d = data[i * cols + i]!;
    if (!(Math.abs(d - 1) < 1e-9)) unit = false;
    if (!(Math.abs(d) <= tol)) zero = false;
  }
  if (unit && zero) throw new InvalidArgumentError('m', 'a diagonal that tells a similarity matrix (1) from an RDM (0); give the kind explicitly', `a diagonal of 1 with entries up to ${scale}`);
  if (unit) return 'similarity';
  if (zero) return 'rdm';
  // The first diagonal entry that is neither 1 nor 0, else the first whose kind differs from the first entry's.
  const isUnit = (i: number): boolean => Math.abs(data[i * cols + i]! - 1) < 1e-9;
  let at = Array.from({ length: rows }, (_, i) => i).findIndex((i) => !isUnit(i) && !(Math.abs(data[i * cols + i]!) <= tol));
  if (at < 0) at = Math.max(0, Array.from({ length: rows }, (_, i) => i).findIndex((i) => isUnit(i) !== isUnit(0)));
  throw new InvalidArgumentError(`m[${at}][${at}]`, 'a unit diagonal (a similarity matrix) or a zero diagonal (an RDM)', data[at * cols + at]!);
}

/**
 * An RDM from a square matrix of the given kind: a similarity matrix S gives 1 − S ({@link rdmFromSimilarity}),
 * an RDM is taken as it is ({@link rdmFromMatrix}); `'auto'` reads the kind from the diagonal ({@link squareMatrixKind}).
 *
 * @throws as {@link squareMatrixKind} (for `'auto'`), {@link rdmFromSimilarity} and {@link rdmFromMatrix}.
 */
export function rdmFromSquareMatrix(m: Matrix<NumericArray>, kind: SquareMatrixKind | 'auto'): { readonly rdm: Rdm; readonly kind: SquareMatrixKind } {
  const k = kind === 'auto' ? squareMatrixKind(m) : kind;
  return { rdm: k === 'similarity' ? rdmFromSimilarity(m) : rdmFromMatrix(m), kind: k };
}
