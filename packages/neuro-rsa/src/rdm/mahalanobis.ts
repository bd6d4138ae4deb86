import type { Matrix, NumericArray } from '@conceptlab/core';
import { checkPatterns, checkPrecision, kernelRdm, multiply } from './pattern-kernel.js';
import type { Rdm } from './rdm.js';

/**
 * The squared Mahalanobis RDM of a conditions × channels pattern matrix under a noise precision
 * matrix P (channels × channels), as rsatoolbox's `calc_rdm_mahalanobis`:
 * d(i, j) = (x_i − x_j) P (x_i − x_j)ᵀ / p, p = the number of channels.
 * Without `precision` (P = I) this is rsatoolbox's squared Euclidean RDM (divided by p).
 *
 * Cost O(n·p² + n²·p).
 *
 * @throws ShapeError when the patterns have fewer than 2 rows or P is not p×p.
 * @throws InvalidArgumentError when P has a non-finite entry or is not symmetric.
 */
export function mahalanobisRdm(patterns: Matrix<NumericArray>, precision?: Matrix<NumericArray>): Rdm {
  checkPatterns(patterns);
  const { rows: n, cols: p, data: x } = patterns;
  if (precision) checkPrecision(precision, p);
  const y = precision ? multiply(x, n, p, precision.data) : Float64Array.from(x);
  return kernelRdm(x, y, n, p);
}
