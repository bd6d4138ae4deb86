import { InvalidArgumentError } from '@conceptlab/core';
import { logGamma } from '@conceptlab/core/stats';

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * Upper tail of the hypergeometric distribution, P(X ≥ k), for X the number of marked items among `draws`
 * items drawn without replacement from `population` items of which `marked` are marked. Equals
 * `scipy.stats.hypergeom.sf(k − 1, population, marked, draws)`. Summed exactly over the support from k up
 * (terms via log-binomials, accumulated relative to the largest term).
 *
 * @throws InvalidArgumentError when the counts are not non-negative integers with marked, draws ≤ population.
 */
export function hypergeometricSf(k: number, population: number, marked: number, draws: number): number {
  for (const [name, v] of [['k', k], ['population', population], ['marked', marked], ['draws', draws]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new InvalidArgumentError(name, 'a non-negative integer', v);
  }
  if (marked > population) throw new InvalidArgumentError('marked', `at most population (${population})`, marked);
  if (draws > population) throw new InvalidArgumentError('draws', `at most population (${population})`, draws);
  const lo = Math.max(0, draws - (population - marked));
  const hi = Math.min(marked, draws);
  if (k <= lo) return 1;
  if (k > hi) return 0;
  const logDen = logChoose(population, draws);
  const terms: number[] = [];
  for (let x = k; x <= hi; x++) terms.push(logChoose(marked, x) + logChoose(population - marked, draws - x) - logDen);
  const m = Math.max(...terms);
  let s = 0;
  for (const t of terms) s += Math.exp(t - m);
  return Math.min(1, Math.exp(m) * s);
}
