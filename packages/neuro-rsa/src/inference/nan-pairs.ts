/** The pairs where neither vector is NaN (the inputs themselves when none is). Not part of the public API. */
export function dropNaNPairs(a: ArrayLike<number>, b: ArrayLike<number>): [Float64Array, Float64Array] {
  let m = 0;
  for (let k = 0; k < a.length; k++) if (!Number.isNaN(a[k]!) && !Number.isNaN(b[k]!)) m++;
  // Nothing to drop: the inputs themselves (the comparators only read them).
  if (m === a.length && a instanceof Float64Array && b instanceof Float64Array) return [a, b];
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  let j = 0;
  for (let k = 0; k < a.length; k++) {
    if (!Number.isNaN(a[k]!) && !Number.isNaN(b[k]!)) {
      x[j] = a[k]!;
      y[j++] = b[k]!;
    }
  }
  return [x, y];
}
