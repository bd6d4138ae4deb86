import { createRng, fisherBootstrapCi, InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { pearson, percentileSorted } from '@conceptlab/core/stats';

/**
 * The bootstrap CI of a correlation:
 * - `paper` (the authors' draw_figure2b–2d and 5a scripts): tanh(atanh(r) ± 1.96·SD of atanh(r_b)), a normal
 *   approximation centred on the observed r (core's `fisherBootstrapCi`);
 * - `percentile`: tanh of the 2.5th and 97.5th percentiles of atanh(r_b) (numpy's linear interpolation).
 */
export type CorrelationCiMethod = 'paper' | 'percentile';

export interface CompareSimilarityOptions {
  /** Bootstrap resamples of object pairs for the CI (default 1,000; 0 = no CI). */
  readonly bootstrap?: number;
  /** Seed of the bootstrap (default 0); the result is reproducible bit for bit. */
  readonly seed?: number;
  /** How the CI is formed from the bootstrap (default `paper`). */
  readonly ci?: CorrelationCiMethod;
}

export interface SimilarityFit {
  /** Pearson r between the lower triangles (i > j) over the pairs used. NaN with fewer than 2 pairs or no variance. */
  readonly r: number;
  /** Pairs used: off-diagonal lower-triangle entries where both matrices are finite (unmeasured pairs are NaN). */
  readonly pairs: number;
  /** Lower-triangle pairs skipped because one of the two values is not finite. */
  readonly skipped: number;
  /** 95% CI by `ciMethod`. NaN without bootstrap (or with fewer than 2 usable resamples). */
  readonly ciLow: number;
  readonly ciHigh: number;
  /** The CI method used. */
  readonly ciMethod: CorrelationCiMethod;
  /** Bootstrap resamples that gave a defined r (a resample with no variance gives none; it is left out; with the `paper` CI also those with |r_b| = 1). */
  readonly bootstrapUsed: number;
}

/** Bootstrap r are clamped to ±(1 − this) before atanh so a perfect resample gives a finite z. */
const Z_CLAMP = 1e-15;

/**
 * How well a predicted similarity matrix matches a measured one — the paper's r48 (Du et al. 2025:
 * "Pearson r between lower triangles of predicted and measured 48×48 matrices; CI from 1,000 bootstraps over
 * object pairs (Fisher z)").
 *
 * - Pairs: the strict lower triangle (i > j) of both square matrices of the same size, in the authors' column-major
 *   order (see lowerTriangle); only the lower triangle is read, so `measured` need not be symmetric. A pair is used when both values are finite: a NaN in `measured`
 *   marks a pair never shown together (measuredSimilarity); the count used and skipped is reported.
 * - Bootstrap: `bootstrap` resamples of the used pairs with replacement (createRng(seed); resample b draws its
 *   `pairs` indices with nextInt(pairs), b = 0, 1, …), r_b per resample (a resample without variance is left out).
 * - CI `paper` (default): tanh(atanh(r) ± 1.96·SD(atanh r_b)) (fisherBootstrapCi; resamples with |r_b| = 1 are left
 *   out there). CI `percentile`: r_b clamped to ±(1 − 1e−15), the 2.5th and 97.5th percentiles of atanh(r_b)
 *   (numpy's linear interpolation) back-transformed with tanh.
 *
 * Cost: bootstrap × pairs random draws (1,000 × 1,128 for 48 objects; ~1.7·10⁹ for all 1,854 objects).
 *
 * @throws ShapeError when the matrices are not square of the same size; InvalidArgumentError for a bad
 *   bootstrap count or seed.
 */
export function compareSimilarity(predicted: Matrix<NumericArray>, measured: Matrix<NumericArray>, options: CompareSimilarityOptions = {}): SimilarityFit {
  const B = options.bootstrap ?? 1000;
  // Each resample keeps its r and z in one typed array, at most 2^31 − 1 long.
  if (!Number.isInteger(B) || B < 0 || B > 2 ** 31 - 1) throw new InvalidArgumentError('bootstrap', 'an integer in [0, 2^31 − 1] (the resamples one typed array holds)', B);
  const n = predicted.rows;
  if (predicted.cols !== n) throw new ShapeError(`predicted similarity is ${predicted.rows}×${predicted.cols}, not square`);
  if (measured.rows !== n || measured.cols !== n) throw new ShapeError(`measured similarity is ${measured.rows}×${measured.cols}; predicted is ${n}×${n}`);
  if (predicted.data.length !== n * n || measured.data.length !== n * n) throw new ShapeError('a similarity matrix has data of the wrong length');
  const ciMethod = options.ci ?? 'paper';
  if (ciMethod !== 'paper' && ciMethod !== 'percentile') throw new InvalidArgumentError('ci', "'paper' or 'percentile'", ciMethod);
  const rng = createRng(options.seed ?? 0);

  const total = (n * (n - 1)) / 2;
  const x = new Float64Array(total), y = new Float64Array(total);
  let m = 0;
  for (let j = 0; j < n; j++) {
    for (let i = j + 1; i < n; i++) {
      const a = predicted.data[i * n + j], b = measured.data[i * n + j];
      if (Number.isFinite(a) && Number.isFinite(b)) {
        x[m] = a;
        y[m] = b;
        m++;
      }
    }
  }
  // Centre on the full-sample means, so the one-pass sums of every resample lose little to cancellation.
  let mx = 0, my = 0;
  for (let t = 0; t < m; t++) { mx += x[t]; my += y[t]; }
  mx = m ? mx / m : 0;
  my = m ? my / m : 0;
  for (let t = 0; t < m; t++) { x[t] -= mx; y[t] -= my; }
  const r = m >= 2 ? pearson(x.subarray(0, m), y.subarray(0, m)) : NaN;

  let ciLow = NaN, ciHigh = NaN, used = 0;
  if (B > 0 && m >= 2) {
    const z = new Float64Array(B);
    const rb = new Float64Array(B);
    const lim = 1 - Z_CLAMP;
    for (let b = 0; b < B; b++) {
      let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
      for (let t = 0; t < m; t++) {
        const k = rng.nextInt(m);
        const u = x[k], v = y[k];
        sx += u; sy += v; sxx += u * u; syy += v * v; sxy += u * v;
      }
      const cxy = sxy - (sx * sy) / m, cxx = sxx - (sx * sx) / m, cyy = syy - (sy * sy) / m;
      const r1 = cxy / Math.sqrt(cxx * cyy);
      if (!(cxx > 0 && cyy > 0) || Number.isNaN(r1)) continue;
      rb[used] = r1 > 1 ? 1 : r1 < -1 ? -1 : r1;
      z[used++] = Math.atanh(Math.min(lim, Math.max(-lim, r1)));
    }
    if (ciMethod === 'paper') {
      const ci = fisherBootstrapCi(r, rb.subarray(0, used));
      used = ci.used;
      if (Number.isFinite(ci.low) && Number.isFinite(ci.high)) {
        ciLow = ci.low;
        ciHigh = ci.high;
      }
    } else if (used > 0) {
      const zs = z.subarray(0, used).sort();
      ciLow = Math.tanh(percentileSorted(zs, 2.5));
      ciHigh = Math.tanh(percentileSorted(zs, 97.5));
    }
  }
  return { r, pairs: m, skipped: total - m, ciLow, ciHigh, ciMethod, bootstrapUsed: used };
}
