import { InvalidArgumentError, sampleSd, ShapeError } from '@conceptlab/core';
import { compareRdms, type CompareMethod, type CompareOptions } from './compare.js';
import { comparePairsByBootstrap, type ModelPairComparison } from './model-comparison.js';
import { rdmNoiseCeiling, type RdmNoiseCeiling } from './noise-ceiling.js';
import { normaliseByCeiling } from './repeat-noise-ceiling.js';
import { bootstrapModels, type BootstrapOver } from './subject-bootstrap.js';
import type { Rdm } from '../rdm/rdm.js';

/** Options of {@link evaluateModels}. */
export interface EvaluateModelsOptions extends CompareOptions {
  /** The comparator (default `'cosine'`, as rsatoolbox's `eval_fixed`). */
  readonly method?: CompareMethod;
  /**
   * Bootstrap uncertainty: rsatoolbox's `eval_bootstrap_pattern` (`over: 'conditions'`), `eval_bootstrap_rdm`
   * (`'subjects'`) or `eval_bootstrap` (`'both'`), drawn as {@link bootstrapModels}. Absent: no bootstrap.
   */
  readonly bootstrap?: { readonly over: BootstrapOver; readonly samples: number; readonly seed: number };
  /** Also the noise ceiling of the data RDMs ({@link rdmNoiseCeiling}; needs ≥ 2 data RDMs). `true` = rsatoolbox pooling. */
  readonly noiseCeiling?: boolean | { readonly pooling: 'rsatoolbox' | 'mean' };
  /**
   * Pairwise model comparisons from the bootstrap ({@link comparePairsByBootstrap}) with Benjamini–Hochberg FDR
   * control at level `fdr` over the pairs. Needs `bootstrap` and ≥ 2 models.
   */
  readonly compareModels?: { readonly fdr: number };
  /**
   * Also every value (and CI) divided by a ceiling ({@link normaliseByCeiling}): the `'upper'` or `'lower'`
   * bound of the noise ceiling of the data RDMs (computed even without `noiseCeiling`), or a positive number
   * (e.g. a repeat-based ceiling).
   */
  readonly normalize?: 'upper' | 'lower' | number;
}

/** The bootstrap part of a {@link ModelEvaluation}. */
export interface ModelEvaluationBootstrap {
  readonly over: BootstrapOver;
  readonly samples: number;
  readonly seed: number;
  /** Per model: 2.5th / 97.5th percentiles of the finite bootstrap evaluations (numpy 'linear'). */
  readonly ciLow: Float64Array;
  readonly ciHigh: Float64Array;
  /** Bootstrap evaluations, samples × models row-major, NaN where a resample left the comparator undefined. */
  readonly evaluations: Float64Array;
}

/** The result of {@link evaluateModels}, after rsatoolbox's `inference.Result`. */
export interface ModelEvaluation {
  readonly method: CompareMethod;
  /** `values[model][data]` = compare(model RDM, data RDM) on the full data. */
  readonly values: readonly (readonly number[])[];
  /** Per model: the mean of `values[model]` over the data RDMs (rsatoolbox's `eval_fixed` evaluation). */
  readonly mean: Float64Array;
  /**
   * Per model: the standard error of that mean over the data RDMs (sample SD / √S, as the variance `eval_fixed`
   * reports over subjects); NaN with fewer than 2 data RDMs.
   */
  readonly standardError: Float64Array;
  readonly bootstrap?: ModelEvaluationBootstrap;
  readonly noiseCeiling?: RdmNoiseCeiling & { readonly pooling: 'rsatoolbox' | 'mean' };
  /** Pairs a < b of model indices: difference, bootstrap CI, two-sided p, BH-adjusted p, significance at `fdr`. */
  readonly pairs?: readonly ModelPairComparison[];
  readonly fdr?: number;
  readonly normalized?: {
    readonly by: 'upper' | 'lower' | number;
    readonly ceiling: number;
    /** `values` divided by the ceiling (NaN when the ceiling is not positive). */
    readonly values: readonly (readonly number[])[];
    /** The bootstrap mean and CI divided by the ceiling, when there is a bootstrap. */
    readonly ci?: readonly { readonly mean: number; readonly low: number; readonly high: number }[];
  };
}

