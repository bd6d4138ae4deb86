import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { ranks } from '@conceptlab/core/stats';
import { compareCovWeighted } from './compare-cov.js';
import { kendallTauDroppingNaN } from './kendall.js';
import { dropNaNPairs } from './nan-pairs.js';
import { checkRdm, type Rdm } from '../rdm/rdm.js';

/**
 * RDM comparators, named as in rsatoolbox's `rsatoolbox.rdm.compare`:
 * `'corr'` Pearson r, `'cosine'` cosine similarity, `'spearman'` Spearman's rho (Pearson r of
 * average ranks), `'kendall'` (alias `'tau-b'`) Kendall's tau-b as `scipy.stats.kendalltau`,
 * `'tau-a'` Kendall's tau-a, `'rho-a'` rsatoolbox's Spearman rho-a, `'corr_cov'` and `'cosine_cov'`
 * rsatoolbox's whitened correlation and cosine (see {@link compareCovWeighted}).
 */
export type CompareMethod = 'corr' | 'cosine' | 'spearman' | 'kendall' | 'tau-b' | 'tau-a' | 'rho-a' | 'corr_cov' | 'cosine_cov';

/** Every {@link CompareMethod}, in documentation order. */
export const COMPARE_METHODS: readonly CompareMethod[] = ['corr', 'cosine', 'spearman', 'kendall', 'tau-b', 'tau-a', 'rho-a', 'corr_cov', 'cosine_cov'];
const METHODS = COMPARE_METHODS;

/** Options of {@link compareRdms} / {@link compareVectors}. */
export interface CompareOptions {
  /**
   * For `'corr_cov'` / `'cosine_cov'`: the variances of the condition patterns (rsatoolbox's 1-D
   * `sigma_k`, one positive number per condition). Default: identity. Ignored by the other methods.
   */
  readonly sigmaK?: ArrayLike<number>;
}

/**
 * The similarity of two RDMs over the same conditions under `method` (see {@link CompareMethod}).
 *
 * NaN-aware: dissimilarity pairs where either RDM is NaN are dropped before comparing (rsatoolbox
 * requires the NaNs in the same positions; this is the more permissive pairwise deletion).
 * With fewer than 2 pairs left the result is NaN. As rsatoolbox's `_cosine`, `'corr'`, `'cosine'`
 * and `'spearman'` give 0 when a (centred) vector has zero norm; `'kendall'` gives NaN when either
 * vector is constant, as scipy. `'corr_cov'` / `'cosine_cov'` keep the entries finite in both and use
 * rsatoolbox's least-squares centring for the missing ones ({@link compareCovWeighted}).
 *
 * Kendall's tau-b and tau-a use Knight's O(m log m) algorithm (the one scipy uses).
 */
export function compareRdms(a: Rdm, b: Rdm, method: CompareMethod, options: CompareOptions = {}): number {
  checkRdmPair(a, b);
  if (!METHODS.includes(method)) throw new InvalidArgumentError('method', METHODS.map((m) => `'${m}'`).join(', '), method);
  return compareVectors(a.vector, b.vector, method, options);
}

/**
 * The RDM checks of {@link compareRdms} (and `compareRdmsParallel`): two valid RDMs over the same conditions.
 * Not part of the public API.
 * @throws the errors of checkRdm; ShapeError when their numbers of conditions differ.
 */
export function checkRdmPair(a: Rdm, b: Rdm): void {
  checkRdm(a, 'a');
  checkRdm(b, 'b');
  if (a.n !== b.n) throw new ShapeError(`RDMs over different numbers of conditions: a has ${a.n}, b has ${b.n}`);
}

/**
 * {@link compareRdms} on two dissimilarity vectors of equal length. For `'corr_cov'` and
 * `'cosine_cov'` the number of conditions n is derived from the length n(n−1)/2 (an
 * {@link InvalidArgumentError} when it is not of that form).
 */
export function compareVectors(a: ArrayLike<number>, b: ArrayLike<number>, method: CompareMethod, options: CompareOptions = {}): number {
  if (a.length !== b.length) throw new ShapeError(`vectors of different lengths: ${a.length} and ${b.length}`);
  if (method === 'corr_cov' || method === 'cosine_cov') return covMethod(a, b, method, options.sigmaK);
  // Kendall: the kernel finds NaN pairs as it counts, so NaN-free vectors (the usual case) skip a scan.
  if (method === 'kendall' || method === 'tau-b' || method === 'tau-a') return kendallTauDroppingNaN(a, b, method === 'tau-a' ? 'a' : 'b');
  const [x, y] = dropNaNPairs(a, b);
  if (x.length < 2) return Number.NaN;
  switch (method) {
    case 'cosine':
      return cosine(x, y);
    case 'corr':
      return cosine(centred(x), centred(y));
    case 'spearman':
      return cosine(centred(ranks(x)), centred(ranks(y)));
    case 'rho-a': {
      // rsatoolbox's compare_rho_a: 12 Σ (r_x − r̄)(r_y − r̄) / (m³ − m) on average ranks.
      const rx = centred(ranks(x));
      const ry = centred(ranks(y));
      const m = x.length;
      return (dot(rx, ry) / (m ** 3 - m)) * 12;
    }
    default:
      throw new InvalidArgumentError('method', METHODS.map((m) => `'${m}'`).join(', '), method);
  }
}

function covMethod(a: ArrayLike<number>, b: ArrayLike<number>, method: 'corr_cov' | 'cosine_cov', sigmaK?: ArrayLike<number>): number {
  const len = a.length;
  const n = Math.round((1 + Math.sqrt(1 + 8 * len)) / 2);
  if (n < 2 || (n * (n - 1)) / 2 !== len) throw new InvalidArgumentError('vector', 'a length n(n-1)/2 for some n >= 2', len);
  // Nothing missing (the usual case): the closed form straight away. A NaN anywhere makes it NaN; only then are
  // the missing pairs counted (so NaN-free vectors are read once less).
  const full = compareCovWeighted(a, b, n, method, undefined, sigmaK);
  if (!Number.isNaN(full)) return full;
  const present = new Uint8Array(len);
  let kept = 0;
  for (let k = 0; k < len; k++) {
    const here = Number.isNaN(a[k]!) || Number.isNaN(b[k]!) ? 0 : 1;
    present[k] = here;
    kept += here;
  }
  if (kept < 2) return Number.NaN;
  if (kept === len) return full; // nothing missing: NaN from infinities
  return compareCovWeighted(a, b, n, method, present, sigmaK);
}


function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k]! * y[k]!;
  return s;
}

function centred(x: Float64Array): Float64Array {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k]!;
  const mean = s / x.length;
  const out = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) out[k] = x[k]! - mean;
  return out;
}

function cosine(x: Float64Array, y: Float64Array): number {
  const nx = Math.sqrt(dot(x, x));
  const ny = Math.sqrt(dot(y, y));
  if (!(nx > 0) || !(ny > 0)) return 0;
  return dot(x, y) / nx / ny;
}
