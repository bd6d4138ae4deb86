import { findTripletProblem, InvalidArgumentError, ShapeError, type Triplets } from '@conceptlab/core';
import { rowLabel } from './row-label.js';

/** Throw unless `v` is an integer in [min, max]. */
export function checkInteger(argument: string, v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new InvalidArgumentError(argument, range, v);
  }
  return v;
}

/** Throw unless `t` looks like a {@link Triplets} (an Int32Array of length 3·count). */
export function checkTripletsShape(what: string, t: Triplets): void {
  if (t === null || typeof t !== 'object' || !(t.data instanceof Int32Array)) {
    throw new InvalidArgumentError(what, 'Triplets { count, data: Int32Array }', t);
  }
  if (!Number.isInteger(t.count) || t.count < 0 || t.data.length !== t.count * 3) {
    throw new ShapeError(`${what}: count ${t.count} does not match ${t.data.length} values (expected 3·count)`);
  }
}

/**
 * Throw an {@link InvalidArgumentError} naming the first bad row of `t` (an index outside
 * [0, nObjects) or an object repeated within a row).
 */
export function checkTriplets(what: string, t: Triplets, nObjects?: number): void {
  checkTripletsShape(what, t);
  const p = findTripletProblem(t, nObjects);
  if (p) throw new InvalidArgumentError(`${what} ${rowLabel(p.row)}`, p.expected, p.found);
}

/**
 * Throw a {@link ShapeError} naming the first row of `t` whose index has no row in a matrix with
 * `rows` rows (an embedding or feature matrix), and an {@link InvalidArgumentError} for negative or
 * repeated objects.
 */
export function checkTripletsAgainstRows(what: string, t: Triplets, rows: number, matrixName: string): void {
  checkTriplets(what, t);
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] >= rows) {
      const r = Math.floor(i / 3);
      throw new ShapeError(`${what} ${rowLabel(r)}: object ${d[i]} has no row in the ${matrixName} (${rows} rows)`);
    }
  }
}
