import { createRng } from '@conceptlab/core';
import { expectClose } from '../../../test-support/expect-close.js';
import { DEFAULT_HYPER, type SposeHyperParams } from '../src/config.js';
import type { StepLoss } from '../src/engine.js';
import { initWeights } from '../src/init.js';

/**
 * The tfjs engine's test scenarios, shared by its backends' specs (tfjs-engine.test.ts: wasm and cpu;
 * tfjs-engine.webgpu.test.ts): an independent float64 reference step, the scenarios and the agreement check.
 */

const REPORT = process.env.SPOSE_TFJS_REPORT === '1';

export function hyperOf(over: Partial<SposeHyperParams> & { nObjects: number }): SposeHyperParams {
  return { ...DEFAULT_HYPER, ...over };
}

/** `steps` batches of `B` triplets of 3 distinct objects, no triplet (as a set) twice in a batch. */
export function makeBatches(n: number, B: number, steps: number, seed: number): Int32Array[] {
  const rng = createRng(seed, 1);
  const out: Int32Array[] = [];
  for (let s = 0; s < steps; s++) {
    const batch = new Int32Array(3 * B);
    const seen = new Set<number>();
    for (let b = 0; b < B; ) {
      const t = rng.sampleWithoutReplacement(n, 3);
      const key = [...t].sort((x, y) => x - y).reduce((a, x) => a * n + x, 0);
      if (seen.has(key)) continue;
      seen.add(key);
      batch.set(t, 3 * b);
      b++;
    }
    out.push(batch);
  }
  return out;
}

/** N(mean, sd) weights (for the scenarios that need negative weights). */
export function normalWeights(n: number, D: number, mean: number, sd: number, seed: number): Float32Array {
  const rng = createRng(seed, 2);
  return Float32Array.from({ length: n * D }, () => rng.nextNormal(mean, sd));
}

/**
 * An independent float64 reference of one SPoSE step, written from the formulas (not from either engine):
 * loss = mean −log softmax(s/T)_0 + pw·Σ relu(−W) + (λ/n)·Σ|W|, autograd-style penalty gradients, torch Adam
 * (m = β1 m + (1−β1) g; v = β2 v + (1−β2) g²; W −= (lr/bc1)·m / (√v/√bc2 + ε)); proximal: penalties out of
 * the gradient, then W ← max(0, W − lr·λ/n), positivity reported as 0.
 */
export class ReferenceEngine {
  readonly W: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
  t = 0;
  constructor(
    readonly h: SposeHyperParams,
    init: Float32Array,
  ) {
    this.W = Float64Array.from(init);
    this.m = new Float64Array(init.length);
    this.v = new Float64Array(init.length);
  }

  step(batch: Int32Array): StepLoss {
    const { h, W, m, v } = this;
    const n = h.nObjects, D = h.dims, B = batch.length / 3, T = h.temperature;
    const euclid = h.similarity === 'euclidean-squared';
    const sim = (a: number, b: number) => {
      let s = 0;
      for (let d = 0; d < D; d++) {
        const x = W[a * D + d], y = W[b * D + d];
        s += euclid ? -(x - y) * (x - y) : x * y;
      }
      return s;
    };
    const G = new Float64Array(n * D);
    let ce = 0, correct = 0;
    for (let b = 0; b < B; b++) {
      const i = batch[3 * b], j = batch[3 * b + 1], k = batch[3 * b + 2];
      const s = [sim(i, j), sim(i, k), sim(j, k)];
      if (s[0] > s[1] && s[0] > s[2]) correct++;
      const z = s.map((x) => x / T);
      const mx = Math.max(...z);
      const e = z.map((x) => Math.exp(x - mx));
      const Z = e[0] + e[1] + e[2];
      ce += Math.log(Z) + mx - z[0];
      const gs = [(e[0] / Z - 1) / (B * T), e[1] / Z / (B * T), e[2] / Z / (B * T)];
      const pairs: [number, number, number][] = [[i, j, gs[0]], [i, k, gs[1]], [j, k, gs[2]]];
      for (const [a, c, g] of pairs) {
        for (let d = 0; d < D; d++) {
          const xa = W[a * D + d], xc = W[c * D + d];
          if (euclid) {
            G[a * D + d] += g * -2 * (xa - xc);
            G[c * D + d] += g * 2 * (xa - xc);
          } else {
            G[a * D + d] += g * xc;
            G[c * D + d] += g * xa;
          }
        }
      }
    }
    const l1w = h.lambda / n;
    let neg = 0, abs = 0;
    for (const w of W) {
      if (w < 0) neg -= w;
      abs += Math.abs(w);
    }
    const soft = h.positivity === 'soft';
    this.t++;
    const bc1 = 1 - h.beta1 ** this.t, bc2 = 1 - h.beta2 ** this.t;
    for (let x = 0; x < W.length; x++) {
      const w = W[x];
      let g = G[x];
      if (soft) g += l1w * Math.sign(w) + (w < 0 ? -h.positivityWeight : 0);
      m[x] = h.beta1 * m[x] + (1 - h.beta1) * g;
      v[x] = h.beta2 * v[x] + (1 - h.beta2) * g * g;
      W[x] = w - ((h.lr / bc1) * m[x]) / (Math.sqrt(v[x]) / Math.sqrt(bc2) + h.eps);
      if (!soft) W[x] = Math.max(0, W[x] - h.lr * l1w);
    }
    const crossEntropy = ce / B;
    const positivity = soft ? h.positivityWeight * neg : 0;
    const l1 = l1w * abs;
    return { crossEntropy, positivity, l1, total: crossEntropy + positivity + l1, correct };
  }
}