/**
 * Evaluates fixed model RDMs against data RDMs (one per subject), as rsatoolbox's `inference/evaluate.py`
 * (`eval_fixed`, and `eval_bootstrap_pattern` / `eval_bootstrap_rdm` / `eval_bootstrap` when `bootstrap` is
 * given): the similarity of every model to every data RDM under `method` and its mean over the data RDMs,
 * optionally bootstrap CIs, the noise ceiling, pairwise model comparisons with BH-FDR, and values normalised
 * by a ceiling — one result object.
 *
 * @throws InvalidArgumentError with no model or data RDMs, `compareModels` without `bootstrap` or with fewer
 *   than 2 models, a noise ceiling with fewer than 2 data RDMs, or a `normalize` that is not `'upper'`,
 *   `'lower'` or a positive number.
 * @throws ShapeError when the RDMs have different numbers of conditions.
 */
export function evaluateModels(dataRdms: readonly Rdm[], modelRdms: readonly Rdm[], options: EvaluateModelsOptions = {}): ModelEvaluation {
  const { method = 'cosine', bootstrap, compareModels, normalize } = options;
  if (modelRdms.length === 0) throw new InvalidArgumentError('modelRdms', 'at least one model RDM', 0);
  if (dataRdms.length === 0) throw new InvalidArgumentError('dataRdms', 'at least one data RDM', 0);
  const n = dataRdms[0]!.n;
  [...modelRdms, ...dataRdms].forEach((r, k) => {
    const name = k < modelRdms.length ? `modelRdms[${k}]` : `dataRdms[${k - modelRdms.length}]`;
    if (r.n !== n) throw new ShapeError(`${name} has ${r.n} conditions, dataRdms[0] has ${n}`);
  });
  if (compareModels && !bootstrap) throw new InvalidArgumentError('compareModels', 'a bootstrap (options.bootstrap)', 'none');
  if (compareModels && modelRdms.length < 2) throw new InvalidArgumentError('modelRdms', 'at least 2 model RDMs to compare', modelRdms.length);
  if (normalize !== undefined && normalize !== 'upper' && normalize !== 'lower' && !(typeof normalize === 'number' && normalize > 0)) {
    throw new InvalidArgumentError('normalize', "'upper', 'lower' or a positive number", normalize);
  }
  const compareOptions: CompareOptions = options.sigmaK === undefined ? {} : { sigmaK: options.sigmaK };
  const values = modelRdms.map((m) => dataRdms.map((d) => compareRdms(m, d, method, compareOptions)));
  const mean = Float64Array.from(values, (row) => row.reduce((s, v) => s + v, 0) / row.length);
  const standardError = Float64Array.from(values, (row) => sampleSd(row) / Math.sqrt(row.length));

  const wantCeiling = Boolean(options.noiseCeiling) || normalize === 'upper' || normalize === 'lower';
  const pooling = typeof options.noiseCeiling === 'object' ? options.noiseCeiling.pooling : 'rsatoolbox';
  const nc = wantCeiling ? { ...rdmNoiseCeiling(dataRdms, method, { ...compareOptions, pooling }), pooling } : undefined;

  const boot = bootstrap
    ? bootstrapModels(modelRdms, dataRdms, method, { ...compareOptions, over: bootstrap.over, samples: bootstrap.samples, seed: bootstrap.seed })
    : undefined;
  const pairs = boot && compareModels ? comparePairsByBootstrap(boot, compareModels.fdr) : undefined;

  const ceiling = normalize === undefined ? undefined : normalize === 'upper' || normalize === 'lower' ? nc![normalize] : normalize;
  const normalized = ceiling === undefined
    ? undefined
    : {
        by: normalize!,
        ceiling,
        values: values.map((row) => normaliseByCeiling(row, ceiling)),
        ...(boot
          ? {
              ci: modelRdms.map((_, i) => {
                const [m, low, high] = normaliseByCeiling([boot.mean[i]!, boot.ciLow[i]!, boot.ciHigh[i]!], ceiling) as [number, number, number];
                return { mean: m, low, high };
              }),
            }
          : {}),
      };
  return {
    method,
    values,
    mean,
    standardError,
    ...(boot ? { bootstrap: { over: boot.over, samples: bootstrap!.samples, seed: bootstrap!.seed, ciLow: boot.ciLow, ciHigh: boot.ciHigh, evaluations: boot.evaluations } } : {}),
    ...(nc ? { noiseCeiling: nc } : {}),
    ...(pairs ? { pairs, fdr: compareModels!.fdr } : {}),
    ...(normalized ? { normalized } : {}),
  };
}
