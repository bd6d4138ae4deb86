import { InvalidArgumentError } from '../errors.js';

/**
 * numpy's default percentile, `np.percentile(values, q)` (method 'linear', the R-7 definition): with the n
 * values sorted ascending x₀ … xₙ₋₁, the q-th percentile lies at position h = (n − 1)·q/100, interpolated
 * between x⌊h⌋ and x⌊h⌋₊₁ with numpy's `_lerp` (a + (b − a)·t, or b − (b − a)·(1 − t) when t ≥ 0.5), numpy's own
 * formula. q = 50 is the median up to rounding (use {@link median} for that).
 * NaN when any value is NaN (as numpy) and NaN for no values (numpy raises; see the degenerate-input rule
 * in ./index.ts). This differs from MATLAB's `prctile` ({@link matlabPrctile}: position n·q/100 + 0.5),
 * which the authors' scripts use.
 *
 * @throws InvalidArgumentError when q is outside [0, 100].
 */
export function percentile(values: ArrayLike<number>, q: number): number {
  checkQ(q);
  const a = Float64Array.from(values);
  for (let k = 0; k < a.length; k++) if (Number.isNaN(a[k])) return NaN;
  return lerpAt(a.sort(), q);
}

/**
 * {@link percentile} of values the caller has already sorted ascending (no copy, no sort, no NaN check:
 * for many percentiles of one sample). NaN for no values.
 *
 * @throws InvalidArgumentError when q is outside [0, 100].
 */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  checkQ(q);
  return lerpAt(sorted, q);
}

function checkQ(q: number): void {
  if (!(q >= 0 && q <= 100)) throw new InvalidArgumentError('q', 'a percentile in [0, 100]', q);
}

function lerpAt(x: ArrayLike<number>, q: number): number {
  const n = x.length;
  if (n === 0) return NaN;
  const h = ((n - 1) * q) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const t = h - lo;
  const a = x[lo], b = x[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
