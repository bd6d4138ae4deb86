import { InvalidArgumentError, ShapeError, type NumericArray } from '@conceptlab/core';

/**
 * An injected Gram product for {@link computeRdm}'s euclidean RDM (`euclideanSums: 'gram'`): given the row-major
 * `rows` × `cols` patterns `x`, returns X·Xᵀ as a row-major rows × rows Float64Array (at least the upper triangle
 * and the diagonal filled). E.g. `@conceptlab/native-blas`'s `loadNativeBlas().gram` (the system's BLAS);
 * neuro-rsa does not depend on any provider. It may throw (e.g. for non-finite values); its error propagates.
 */
export type GramProvider = (x: Float64Array, rows: number, cols: number) => Float64Array;

/**
 * The dot products of every pair i < j (into `vector`, RDM order) and the squared norms (into `diag`) from an
 * injected Gram product: the sums `finishDistances('euclidean-gram', …)` turns into rsatoolbox's
 * (‖x_i‖² + ‖x_j‖² − 2·x_i·x_j) / p. The patterns are passed as they are when they are a Float64Array, else as a
 * float64 copy.
 * @throws InvalidArgumentError when `gram` is not a function; ShapeError when it returns anything but an n × n Float64Array.
 */
export function gramProviderSums(gram: GramProvider, n: number, p: number, data: NumericArray, vector: Float64Array, diag: Float64Array): void {
  if (typeof gram !== 'function') throw new InvalidArgumentError('gram', 'a function (x, rows, cols) => Float64Array', gram);
  const x = data instanceof Float64Array ? data : Float64Array.from(data as ArrayLike<number>);
  const g: unknown = gram(x, n, p);
  if (!(g instanceof Float64Array) || g.length !== n * n) {
    const found = g instanceof Float64Array ? `a Float64Array of ${g.length}` : typeof g;
    throw new ShapeError(`gram returned ${found}, expected a ${n}×${n} Float64Array (${n * n} values)`);
  }
  let k = 0;
  for (let i = 0; i < n; i++) {
    diag[i] = g[i * n + i]!;
    for (let j = i + 1; j < n; j++, k++) vector[k] = g[i * n + j]!;
  }
}
