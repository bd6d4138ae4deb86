import { InvalidArgumentError, ShapeError } from '@conceptlab/core';

const MAX_DIM = 2 ** 31 - 1; // CBLAS dimensions are 32-bit ints

/** The index of the first NaN or ±Infinity in `x`, or -1. */
function firstNonFiniteJs(x: Float64Array): number {
  for (let k = 0; k < x.length; k++) {
    const v = x[k]!;
    if (v - v !== 0) return k;
  }
  return -1;
}

/**
 * Checks the arguments of a Gram product: `x` a Float64Array of `rows` × `cols` finite numbers (row-major),
 * `rows` and `cols` positive integers that fit a 32-bit CBLAS dimension.
 * @throws InvalidArgumentError for a non-Float64Array, a bad dimension or a non-finite value (naming its row and column).
 * @throws ShapeError when the length is not rows × cols.
 */
export function checkGramInput(x: unknown, rows: unknown, cols: unknown): asserts x is Float64Array {
  checkGramInputWith(x, rows, cols, firstNonFiniteJs);
}

/** @internal {@link checkGramInput} with the scan for non-finite values given (the addon's vectorised one in `gram`). */
export function checkGramInputWith(x: unknown, rows: unknown, cols: unknown, firstNonFinite: (x: Float64Array) => number): asserts x is Float64Array {
  if (!(x instanceof Float64Array)) throw new InvalidArgumentError('x', 'a Float64Array', x);
  for (const [name, v] of [['rows', rows], ['cols', cols]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_DIM) throw new InvalidArgumentError(name, 'a positive integer below 2^31', v);
  }
  const r = rows as number;
  const c = cols as number;
  if (x.length !== r * c) throw new ShapeError(`x has ${x.length} elements, expected ${r}×${c} = ${r * c}`);
  const k = firstNonFinite(x);
  if (k >= 0) throw new InvalidArgumentError(`x (row ${Math.floor(k / c)}, column ${k % c})`, 'a finite number', x[k]);
}
