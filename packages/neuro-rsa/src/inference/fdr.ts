import { InvalidArgumentError } from '@conceptlab/core';

/** Result of {@link benjaminiHochberg}. */
export interface FdrResult {
  /** Whether each hypothesis is rejected at false discovery rate q (adjusted p ≤ q). */
  readonly rejected: boolean[];
  /** The BH-adjusted p values, in input order. */
  readonly adjusted: Float64Array;
}

/**
 * Benjamini–Hochberg step-up false discovery rate control. The adjusted p values are those of
 * `scipy.stats.false_discovery_control(p, method='bh')` and statsmodels' `fdrcorrection`:
 * for the ascending p_(1) ≤ … ≤ p_(m), adj_(i) = min_{j ≥ i} min(1, p_(j)·m/j).
 * A hypothesis is rejected when its adjusted p is ≤ q (equivalent to the step-up rule).
 * An empty input gives empty results.
 *
 * @throws InvalidArgumentError when a p value is not in [0, 1] (NaN included) or q is not in (0, 1].
 */
export function benjaminiHochberg(pValues: ArrayLike<number>, q = 0.05): FdrResult {
  if (!(q > 0 && q <= 1)) throw new InvalidArgumentError('q', 'a number in (0, 1]', q);
  const m = pValues.length;
  for (let k = 0; k < m; k++) {
    const p = pValues[k]!;
    if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError(`pValues[${k}]`, 'a p value in [0, 1]', p);
  }
  const order = Array.from({ length: m }, (_, k) => k).sort((i, j) => pValues[i]! - pValues[j]! || i - j);
  const adjusted = new Float64Array(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const k = order[r]!;
    const v = (pValues[k]! * m) / (r + 1);
    if (v < running) running = v;
    adjusted[k] = running;
  }
  const rejected = Array.from(adjusted, (a) => a <= q);
  return { rejected, adjusted };
}
