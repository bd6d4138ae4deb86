import { InvalidArgumentError } from '../errors.js';

/** Arithmetic mean; NaN for no values (callers that report a number check the count first). */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  return s / n;
}

/**
 * Sample standard deviation (divides by n − 1, as MATLAB's `std` and numpy's `std(ddof=1)`), two-pass.
 * NaN for fewer than 2 values.
 */
export function sampleSd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/**
 * MATLAB's `prctile(x, p)` (Statistics Toolbox definition): with the n finite values sorted ascending,
 * x₁ … xₙ, the p-th percentile lies at position n·p/100 + 0.5, linearly interpolated between neighbours and
 * clamped to [x₁, xₙ]. For n = 1000: the 2.5th is (x₂₅ + x₂₆)/2 and the 97.5th (x₉₇₅ + x₉₇₆)/2.
 * NaN values are left out (MATLAB treats them as missing); NaN when no value is left.
 * (numpy's default percentile — position (n − 1)·p/100 — differs; the authors' scripts use this one.)
 *
 * @throws InvalidArgumentError when p is outside [0, 100].
 */
export function matlabPrctile(values: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new InvalidArgumentError('p', 'a percentile in [0, 100]', p);
  const x = Float64Array.from(values).filter((v) => !Number.isNaN(v)).sort();
  const n = x.length;
  if (n === 0) return NaN;
  const pos = (n * p) / 100 + 0.5; // 1-based
  if (pos <= 1) return x[0];
  if (pos >= n) return x[n - 1];
  const lo = Math.floor(pos), f = pos - lo;
  return f === 0 ? x[lo - 1] : x[lo - 1] + f * (x[lo] - x[lo - 1]);
}
