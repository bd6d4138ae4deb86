import type { AdamCoefficients } from '../adam.js';

/** Σ w of the row last passed to rowSoft (its second result, without allocating). */
const rowSum = new Float64Array(1);

/**
 * The dense half of a SPoSE step in plain JavaScript: one Adam update of every weight (see
 * {@link AdamCoefficients} for the formulas), fused with the penalty gradients and the penalty sums.
 *
 * Every operation is rounded to float32 (Math.fround; float32 +, −, ×, ÷, √ computed in float64 and
 * rounded once are correctly rounded), in the same order as the WebAssembly SIMD kernel
 * (assembly/adam.ts), so both kernels produce identical W, m and v.
 *
 * Row r's sparse cross-entropy gradient is row `rowSlot[r]` of G, or 0 when rowSlot[r] = −1.
 * Writes Σ max(−w, 0) and Σ |w| at the weights before the update to sums[0], sums[1] (float64; the
 * former as (Σ|w| − Σw)/2 per row, exact up to float64 rounding of the row sums). No allocation.
 */
export function adamDenseJs(
  W: Float32Array,
  M: Float32Array,
  V: Float32Array,
  G: Float32Array,
  rowSlot: Int32Array,
  n: number,
  D: number,
  k: AdamCoefficients,
  proximal: boolean,
  sums: Float64Array,
): void {
  const c1 = k.c1, b2 = k.b2, c2 = k.c2, bc2s = k.bc2Sqrt, eps = k.eps, negStep = k.negStep;
  let pos = 0, abs = 0;
  for (let r = 0; r < n; r++) {
    const s = rowSlot[r];
    const x0 = r * D;
    if (proximal) {
      abs += s >= 0
        ? rowProximal(W, M, V, G, x0, s * D, true, D, c1, b2, c2, bc2s, eps, negStep, k.shrink)
        : rowProximal(W, M, V, G, x0, 0, false, D, c1, b2, c2, bc2s, eps, negStep, k.shrink);
    } else {
      const a = s >= 0
        ? rowSoft(W, M, V, G, x0, s * D, true, D, c1, b2, c2, bc2s, eps, negStep, k.gNeg, k.gPos)
        : rowSoft(W, M, V, G, x0, 0, false, D, c1, b2, c2, bc2s, eps, negStep, k.gNeg, k.gPos);
      abs += a;
      pos += 0.5 * (a - rowSum[0]); // Σ max(−w, 0) = (Σ|w| − Σw) / 2
    }
  }
  sums[0] = pos;
  sums[1] = abs;
}

/** Soft variant, one row; returns Σ |w| of the old row and leaves Σ w in rowSum[0]. */
function rowSoft(
  W: Float32Array, M: Float32Array, V: Float32Array, G: Float32Array, x0: number, g0: number, hasG: boolean, D: number,
  c1: number, b2: number, c2: number, bc2s: number, eps: number, negStep: number, gNeg: number, gPos: number,
): number {
  const fr = Math.fround;
  let abs = 0, sum = 0;
  for (let d = 0; d < D; d++) {
    const x = x0 + d;
    const w = W[x];
    abs += Math.abs(w);
    sum += w;
    const pen = w < 0 ? gNeg : w > 0 ? gPos : 0;
    const g = hasG ? fr(G[g0 + d] + pen) : pen;
    const m0 = M[x];
    const m1 = fr(m0 + fr(c1 * fr(g - m0)));
    M[x] = m1;
    const v1 = fr(fr(V[x] * b2) + fr(fr(c2 * g) * g));
    V[x] = v1;
    const den = fr(fr(fr(Math.sqrt(v1)) / bc2s) + eps);
    W[x] = w + fr(fr(negStep * m1) / den); // the store rounds the sum to float32
  }
  rowSum[0] = sum;
  return abs;
}

/** Proximal variant, one row: Adam on the cross-entropy gradient, then w ← max(0, w − shrink). Returns Σ |w| of the old row. */
function rowProximal(
  W: Float32Array, M: Float32Array, V: Float32Array, G: Float32Array, x0: number, g0: number, hasG: boolean, D: number,
  c1: number, b2: number, c2: number, bc2s: number, eps: number, negStep: number, shrink: number,
): number {
  const fr = Math.fround;
  let abs = 0;
  for (let d = 0; d < D; d++) {
    const x = x0 + d;
    const w = W[x];
    abs += Math.abs(w);
    const g = hasG ? G[g0 + d] : 0;
    const m0 = M[x];
    const m1 = fr(m0 + fr(c1 * fr(g - m0)));
    M[x] = m1;
    const v1 = fr(fr(V[x] * b2) + fr(fr(c2 * g) * g));
    V[x] = v1;
    const den = fr(fr(fr(Math.sqrt(v1)) / bc2s) + eps);
    const w1 = fr(w + fr(fr(negStep * m1) / den));
    W[x] = Math.max(0, fr(w1 - shrink));
  }
  return abs;
}
