import { InvalidArgumentError } from '@conceptlab/core';
import { benjaminiHochberg } from '@conceptlab/core/stats';

/** Result of {@link fdrCorrection}. */
export interface FdrResult {
  /** Whether each hypothesis is rejected at false discovery rate q (adjusted p ≤ q). */
  readonly rejected: boolean[];
  /** The BH-adjusted p values, in input order. */
  readonly adjusted: Float64Array;
}

/**
 * Benjamini–Hochberg step-up false discovery rate control with decisions at level q, as statsmodels'
 * `fdrcorrection(p, alpha=q)` (named after it; `@conceptlab/core/stats` has the bare adjusted values as
 * `benjaminiHochberg`). The adjusted p values are those of
 * `scipy.stats.false_discovery_control(p, method='bh')` and statsmodels' `fdrcorrection`:
 * for the ascending p_(1) ≤ … ≤ p_(m), adj_(i) = min_{j ≥ i} min(1, p_(j)·m/j).
 * A hypothesis is rejected when its adjusted p is ≤ q (equivalent to the step-up rule).
 * An empty input gives empty results. The adjusted values are `@conceptlab/core/stats`' `benjaminiHochberg`.
 *
 * @throws InvalidArgumentError when a p value is not in [0, 1] (NaN included) or q is not in (0, 1].
 */
export function fdrCorrection(pValues: ArrayLike<number>, q = 0.05): FdrResult {
  if (!(q > 0 && q <= 1)) throw new InvalidArgumentError('q', 'a number in (0, 1]', q);
  const adjusted = Float64Array.from(benjaminiHochberg(pValues));
  const rejected = Array.from(adjusted, (a) => a <= q);
  return { rejected, adjusted };
}
