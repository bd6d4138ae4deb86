import type { SposeHyperParams } from './config.js';

/**
 * The per-step scalars of the dense Adam pass, each rounded to float32 as torch does when it applies a
 * Python scalar to a float32 tensor. Bias corrections are computed in float64 first, as torch.optim.Adam
 * computes them in Python: bc1 = 1 − β1^t, bc2 = 1 − β2^t, step size lr / bc1, √bc2.
 *
 * The update (float32 throughout, in the operation order of torch.optim.Adam ≥ 2.0, no weight decay,
 * no amsgrad: exp_avg.lerp_(g, 1 − β1); exp_avg_sq.mul_(β2).addcmul_(g, g, value=1 − β2);
 * denom = (exp_avg_sq.sqrt() / √bc2).add_(ε); param.addcdiv_(exp_avg, denom, value=−lr/bc1)):
 *   m ← m + (1 − β1)·(g − m)            (= β1·m + (1 − β1)·g)
 *   v ← v·β2 + ((1 − β2)·g)·g
 *   w ← w + (−lr/bc1 · m) / (√v / √bc2 + ε)
 * torch's vectorised CPU kernels may fuse some of these multiply-adds (FMA); we never do, so results
 * agree with torch to float32 rounding, not bit for bit.
 */
export interface AdamCoefficients {
  /** 1 − β1 */
  c1: number;
  /** β2 */
  b2: number;
  /** 1 − β2 */
  c2: number;
  /** √(1 − β2^t) */
  bc2Sqrt: number;
  eps: number;
  /** −lr / (1 − β1^t) */
  negStep: number;
  /** Penalty gradient of a negative weight (soft variant): −positivityWeight − λ/n. */
  gNeg: number;
  /** Penalty gradient of a positive weight (soft variant): λ/n. */
  gPos: number;
  /** Proximal variant: the shrink lr·λ/n applied after the Adam step before clamping at 0. */
  shrink: number;
}

export function createAdamCoefficients(): AdamCoefficients {
  return { c1: 0, b2: 0, c2: 0, bc2Sqrt: 0, eps: 0, negStep: 0, gNeg: 0, gPos: 0, shrink: 0 };
}

/**
 * Fill `out` with the coefficients of Adam step `t` (1-based: the first step is t = 1). No allocation.
 * `lrScale` multiplies the learning rate of this step (a schedule's factor; 1, the default, is plain Adam).
 */
export function adamCoefficients(h: SposeHyperParams, t: number, out: AdamCoefficients, lrScale = 1): AdamCoefficients {
  const f = Math.fround;
  const bc1 = 1 - Math.pow(h.beta1, t);
  const bc2 = 1 - Math.pow(h.beta2, t);
  const l1w = h.lambda / h.nObjects;
  out.c1 = f(1 - h.beta1);
  out.b2 = f(h.beta2);
  out.c2 = f(1 - h.beta2);
  out.bc2Sqrt = f(Math.sqrt(bc2));
  out.eps = f(h.eps);
  const lr = lrScale === 1 ? h.lr : h.lr * lrScale;
  out.negStep = f(-lr / bc1);
  out.gNeg = f(-h.positivityWeight - l1w);
  out.gPos = f(l1w);
  out.shrink = f(lr * l1w);
  return out;
}
