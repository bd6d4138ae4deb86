import { InvalidArgumentError } from '../errors.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * ln Γ(x) for x > 0 (`scipy.special.gammaln`): Lanczos approximation (g = 7, 9 terms), with the reflection
 * formula below ½. Agrees with scipy to ≈ 1e-13 relative (absolute near the zeros at 1 and 2).
 *
 * @throws InvalidArgumentError when x is not positive (NaN included).
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new InvalidArgumentError('x', 'a positive number', x);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x); // reflection
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}
