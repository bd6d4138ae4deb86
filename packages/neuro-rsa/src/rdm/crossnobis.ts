import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { checkPatterns, checkPrecision, kernelRdm, multiply } from './pattern-kernel.js';
import { rdmLength, type Rdm } from './rdm.js';

/** Options of {@link crossnobisRdm}. */
export interface CrossnobisOptions {
  /**
   * The condition of each row. Default: within each run the k-th row (in file order) is condition k
   * (rsatoolbox's default cv descriptor, read the other way round). The RDM's conditions are the
   * distinct labels in ascending order (as rsatoolbox, which sorts by the descriptor).
   */
  readonly conditions?: ArrayLike<number>;
  /** Noise precision matrix (channels × channels); default identity. */
  readonly precision?: Matrix<NumericArray>;
}

/**
 * The crossnobis RDM (cross-validated squared Mahalanobis distance) of observations × channels
 * patterns measured in several runs, as rsatoolbox's `calc_rdm_crossnobis` with one precision matrix P:
 * for every run f (leave-one-run-out fold, runs in ascending label order), A = the per-condition mean
 * of the rows of all other runs, B = the per-condition mean of the rows of run f, and
 * d_f(i, j) = (a_i − a_j) P (b_i − b_j)ᵀ / p; the RDM is the mean of d_f over the folds.
 * With one observation per condition and run this equals the mean over all pairs of different runs
 * r ≠ s of (x_ir − x_jr) P (x_is − x_js)ᵀ / p. The estimate is unbiased and can be negative.
 *
 * @param runs the run label of each row (at least 2 distinct runs).
 * @throws ShapeError when lengths disagree, P is not p×p, or a run lacks a condition.
 * @throws InvalidArgumentError for non-finite labels, fewer than 2 runs or 2 conditions, or a bad P.
 */
export function crossnobisRdm(patterns: Matrix<NumericArray>, runs: ArrayLike<number>, options: CrossnobisOptions = {}): Rdm {
  checkPatterns(patterns);
  const { rows, cols: p, data } = patterns;
  if (runs.length !== rows) throw new ShapeError(`runs has ${runs.length} labels, patterns have ${rows} rows`);
  for (let r = 0; r < rows; r++) if (!Number.isFinite(runs[r]!)) throw new InvalidArgumentError(`runs[${r}]`, 'a finite run label', runs[r]);
  const folds = [...new Set(Array.from(runs))].sort((a, b) => a - b);
  if (folds.length < 2) throw new InvalidArgumentError('runs', 'at least 2 distinct runs', folds.length);
  let cond: ArrayLike<number>;
  if (options.conditions) {
    cond = options.conditions;
    if (cond.length !== rows) throw new ShapeError(`conditions has ${cond.length} labels, patterns have ${rows} rows`);
    for (let r = 0; r < rows; r++) if (!Number.isFinite(cond[r]!)) throw new InvalidArgumentError(`conditions[${r}]`, 'a finite condition label', cond[r]);
  } else {
    const seen = new Map<number, number>();
    cond = Array.from(runs, (run) => {
      const c = seen.get(run) ?? 0;
      seen.set(run, c + 1);
      return c;
    });
  }
  const labels = [...new Set(Array.from(cond))].sort((a, b) => a - b);
  const n = labels.length;
  if (n < 2) throw new InvalidArgumentError('conditions', 'at least 2 distinct conditions', n);
  const condIndex = new Map(labels.map((l, i) => [l, i]));
  const foldIndex = new Map(folds.map((f, i) => [f, i]));
  // Per (fold, condition): sum of rows and count.
  const F = folds.length;
  const sums = new Float64Array(F * n * p);
  const counts = new Float64Array(F * n);
  for (let r = 0; r < rows; r++) {
    const f = foldIndex.get(runs[r]!)!;
    const c = condIndex.get(cond[r]!)!;
    counts[f * n + c]! += 1;
    const o = (f * n + c) * p;
    for (let k = 0; k < p; k++) sums[o + k]! += data[r * p + k]!;
  }
  for (let f = 0; f < F; f++) {
    for (let c = 0; c < n; c++) {
      if (counts[f * n + c] === 0) throw new ShapeError(`run ${folds[f]} has no observation of condition ${labels[c]} (every run needs every condition)`);
    }
  }
  const precision = options.precision;
  if (precision) checkPrecision(precision, p);
  const totalSums = new Float64Array(n * p);
  const totalCounts = new Float64Array(n);
  for (let f = 0; f < F; f++) {
    for (let c = 0; c < n; c++) {
      totalCounts[c]! += counts[f * n + c]!;
      for (let k = 0; k < p; k++) totalSums[c * p + k]! += sums[(f * n + c) * p + k]!;
    }
  }
  const out = new Float64Array(rdmLength(n));
  const train = new Float64Array(n * p);
  const test = new Float64Array(n * p);
  for (let f = 0; f < F; f++) {
    for (let c = 0; c < n; c++) {
      const cf = counts[f * n + c]!;
      const ct = totalCounts[c]! - cf;
      for (let k = 0; k < p; k++) {
        const sf = sums[(f * n + c) * p + k]!;
        test[c * p + k] = sf / cf;
        train[c * p + k] = (totalSums[c * p + k]! - sf) / ct;
      }
    }
    const b = precision ? multiply(test, n, p, precision.data) : test;
    const d = kernelRdm(train, b, n, p).vector;
    for (let k = 0; k < out.length; k++) out[k]! += d[k]!;
  }
  for (let k = 0; k < out.length; k++) out[k]! /= F;
  return { n, vector: out };
}
