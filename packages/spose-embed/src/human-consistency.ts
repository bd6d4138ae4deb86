import { InvalidArgumentError, type Matrix, type NumericArray } from '@conceptlab/core';
import { compareSimilarity } from './similarity-fit.js';

/** A measured similarity (or dissimilarity) matrix from all answers and from the two halves of the answer list. */
export interface SimilarityHalves {
  readonly full: Matrix<NumericArray>;
  readonly firstHalf: Matrix<NumericArray>;
  readonly secondHalf: Matrix<NumericArray>;
}

/**
 * The CI of ρ:
 * - `paper` (the authors' draw_figure5a script): the bootstrap CI of r_mh shifted by (ρ − r_mh);
 * - `rescaled`: the bootstrap CI of r_mh divided by √(r_mm·r_hh), like ρ itself.
 */
export type ConsistencyCiMethod = 'paper' | 'rescaled';

export interface HumanConsistencyOptions {
  /** Bootstrap resamples of object pairs (default 1,000; at least 2). */
  readonly bootstrap?: number;
  /** Bootstrap seed (default 0). The same seed gives every model the same resampled pairs, as the authors' rng(2). */
  readonly seed?: number;
  /** Default `paper`. */
  readonly ci?: ConsistencyCiMethod;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

export interface HumanConsistency {
  /** ρ = r_mh / √(r_mm·r_hh). */
  readonly rho: number;
  readonly rhoCi: Interval | null;
  /** r between the model's and the humans' full matrices (lower triangles), with its bootstrap CI. */
  readonly rModelHuman: number;
  readonly rModelHumanCi: Interval | null;
  /** Split-half r of the model (first vs second half), not Spearman–Brown corrected. */
  readonly rModelModel: number;
  /** Split-half r of the humans: the paper's "Human" bar, with its CI from the same resampled pairs. */
  readonly rHumanHuman: number;
  readonly rHumanHumanCi: Interval | null;
  readonly pairs: number;
  readonly bootstrap: number;
  readonly seed: number;
  readonly method: {
    readonly ci: ConsistencyCiMethod;
    readonly correlationCi: 'paper';
    readonly reliability: 'split-half, no Spearman-Brown';
  };
}

/**
 * Human consistency (Rajalingham et al. 2018, as the authors' draw_figure5a_human_behavioral_consistency_barplot.m;
 * Du et al. 2025, Fig. 5a): how well a model's measured 48×48 similarity matches the humans', relative to how well
 * each agrees with itself.
 *
 * r_mh = r(lower triangles of model and human full matrices); r_mm, r_hh = r of each one's split halves (no
 * Spearman–Brown); ρ = r_mh/√(r_mm·r_hh). CIs: `bootstrap` resamples of object pairs (compareSimilarity with the
 * authors' Fisher-z CI), the same resampled pairs for r_mh and r_hh. The inputs are measured matrices (triplet-sampler's
 * measuredSimilarityHalves restricted to the 48), all of one size; similarity or dissimilarity (1 − S) give the
 * same r, as long as model and human are given the same way.
 *
 * @throws InvalidArgumentError when a correlation is undefined, or r_mm·r_hh ≤ 0 (ρ undefined); ShapeError for
 *   matrices of different sizes.
 */
export function humanConsistency(model: SimilarityHalves, human: SimilarityHalves, options: HumanConsistencyOptions = {}): HumanConsistency {
  const bootstrap = options.bootstrap ?? 1000;
  if (!Number.isInteger(bootstrap) || bootstrap < 2) throw new InvalidArgumentError('bootstrap', 'an integer ≥ 2', bootstrap);
  const seed = options.seed ?? 0;
  const ci = options.ci ?? 'paper';
  if (ci !== 'paper' && ci !== 'rescaled') throw new InvalidArgumentError('ci', "'paper' or 'rescaled'", ci);
  const mh = compareSimilarity(model.full, human.full, { bootstrap, seed });
  const hh = compareSimilarity(human.firstHalf, human.secondHalf, { bootstrap, seed });
  const mm = compareSimilarity(model.firstHalf, model.secondHalf, { bootstrap: 0 });
  for (const [name, fit] of [['r_mh', mh], ['r_hh', hh], ['r_mm', mm]] as const) {
    if (!Number.isFinite(fit.r)) throw new InvalidArgumentError(name, 'a defined correlation (matrices that vary over at least 2 finite pairs)', fit.r);
  }
  const rel = mm.r * hh.r;
  if (!(rel > 0)) throw new InvalidArgumentError('r_mm·r_hh', 'positive split-half reliabilities (ρ = r_mh/√(r_mm·r_hh))', `r_mm = ${mm.r}, r_hh = ${hh.r}`);
  const rho = mh.r / Math.sqrt(rel);
  const interval = (lo: number, hi: number): Interval | null => (Number.isFinite(lo) && Number.isFinite(hi) ? { low: lo, high: hi } : null);
  const mhCi = interval(mh.ciLow, mh.ciHigh);
  const rhoCi = mhCi === null ? null
    : ci === 'paper' ? { low: mhCi.low + (rho - mh.r), high: mhCi.high + (rho - mh.r) }
    : { low: mhCi.low / Math.sqrt(rel), high: mhCi.high / Math.sqrt(rel) };
  return {
    rho,
    rhoCi,
    rModelHuman: mh.r,
    rModelHumanCi: mhCi,
    rModelModel: mm.r,
    rHumanHuman: hh.r,
    rHumanHumanCi: interval(hh.ciLow, hh.ciHigh),
    pairs: mh.pairs,
    bootstrap,
    seed,
    method: { ci, correlationCi: 'paper', reliability: 'split-half, no Spearman-Brown' },
  };
}