export interface Scenario {
  readonly label: string;
  readonly hyper: SposeHyperParams;
  readonly init: () => Float32Array;
}

export const N = 50, DIMS = 10, BATCH = 16, STEPS = 50;
export const SCENARIOS: Scenario[] = [
  { label: 'dot, soft', hyper: hyperOf({ nObjects: N, dims: DIMS }), init: () => initWeights(N, DIMS, 7) },
  { label: 'euclidean, soft', hyper: hyperOf({ nObjects: N, dims: DIMS, similarity: 'euclidean-squared' }), init: () => initWeights(N, DIMS, 8) },
  { label: 'dot, proximal', hyper: hyperOf({ nObjects: N, dims: DIMS, positivity: 'proximal' }), init: () => initWeights(N, DIMS, 9) },
  { label: 'euclidean, proximal', hyper: hyperOf({ nObjects: N, dims: DIMS, similarity: 'euclidean-squared', positivity: 'proximal' }), init: () => initWeights(N, DIMS, 10) },
  // Weights around 0 (negative ones exercise the positivity term and the proximal clamp), T ≠ 1, a larger λ and lr.
  {
    label: 'dot, soft, mixed-sign weights, T 0.5, λ 0.2, lr 5e-3',
    hyper: hyperOf({ nObjects: N, dims: DIMS, temperature: 0.5, lambda: 0.2, lr: 5e-3 }),
    init: () => normalWeights(N, DIMS, 0.03, 0.05, 11),
  },
  {
    label: 'euclidean, proximal, mixed-sign weights, T 2, λ 0.2, lr 5e-3',
    hyper: hyperOf({ nObjects: N, dims: DIMS, similarity: 'euclidean-squared', positivity: 'proximal', temperature: 2, lambda: 0.2, lr: 5e-3 }),
    init: () => normalWeights(N, DIMS, 0.03, 0.05, 12),
  },
];

export interface Run {
  readonly losses: StepLoss[];
  readonly weights: ArrayLike<number>;
}

export function runEngine(engine: { step(b: Int32Array): StepLoss }, batches: Int32Array[], weights: () => ArrayLike<number>): Run {
  const losses = batches.map((b) => engine.step(b));
  return { losses, weights: weights() };
}

export function maxRelLossDiff(a: StepLoss[], b: StepLoss[]): number {
  let worst = 0;
  for (let s = 0; s < a.length; s++) worst = Math.max(worst, Math.abs(a[s].total - b[s].total) / Math.max(Math.abs(b[s].total), 1e-12));
  return worst;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let x = 0; x < a.length; x++) worst = Math.max(worst, Math.abs(a[x] - b[x]));
  return worst;
}

/** The engines agree: losses within 1e-4 relative, weights within 1e-4 absolute (shared expectClose), same decisions. */
export function expectRunsClose(label: string, tfjs: Run, other: Run): void {
  if (REPORT) console.log(`${label}: max rel loss diff ${maxRelLossDiff(tfjs.losses, other.losses).toExponential(2)}, max abs weight diff ${maxAbsDiff(tfjs.weights, other.weights).toExponential(2)}`);
  expectClose(tfjs.losses.map((l) => l.total), other.losses.map((l) => l.total), { rel: 1e-4 });
  expectClose(tfjs.weights, other.weights, { abs: 1e-4 });
  expect(tfjs.losses.map((l) => l.correct)).toEqual(other.losses.map((l) => l.correct));
  for (let s = 0; s < tfjs.losses.length; s++) {
    // The proximal variant reports no positivity term; the soft one reports it (0 while all weights are ≥ 0).
    expect(Math.abs(tfjs.losses[s].positivity - other.losses[s].positivity)).toBeLessThanOrEqual(1e-4 * Math.abs(other.losses[s].total));
  }
}

