import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { percentile } from '@conceptlab/core/stats';
import { fdrCorrection } from './fdr.js';
import type { ModelBootstrapResult } from './subject-bootstrap.js';

/**
 * rsatoolbox's `bootstrap_pair_tests`: two-sided bootstrap p values for the difference of every pair
 * of models, from bootstrap evaluations (samples × models, row-major). For models i ≠ j with N
 * samples: prop = #(e_i < e_j) / (N − #(e_i = e_j)), p = 2·min(prop, 1 − prop), then
 * p ← (N − 1)/N · p + 1/N; the diagonal is 1. Returns the models × models matrix (row-major).
 * Rows with a NaN evaluation should be removed first (see {@link comparePairsByBootstrap}).
 *
 * @throws ShapeError when `evaluations.length` is not samples × models.
 * @throws InvalidArgumentError with no samples.
 */
export function bootstrapPairTests(evaluations: ArrayLike<number>, models: number): Float64Array {
  if (!Number.isInteger(models) || models < 1 || evaluations.length % models !== 0) {
    throw new ShapeError(`evaluations has ${evaluations.length} entries, not a multiple of ${models} models`);
  }
  const N = evaluations.length / models;
  if (N < 1) throw new InvalidArgumentError('evaluations', 'at least one bootstrap sample', 0);
  const out = new Float64Array(models * models);
  for (let i = 0; i < models; i++) {
    out[i * models + i] = 1;
    for (let j = i + 1; j < models; j++) {
      let less = 0;
      let equal = 0;
      for (let r = 0; r < N; r++) {
        const a = evaluations[r * models + i]!;
        const b = evaluations[r * models + j]!;
        if (a < b) less++;
        else if (a === b) equal++;
      }
      const prop = less / (N - equal);
      const p = ((N - 1) / N) * (2 * Math.min(prop, 1 - prop)) + 1 / N;
      out[i * models + j] = p;
      out[j * models + i] = p;
    }
  }
  return out;
}

/** One model pair of {@link comparePairsByBootstrap}. */
export interface ModelPairComparison {
  readonly a: number;
  readonly b: number;
  /** mean(model a) − mean(model b) on the full data. */
  readonly difference: number;
  /** 2.5th / 97.5th percentiles of the bootstrap differences e_a − e_b. */
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Two-sided bootstrap p value ({@link bootstrapPairTests}). */
  readonly p: number;
  /** Benjamini–Hochberg adjusted p over all pairs. */
  readonly pAdjusted: number;
  /** Whether the pair is a discovery at the FDR level `q`. */
  readonly significant: boolean;
}

/**
 * Pairwise model comparison from a {@link bootstrapModels} result: for every pair a < b, the full-data
 * difference of the mean evaluations, the percentile CI of the bootstrap differences, rsatoolbox's
 * two-sided bootstrap p ({@link bootstrapPairTests}) and Benjamini–Hochberg FDR control at `q` over
 * all pairs. Resamples where any model's evaluation is NaN are left out (as rsatoolbox drops NaN
 * evaluations before testing).
 *
 * @throws InvalidArgumentError with fewer than 2 models, no finite resample, or q outside (0, 1].
 */
export function comparePairsByBootstrap(result: ModelBootstrapResult, q = 0.05): ModelPairComparison[] {
  const M = result.models;
  if (M < 2) throw new InvalidArgumentError('models', 'at least 2 models to compare', M);
  const rows: number[] = [];
  for (let r = 0; r < result.samples; r++) {
    let ok = true;
    for (let m = 0; m < M; m++) if (!Number.isFinite(result.evaluations[r * M + m]!)) ok = false;
    if (ok) rows.push(r);
  }
  if (rows.length === 0) throw new InvalidArgumentError('result', 'at least one resample with finite evaluations', 0);
  const ev = new Float64Array(rows.length * M);
  rows.forEach((r, k) => ev.set(result.evaluations.subarray(r * M, r * M + M), k * M));
  const pm = bootstrapPairTests(ev, M);
  const pairs: { a: number; b: number; difference: number; ciLow: number; ciHigh: number; p: number }[] = [];
  for (let a = 0; a < M; a++) {
    for (let b = a + 1; b < M; b++) {
      const diffs = rows.map((_, k) => ev[k * M + a]! - ev[k * M + b]!);
      pairs.push({
        a,
        b,
        difference: result.mean[a]! - result.mean[b]!,
        ciLow: percentile(diffs, 2.5),
        ciHigh: percentile(diffs, 97.5),
        p: pm[a * M + b]!,
      });
    }
  }
  const fdr = fdrCorrection(pairs.map((x) => x.p), q);
  return pairs.map((x, k) => ({ ...x, pAdjusted: fdr.adjusted[k]!, significant: fdr.rejected[k]! }));
}
