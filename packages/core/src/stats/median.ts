/**
 * The median, as `np.median`: the middle value of the sorted values, or the mean of the two middle values
 * ((a + b)/2) for an even count. NaN when any value is NaN (as numpy) and NaN for no values.
 */
export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values);
  const n = s.length;
  if (n === 0) return NaN;
  for (let k = 0; k < n; k++) if (Number.isNaN(s[k])) return NaN;
  s.sort();
  const m = n >> 1;
  return n % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
