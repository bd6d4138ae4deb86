import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { allPanels, finishDistances, pairwiseSums, rowMeans, type KernelChoice } from '../kernels/pairwise.js';
import { gramProviderSums, type GramProvider } from './gram-provider.js';
import { rdmLength, type Rdm } from './rdm.js';

export type { KernelChoice } from '../kernels/pairwise.js';

/** Dissimilarity measures of {@link computeRdm}. */
export type RdmMethod = 'euclidean' | 'correlation' | 'cosine';

/** Options of {@link computeRdm}. */
export interface ComputeRdmOptions {
  /**
   * Which implementation of the pairwise kernel runs: `'auto'` (default) WebAssembly SIMD when the
   * runtime has it, else JavaScript; `'wasm'` or `'js'` to force one. Both give bit-identical results.
   */
  readonly kernel?: KernelChoice;
  /**
   * For `'euclidean'`, how the squared distances are summed:
   * - `'differences'` (default): Σ_c (x_ic − x_jc)², accurate for close patterns (no cancellation);
   * - `'gram'`: rsatoolbox's form ((‖x_i‖² + ‖x_j‖²) − 2·x_i·x_j) from the dot-product kernel, a
   *   third fewer operations per channel (a subtraction less). It cancels: its absolute error is about
   *   1e-16·(‖x_i‖² + ‖x_j‖²)/p, so its relative error grows as a distance shrinks against the
   *   patterns' norms (a duplicated pattern gives a tiny nonzero, possibly negative, value, as in
   *   rsatoolbox). Within 1e-12 relative of `'differences'` when distances are not much smaller than
   *   the squared norms (the tests' fMRI-like patterns); no tolerance holds for near-identical patterns,
   *   so it is not the default. Ignored by the other measures.
   */
  readonly euclideanSums?: 'differences' | 'gram';
  /**
   * For `'euclidean'` with `euclideanSums: 'gram'` only: an injected Gram product X·Xᵀ (e.g.
   * `@conceptlab/native-blas`'s `loadNativeBlas().gram`, the system's BLAS) used instead of the pairwise kernel;
   * the RDM is then rsatoolbox's ((‖x_i‖² + ‖x_j‖²) − 2·x_i·x_j) / p from its entries (‖x_i‖² its diagonal).
   * Its results depend on that provider (a BLAS's blocking and thread count), so they are not bit-identical to
   * the kernels', and it decides what non-finite values do (native-blas rejects them). `kernel` is then unused.
   * Given with any other measure or sums it is an InvalidArgumentError, never silently ignored.
   */
  readonly gram?: GramProvider;
}

/** @internal The pairwise kernel's sum and the finishing step of a measure (and euclideanSums). */
export function rdmPlan(method: RdmMethod, euclideanSums: 'differences' | 'gram' = 'differences'): { kind: 'dot' | 'sqdist'; finish: 'euclidean' | 'euclidean-gram' | 'correlation' | 'cosine' } {
  if (euclideanSums !== 'differences' && euclideanSums !== 'gram') throw new InvalidArgumentError('euclideanSums', "'differences' or 'gram'", euclideanSums);
  if (method !== 'euclidean') return { kind: 'dot', finish: method };
  return euclideanSums === 'gram' ? { kind: 'dot', finish: 'euclidean-gram' } : { kind: 'sqdist', finish: 'euclidean' };
}

/**
 * The RDM of a conditions × channels pattern matrix (rsatoolbox's `calc_rdm`, one pattern per row).
 *
 * - `'euclidean'`: squared Euclidean distance divided by the number of channels, as rsatoolbox's
 *   `calc_rdm_euclidean` (`_extract_triu_(rdm) / measurements.shape[1]`), summed from the
 *   differences by default (rsatoolbox's ‖x‖² + ‖y‖² − 2x·y, which loses digits for close patterns,
 *   with `euclideanSums: 'gram'`; add `gram` to take X·Xᵀ from an injected provider such as the system's BLAS).
 * - `'correlation'`: 1 − Pearson r between the two condition patterns (rsatoolbox's
 *   `calc_rdm_correlation`). A constant pattern gives NaN.
 * - `'cosine'`: 1 − cosine similarity between the two patterns (scipy's `pdist(…, 'cosine')`;
 *   rsatoolbox's `calc_rdm` has no cosine measure). A zero pattern gives NaN.
 *
 * The sums run in a blocked kernel (WebAssembly SIMD, or its bit-identical JavaScript twin; see
 * src/kernels) that packs 512 channels at a time, so the patterns are never copied whole; results
 * equal the straightforward float64 sums up to summation-order rounding (≤ 1e-12 relative in the
 * tests). NaN values propagate to the pairs that contain them. For a parallel version see
 * {@link computeRdmParallel}.
 *
 * @throws ShapeError when the data length is not rows × cols, or there are fewer than 2 rows or 1 column.
 * @throws InvalidArgumentError for an unknown method or kernel.
 */
export function computeRdm(patterns: Matrix<NumericArray>, method: RdmMethod, options: ComputeRdmOptions = {}): Rdm {
  const { kernel = 'auto' } = options;
  const { rows: n, cols: p, data } = checkRdmInput(patterns, method);
  if (kernel !== 'auto' && kernel !== 'wasm' && kernel !== 'js') {
    throw new InvalidArgumentError('kernel', "'auto', 'wasm' or 'js'", kernel);
  }
  const plan = rdmPlan(method, options.euclideanSums);
  checkGramOption(plan.finish, options.gram);
  const vector = new Float64Array(rdmLength(n));
  const diag = new Float64Array(n);
  if (options.gram !== undefined) {
    gramProviderSums(options.gram, n, p, data, vector, diag);
    finishDistances(plan.finish, n, p, vector, diag);
    return { n, vector };
  }
  const input = { n, p, data, means: method === 'correlation' ? rowMeans(n, p, data) : null };
  pairwiseSums(input, plan.kind, kernel, allPanels(n), vector, diag);
  finishDistances(plan.finish, n, p, vector, diag);
  return { n, vector };
}

/** @internal The `gram` option is allowed only for the euclidean measure's Gram form. */
export function checkGramOption(finish: ReturnType<typeof rdmPlan>['finish'], gram: unknown): void {
  if (gram !== undefined && finish !== 'euclidean-gram') {
    throw new InvalidArgumentError('gram', "to be given only with method 'euclidean' and euclideanSums: 'gram'", typeof gram);
  }
}

/**
 * Checks the arguments of {@link computeRdm} and returns the patterns.
 * @throws ShapeError or InvalidArgumentError as {@link computeRdm}.
 */
export function checkRdmInput(patterns: Matrix<NumericArray>, method: RdmMethod): Matrix<NumericArray> {
  const { rows: n, cols: p, data } = patterns;
  if (data.length !== n * p) throw new ShapeError(`patterns data has ${data.length} elements, expected ${n}×${p}`);
  if (n < 2) throw new ShapeError(`patterns must have at least 2 conditions (rows), got ${n}`);
  if (p < 1) throw new ShapeError(`patterns must have at least 1 channel (column), got ${p}`);
  if (method !== 'euclidean' && method !== 'correlation' && method !== 'cosine') {
    throw new InvalidArgumentError('method', "'euclidean', 'correlation' or 'cosine'", method);
  }
  return patterns;
}
