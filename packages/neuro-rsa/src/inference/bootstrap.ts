import { createRng, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { percentile } from '@conceptlab/core/stats';
import { compareRdms, compareVectors, type CompareMethod, type CompareOptions } from './compare.js';
import { checkRdm, rdmLength, type Rdm } from '../rdm/rdm.js';
import { subsampleVector } from '../rdm/subsample.js';
import { resampledTauA } from './resampled-tau-a.js';

/** Options of {@link bootstrapConditions}. */
export interface BootstrapOptions extends CompareOptions {
  /** Number of bootstrap resamples (a positive integer; default 1000). */
  readonly samples?: number;
  /** Seed of the `createRng` stream that draws the resamples (default 0). */
  readonly seed?: number;
}

/** Result of {@link bootstrapConditions}. */
export interface BootstrapResult {
  /** Mean over subjects of compare(model, brain_s) on the full (not resampled) data. */
  readonly mean: number;
  /** 2.5th percentile of the finite bootstrap samples (numpy's linear interpolation). */
  readonly ciLow: number;
  /** 97.5th percentile of the finite bootstrap samples (numpy's linear interpolation). */
  readonly ciHigh: number;
  /** The bootstrap statistic of every resample, in draw order (NaN where it was undefined). */
  readonly samples: Float64Array;
}

/**
 * Bootstrap over conditions of the mean model–brain RDM similarity, after rsatoolbox's
 * `bootstrap_sample_pattern` + `RDMs.subsample_pattern`:
 *
 * each resample draws n condition indices uniformly with replacement (`createRng(seed)`, n calls of
 * `nextInt(n)`; the same draw for every subject), sorts them, and takes the RDM over the picked
 * positions. rsatoolbox fills the diagonal of the full RDM with NaN before indexing it, so a pair of
 * the same condition picked twice is NaN (dropped by the comparators; the NaN-aware path of the
 * `_cov` comparators); a pair of distinct conditions picked k and l times appears k·l times. The
 * statistic of a resample is the mean over subjects of `compareVectors(modelSub, brainSub_s, method)`.
 *
 * For `'tau-a'` with no NaN in the RDMs the resampled vectors are never formed: each pair of the full RDMs
 * is weighted by how often the resample holds it, and tau-a is counted on the weighted pairs (exactly the
 * same integers, so the same bits, in a fraction of the time).
 *
 * A resample that picks fewer than 2 distinct conditions (or whose statistic is otherwise NaN)
 * stores NaN in `samples`; the confidence bounds are the 2.5/97.5 percentiles of the finite samples
 * (NaN when none is finite).
 *
 * @throws InvalidArgumentError with no brains, fewer than 3 conditions, or bad options.
 * @throws ShapeError when an RDM's number of conditions differs from the model's.
 */
export function bootstrapConditions(
  model: Rdm,
  brains: readonly Rdm[],
  method: CompareMethod,
  options: BootstrapOptions = {},
): BootstrapResult {
  const { samples = 1000, seed = 0 } = options;
  checkRdm(model, 'model');
  if (brains.length === 0) throw new InvalidArgumentError('brains', 'at least one brain RDM', 0);
  const n = model.n;
  if (n < 3) throw new InvalidArgumentError('model', 'an RDM over at least 3 conditions', n);
  brains.forEach((b, s) => {
    checkRdm(b, `brains[${s}]`);
    if (b.n !== n) throw new ShapeError(`brains[${s}] has ${b.n} conditions, model has ${n}`);
  });
  if (!Number.isInteger(samples) || samples < 1) {
    throw new InvalidArgumentError('samples', 'a positive integer', samples);
  }
  if (!Number.isInteger(seed)) throw new InvalidArgumentError('seed', 'an integer', seed);

  let mean = 0;
  for (const b of brains) mean += compareRdms(model, b, method, options);
  mean /= brains.length;

  const rng = createRng(seed);
  const out = new Float64Array(samples);
  const picks = new Int32Array(n);
  const mv = new Float64Array(rdmLength(n));
  const bv = new Float64Array(rdmLength(n));
  // tau-a without NaNs: the resamples' counts weight the full RDMs' pairs (same bits, no resampled vectors).
  const fastTauA = method === 'tau-a' ? resampledTauA(model, brains) : null;
  const counts = new Int32Array(n);
  const perBrain = new Float64Array(brains.length);
  for (let r = 0; r < samples; r++) {
    for (let p = 0; p < n; p++) picks[p] = rng.nextInt(n);
    picks.sort();
    if (fastTauA) {
      counts.fill(0);
      for (let p = 0; p < n; p++) counts[picks[p]!]!++;
      fastTauA(counts, perBrain);
      let sum = 0;
      for (let s = 0; s < brains.length; s++) sum += perBrain[s]!;
      out[r] = sum / brains.length;
      continue;
    }
    const modelSub = subsampleVector(model, picks, mv);
    let sum = 0;
    for (const b of brains) sum += compareVectors(modelSub, subsampleVector(b, picks, bv), method, options);
    out[r] = sum / brains.length;
  }
  const finite = out.filter((v) => Number.isFinite(v));
  const ciLow = finite.length > 0 ? percentile(finite, 2.5) : Number.NaN;
  const ciHigh = finite.length > 0 ? percentile(finite, 97.5) : Number.NaN;
  return { mean, ciLow, ciHigh, samples: out };
}
