import { InvalidArgumentError } from '../errors.js';

/**
 * Benjamini–Hochberg adjusted p-values (q-values) for false-discovery-rate control: with the m p-values sorted
 * ascending p₍₁₎ ≤ … ≤ p₍ₘ₎, q₍ᵢ₎ = min over j ≥ i of min(1, p₍ⱼ₎·m/j), returned in input order. Equals
 * `scipy.stats.false_discovery_control(p, method='bh')` and statsmodels' `fdrcorrection`. A hypothesis is
 * rejected at FDR level α exactly when its adjusted value is ≤ α (the step-up rule): callers that want the
 * decisions compute `q.map((v) => v <= alpha)`. An empty input gives an empty result.
 *
 * @throws InvalidArgumentError for a p-value outside [0, 1] (NaN included), naming its index.
 */
export function benjaminiHochberg(p: ArrayLike<number>): number[] {
  const m = p.length;
  for (let i = 0; i < m; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) throw new InvalidArgumentError(`p[${i}]`, 'a p-value in [0, 1]', p[i]);
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
  const q = new Array<number>(m);
  let run = 1;
  for (let r = m - 1; r >= 0; r--) {
    run = Math.min(run, (p[order[r]] * m) / (r + 1));
    q[order[r]] = run;
  }
  return q;
}
