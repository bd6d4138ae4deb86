import { createRng, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { percentile } from '@conceptlab/core/stats';
import { compareRdms, compareVectors, type CompareMethod, type CompareOptions } from './compare.js';
import { checkRdm, rdmLength, type Rdm } from '../rdm/rdm.js';
import { subsampleVector } from '../rdm/subsample.js';

/** What {@link bootstrapModels} resamples. */
export type BootstrapOver = 'conditions' | 'subjects' | 'both';

/** Options of {@link bootstrapModels}. */
export interface ModelBootstrapOptions extends CompareOptions {
  /** `'conditions'` (rsatoolbox `bootstrap_sample_pattern`), `'subjects'` (`bootstrap_sample_rdm`) or `'both'` (`bootstrap_sample`); default `'subjects'`. */
  readonly over?: BootstrapOver;
  /** Number of bootstrap resamples (a positive integer; default 1000). */
  readonly samples?: number;
  /** Seed of the `createRng(seed)` stream that draws the resamples (default 0). */
  readonly seed?: number;
}

/** Result of {@link bootstrapModels}. */
export interface ModelBootstrapResult {
  readonly over: BootstrapOver;
  /** Per model: the mean over subjects of compare(model, subject) on the full data. */
  readonly mean: Float64Array;
  /** Per model: 2.5th percentile of the finite bootstrap evaluations (numpy 'linear'). */
  readonly ciLow: Float64Array;
  /** Per model: 97.5th percentile of the finite bootstrap evaluations. */
  readonly ciHigh: Float64Array;
  /**
   * Bootstrap evaluations, samples × models row-major (`evaluations[r * models + m]`), in draw order;
   * NaN where a resample left the comparator undefined.
   */
  readonly evaluations: Float64Array;
  readonly samples: number;
  readonly models: number;
}

/**
 * Bootstrap evaluation of several model RDMs against subject RDMs, as rsatoolbox's
 * `eval_bootstrap_rdm` / `eval_bootstrap_pattern` / `eval_bootstrap` with fixed (unfitted) models:
 * every resample is shared by all models, and its evaluation of a model is the mean over the sampled
 * subjects of compare(model, subject) (a subject drawn twice counts twice).
 *
 * Each resample draws, from `createRng(seed)`: for `'subjects'` and `'both'`, S subject indices with
 * replacement (`nextInt(S)` S times); then for `'conditions'` and `'both'`, n condition indices with
 * replacement (`nextInt(n)` n times), sorted, and model and subject RDMs are subsampled as
 * rsatoolbox's `subsample_pattern` (pairs of one condition picked twice are NaN, left out by the
 * comparators). `'conditions'` draws exactly as {@link bootstrapConditions}.
 *
 * @throws InvalidArgumentError with no models or subjects, fewer than 3 conditions, or bad options.
 * @throws ShapeError when the RDMs have different numbers of conditions.
 */
export function bootstrapModels(
  models: readonly Rdm[],
  subjects: readonly Rdm[],
  method: CompareMethod,
  options: ModelBootstrapOptions = {},
): ModelBootstrapResult {
  const { over = 'subjects', samples = 1000, seed = 0 } = options;
  if (models.length === 0) throw new InvalidArgumentError('models', 'at least one model RDM', 0);
  if (subjects.length === 0) throw new InvalidArgumentError('subjects', 'at least one subject RDM', 0);
  if (over !== 'conditions' && over !== 'subjects' && over !== 'both') throw new InvalidArgumentError('over', "'conditions', 'subjects' or 'both'", over);
  if (!Number.isInteger(samples) || samples < 1) throw new InvalidArgumentError('samples', 'a positive integer', samples);
  if (!Number.isInteger(seed)) throw new InvalidArgumentError('seed', 'an integer', seed);
  const n = models[0]!.n;
  if (n < 3) throw new InvalidArgumentError('models[0]', 'an RDM over at least 3 conditions', n);
  [...models, ...subjects].forEach((r, k) => {
    const name = k < models.length ? `models[${k}]` : `subjects[${k - models.length}]`;
    checkRdm(r, name);
    if (r.n !== n) throw new ShapeError(`${name} has ${r.n} conditions, models[0] has ${n}`);
  });
  const M = models.length;
  const S = subjects.length;
  // Full-data values (also the per-subject values for the subject bootstrap).
  const full = models.map((m) => subjects.map((s) => compareRdms(m, s, method, options)));
  const mean = Float64Array.from(full, (row) => row.reduce((a, b) => a + b, 0) / S);
  const rng = createRng(seed);
  const evaluations = new Float64Array(samples * M);
  const subjectPicks = new Int32Array(S);
  const picks = new Int32Array(n);
  const len = rdmLength(n);
  const mv = new Float64Array(len);
  const subs = subjects.map(() => new Float64Array(len));
  for (let r = 0; r < samples; r++) {
    if (over !== 'conditions') for (let s = 0; s < S; s++) subjectPicks[s] = rng.nextInt(S);
    else for (let s = 0; s < S; s++) subjectPicks[s] = s;
    if (over === 'subjects') {
      for (let m = 0; m < M; m++) {
        let sum = 0;
        for (let s = 0; s < S; s++) sum += full[m]![subjectPicks[s]!]!;
        evaluations[r * M + m] = sum / S;
      }
      continue;
    }
    for (let p = 0; p < n; p++) picks[p] = rng.nextInt(n);
    picks.sort();
    const used = new Set(subjectPicks);
    for (const s of used) subsampleVector(subjects[s]!, picks, subs[s]!);
    for (let m = 0; m < M; m++) {
      const modelSub = subsampleVector(models[m]!, picks, mv);
      const cache = new Map<number, number>();
      let sum = 0;
      for (let s = 0; s < S; s++) {
        const t = subjectPicks[s]!;
        let v = cache.get(t);
        if (v === undefined) {
          v = compareVectors(modelSub, subs[t]!, method, options);
          cache.set(t, v);
        }
        sum += v;
      }
      evaluations[r * M + m] = sum / S;
    }
  }
  const ciLow = new Float64Array(M);
  const ciHigh = new Float64Array(M);
  for (let m = 0; m < M; m++) {
    const finite: number[] = [];
    for (let r = 0; r < samples; r++) {
      const v = evaluations[r * M + m]!;
      if (Number.isFinite(v)) finite.push(v);
    }
    ciLow[m] = finite.length ? percentile(finite, 2.5) : Number.NaN;
    ciHigh[m] = finite.length ? percentile(finite, 97.5) : Number.NaN;
  }
  return { over, mean, ciLow, ciHigh, evaluations, samples, models: M };
}
