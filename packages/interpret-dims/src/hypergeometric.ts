import { InvalidArgumentError } from '@conceptlab/core';
import { logGamma } from '@conceptlab/spose-embed';

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

/**
 * Benjamini–Hochberg adjusted p-values (q-values) for FDR control: q_(i) = min over j ≥ i of p_(j)·m/j
 * (sorted ascending, 1-based ranks), capped at 1, returned in input order. Equals
 * `scipy.stats.false_discovery_control(p, method='bh')` and statsmodels `fdr_bh`.
 *
 * @throws InvalidArgumentError for a p-value outside [0, 1] (NaN included).
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const m = p.length;
  p.forEach((v, i) => {
    if (!(v >= 0 && v <= 1)) throw new InvalidArgumentError(`p[${i}]`, 'a p-value in [0, 1]', v);
  });
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
  const q = new Array<number>(m);
  let run = 1;
  for (let r = m - 1; r >= 0; r--) {
    run = Math.min(run, (p[order[r]] * m) / (r + 1));
    q[order[r]] = run;
  }
  return q;
}
