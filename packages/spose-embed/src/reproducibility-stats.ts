import { createRng, fisherBootstrapCi, InvalidArgumentError } from '@conceptlab/core';
import type { MergedDim } from './merge.js';
import { pearson } from '@conceptlab/core/stats';

export interface ReproducibilityStatsOptions {
  /** Seeded random permutations for the rank test's p-value (default 100,000, as the authors). */
  readonly permutations?: number;
  /** Seeded bootstrap resamples of dims for the CI of r_rank (default 1,000, as the authors). */
  readonly bootstraps?: number;
  /** Seed: permutations use createRng(seed, 1), bootstraps createRng(seed, 2) (the authors: rng(1), rng(2)). Default 0. */
  readonly seed?: number;
}

/** One dim of the final embedding, for the reproducibility plot (the paper's Fig. 2e–g). */
export interface DimReproducibility {
  /** 1-based dim number (column of the merged embedding). */
  readonly dim: number;
  readonly run: number;
  readonly column: number;
  /** Each reference run's raw best r (null for an excluded own run): the points of the plot. */
  readonly runR: readonly (number | null)[];
  /** tanh(mean_z): the line of the plot. */
  readonly reproducibility: number;
  /** tanh(mean_z ± 1.96·SD_z/√runs): the band; null when not computable (`ciStatus`). */
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly ciStatus: MergedDim['ciStatus'];
}

export interface ReproducibilityRankTest {
  readonly method: 'r_rank = Pearson corr(1…k, ind), ind = stable descending argsort of reproducibility (1-based)';
  /** ind: dim numbers (1-based) from most to least reproducible (ties keep dim order). */
  readonly ind: readonly number[];
  readonly rRank: number;
  readonly permutation: {
    readonly method: 'one-sided upper tail: p = (1 + #{r_perm ≥ r_rank}) / (1 + permutations), r_perm = corr(random permutation of 1…k, ind)';
    readonly permutations: number;
    /** #{r_perm ≥ r_rank}. */
    readonly atLeast: number;
    readonly p: number;
  };
  readonly bootstrap: {
    readonly method: 'fisher-z normal approximation: tanh(atanh(r_rank) ± 1.96·SD(atanh r_b)), r_b = corr(s, ind(s)) over k dims s drawn with replacement';
    readonly bootstraps: number;
    /** Resamples with a finite atanh(r_b) (a resample of one repeated dim, or |r_b| = 1, is left out). */
    readonly used: number;
    /** null when not computable (`status`). */
    readonly low: number | null;
    readonly high: number | null;
    readonly status: 'ok' | 'not-computable: |r_rank| = 1' | 'not-computable: fewer than 2 usable resamples';
  };
}

export interface ReproducibilityStats {
  readonly dims: readonly DimReproducibility[];
  readonly rankTest: ReproducibilityRankTest;
}

/**
 * The authors' reproducibility statistics of a merged embedding (shared/docs/authors-procedures.md item 8;
 * draw_figure2e_dim_reproducibility_*.m): per dim, each reference run's raw best r, tanh(mean_z) and its CI
 * (as computed by {@link mergeRuns}, whose `method` says how the own run was treated), and the rank test —
 * does a dim's number (its position by column sum) go with its reproducibility rank?
 *
 * - ind = stable descending argsort of reproducibility (1-based); r_rank = corr(1…k, ind).
 * - p = (1 + #{r_perm ≥ r_rank}) / (1 + permutations), r_perm = corr(perm, ind) over seeded random permutations.
 * - CI: fisherBootstrapCi(r_rank, r_b) over `bootstraps` seeded resamples s (k dims with replacement),
 *   r_b = corr(s, ind(s)); resamples whose r_b is undefined or ±1 are left out and counted (`used`), where
 *   MATLAB's std would turn the whole CI into NaN.
 *
 * Bit-reproducible for a seed; MATLAB's Mersenne Twister draws are not reproduced, so p and the CI agree
 * with the authors' only within Monte-Carlo spread.
 *
 * @throws InvalidArgumentError for fewer than 3 dims or bad counts/seed.
 */
export function reproducibilityStats(dims: readonly MergedDim[], options: ReproducibilityStatsOptions = {}): ReproducibilityStats {
  const nPerm = options.permutations ?? 100_000;
  const nBoot = options.bootstraps ?? 1000;
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(nPerm) || nPerm < 1) throw new InvalidArgumentError('permutations', 'a positive integer', nPerm);
  // The resamples' r values are one typed array, at most 2^31 − 1 long.
  if (!Number.isSafeInteger(nBoot) || nBoot < 2 || nBoot > 2 ** 31 - 1) throw new InvalidArgumentError('bootstraps', 'an integer in [2, 2^31 − 1] (the resamples one typed array holds)', nBoot);
  const k = dims.length;
  if (k < 3) throw new InvalidArgumentError('dims', 'at least 3 merged dims for a rank correlation', k);

  const perDim: DimReproducibility[] = dims.map((d, i) => ({
    dim: i + 1,
    run: d.run,
    column: d.column,
    runR: d.runR,
    reproducibility: d.reproducibility,
    ciLow: d.ciLow,
    ciHigh: d.ciHigh,
    ciStatus: d.ciStatus,
  }));

  // Stable descending argsort (1-based).
  const ind = Float64Array.from(
    dims.map((_, i) => i).sort((a, b) => {
      const d = dims[b].reproducibility - dims[a].reproducibility;
      return d > 0 ? 1 : d < 0 ? -1 : 0;
    }),
    (i) => i + 1,
  );
  const numbers = Float64Array.from({ length: k }, (_, i) => i + 1);
  const rRank = pearson(numbers, ind);

  const permRng = createRng(seed, 1);
  const perm = new Float64Array(k);
  let atLeast = 0;
  for (let b = 0; b < nPerm; b++) {
    for (let i = 0; i < k; i++) perm[i] = i + 1;
    permRng.shuffle(perm);
    if (pearson(perm, ind) >= rRank) atLeast++;
  }

  const bootRng = createRng(seed, 2);
  const rb = new Float64Array(nBoot);
  const x = new Float64Array(k), y = new Float64Array(k);
  for (let b = 0; b < nBoot; b++) {
    for (let i = 0; i < k; i++) {
      const s = bootRng.nextInt(k);
      x[i] = s + 1;
      y[i] = ind[s];
    }
    rb[b] = pearson(x, y);
  }
  const ci = fisherBootstrapCi(rRank, rb);
  const status = !Number.isFinite(Math.atanh(rRank)) ? 'not-computable: |r_rank| = 1' : ci.used < 2 ? 'not-computable: fewer than 2 usable resamples' : 'ok';

  return {
    dims: perDim,
    rankTest: {
      method: 'r_rank = Pearson corr(1…k, ind), ind = stable descending argsort of reproducibility (1-based)',
      ind: Array.from(ind),
      rRank,
      permutation: {
        method: 'one-sided upper tail: p = (1 + #{r_perm ≥ r_rank}) / (1 + permutations), r_perm = corr(random permutation of 1…k, ind)',
        permutations: nPerm,
        atLeast,
        p: (1 + atLeast) / (1 + nPerm),
      },
      bootstrap: {
        method: 'fisher-z normal approximation: tanh(atanh(r_rank) ± 1.96·SD(atanh r_b)), r_b = corr(s, ind(s)) over k dims s drawn with replacement',
        bootstraps: nBoot,
        used: ci.used,
        low: status === 'ok' ? ci.low : null,
        high: status === 'ok' ? ci.high : null,
        status,
      },
    },
  };
}
