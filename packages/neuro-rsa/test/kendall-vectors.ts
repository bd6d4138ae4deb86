// Deterministic test vectors for the Kendall tau tests (one-thread and two-thread), shared so both test the same inputs.

/** MINSTD (s ← 48271·s mod 2³¹−1, u = s / (2³¹−1)): exact in float64, so python computes the same vectors. */
export function lcg(seed: number, n: number): Float64Array {
  let s = seed;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    s = (s * 48271) % 2147483647;
    out[k] = s / 2147483647;
  }
  return out;
}

/** x = ⌊u·levels⌋/4 − 1, y = ⌊(0.6u + 0.4v)·levels⌋/4 − 1: correlated, with ties and negative values. */
export function vectors(seed: number, m: number, levels: number): [Float64Array, Float64Array] {
  const u = lcg(seed, 2 * m);
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    x[k] = Math.floor(u[k]! * levels) / 4 - 1;
    y[k] = Math.floor((u[k]! * 0.6 + u[m + k]! * 0.4) * levels) / 4 - 1;
  }
  return [x, y];
}
