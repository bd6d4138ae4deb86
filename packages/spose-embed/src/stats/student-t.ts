/**
 * Student's t distribution and the special functions behind it, in float64:
 * log Γ (core's `logGamma`), the regularized incomplete beta function I_x(a, b) (continued
 * fraction, modified Lentz, as in Numerical Recipes §6.4), and the t CDF / survival function through
 *   P(T > t) = ½ · I_{ν/(ν+t²)}(ν/2, ½)   for t ≥ 0.
 * Agrees with scipy to ≈ 1e-12 relative for ν up to ~1000 (≈ 1e-10 at ν = 10⁶, where log Γ cancels);
 * see student-t.test.ts.
 */
import { InvalidArgumentError } from '@conceptlab/core';
import { logGamma, pearson } from '@conceptlab/core/stats';

/** Continued fraction of I_x(a, b) (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300, EPS = 1e-16, MAX_ITER = 10000;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  return h; // not converged: only for extreme a, b far outside this package's use
}

/** The regularized incomplete beta function I_x(a, b), for a, b > 0 and x ∈ [0, 1]. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0)) throw new InvalidArgumentError('a', 'a positive number', a);
  if (!(b > 0)) throw new InvalidArgumentError('b', 'a positive number', b);
  if (Number.isNaN(x)) return NaN;
  if (!(x >= 0 && x <= 1)) throw new InvalidArgumentError('x', 'a number in [0, 1]', x);
  return incompleteBeta(x, 1 - x, a, b);
}

/** I_x(a, b) given both x and y = 1 − x (the caller computes whichever is small without cancellation). */
function incompleteBeta(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(y));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(y, b, a)) / b;
}

/** P(|T| > |t|) = I_{ν/(ν+t²)}(ν/2, ½), with 1 − x = t²/(ν+t²) computed directly (exact for tiny t). */
function twoSidedTail(t: number, df: number): number {
  const t2 = t * t;
  return incompleteBeta(df / (df + t2), t2 / (df + t2), df / 2, 0.5);
}

function checkDf(df: number): void {
  if (!(df > 0)) throw new InvalidArgumentError('df', 'a positive number of degrees of freedom', df);
}

/** P(T > t) for Student's t with `df` degrees of freedom (scipy.stats.t.sf). */
export function studentTSf(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const tail = 0.5 * twoSidedTail(t, df); // P(T > |t|)
  return t >= 0 ? tail : 1 - tail;
}

/** P(T ≤ t) (scipy.stats.t.cdf). */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

/** Two-sided p-value of a t statistic: P(|T| ≥ |t|) = 2·sf(|t|). */
export function studentTTwoSidedP(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return twoSidedTail(t, df);
}

export interface LinearRegression {
  readonly slope: number;
  readonly intercept: number;
  /** Pearson correlation of x and y. */
  readonly r: number;
  /** Two-sided p-value of H0: slope = 0 (t test with n − 2 degrees of freedom). */
  readonly pValue: number;
  /** Standard error of the slope. */
  readonly stderr: number;
}

/**
 * Least-squares line y = intercept + slope·x, with the same conventions as scipy.stats.linregress
 * (r clipped to [−1, 1]; r = 0 when x or y is constant; the t statistic r·√(df / ((1 − r + 1e-20)(1 + r + 1e-20)));
 * with n = 2 the p-value is 1 for equal y and 0 otherwise). `x` defaults to 0, 1, …, n − 1.
 * @throws InvalidArgumentError for fewer than 2 points, x and y of different lengths, or constant x.
 */
export function linearRegression(y: ArrayLike<number>, x?: ArrayLike<number>): LinearRegression {
  const n = y.length;
  if (n < 2) throw new InvalidArgumentError('y', 'at least 2 values', n);
  if (x && x.length !== n) throw new InvalidArgumentError('x', `${n} values, as y`, x.length);
  const xi = (i: number) => (x ? x[i] : i);
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += xi(i);
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xi(i) - mx, dy = y[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  sxx /= n;
  sxy /= n;
  syy /= n;
  if (sxx === 0) throw new InvalidArgumentError('x', 'values that are not all equal', x ? x[0] : 0);
  // r is core's pearson (clipped to [−1, 1]); it is NaN for a constant y, which scipy.stats.linregress reports
  // as r = 0 — mapped here explicitly (x constant threw above; NaN in y stays NaN).
  let r = pearson(x ?? Float64Array.from({ length: n }, (_, i) => i), y);
  if (Number.isNaN(r) && !Number.isNaN(syy)) r = 0;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const df = n - 2;
  let pValue: number;
  let stderr: number;
  if (n === 2) {
    pValue = y[0] === y[1] ? 1 : 0;
    stderr = 0;
  } else {
    const TINY = 1e-20;
    const t = r * Math.sqrt(df / ((1 - r + TINY) * (1 + r + TINY)));
    pValue = studentTTwoSidedP(t, df);
    stderr = Math.sqrt(((1 - r * r) * syy) / sxx / df);
  }
  return { slope, intercept, r, pValue, stderr };
}
