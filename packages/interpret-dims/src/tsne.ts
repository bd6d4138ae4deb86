import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { checkDissimilarity, classicalMds, smacof } from './mds.js';

// Local bindings: a global `Math` lookup inside a hot loop is slow in vm contexts (e.g. jest).
const { exp, log, abs } = Math;

/**
 * Conditional Gaussian affinities p_{j|i} ∝ exp(−β_i d_ij²) calibrated by bisection on β_i so that the
 * entropy of row i equals log(perplexity) (natural log; van der Maaten & Hinton 2008), until
 * |H − log(perplexity)| < `tolerance` (default 1e-5, as scikit-learn) or 200 steps. `distances` are the
 * (non-squared) distances; the diagonal is ignored. Returns the n × n row-stochastic matrix P_{j|i}
 * (row i, column j), zero diagonal.
 *
 * @throws InvalidArgumentError when perplexity is not in (1, n − 1] or the tolerance is not positive.
 */
export function conditionalAffinities(distances: Matrix<NumericArray>, perplexity: number, tolerance = 1e-5): Float64Array {
  const n = distances.rows;
  if (distances.cols !== n) throw new ShapeError(`t-SNE: a square distance matrix is needed, got ${n}×${distances.cols}`);
  if (!(perplexity > 1 && perplexity <= n - 1)) throw new InvalidArgumentError('perplexity', `a number in (1, ${n - 1}] (objects − 1)`, perplexity);
  if (!(tolerance > 0)) throw new InvalidArgumentError('tolerance', 'a positive number', tolerance);
  const target = log(perplexity);
  const P = new Float64Array(n * n);
  const d2 = new Float64Array(n - 1);
  const e = new Float64Array(n - 1);
  const D = distances.data;
  for (let i = 0; i < n; i++) {
    // Squared distances to the others, shifted by the smallest (cancels in the normalisation, avoids underflow).
    let dmin = Infinity;
    for (let j = 0, t = 0; j < n; j++) {
      if (j === i) continue;
      const v = D[i * n + j] * D[i * n + j];
      d2[t++] = v;
      if (v < dmin) dmin = v;
    }
    for (let t = 0; t < n - 1; t++) d2[t] -= dmin;
    let beta = 1, lo = 0, hi = Infinity, z = 1;
    for (let step = 0; step < 200; step++) {
      z = 0;
      let s = 0;
      for (let t = 0; t < n - 1; t++) {
        const v = exp(-beta * d2[t]);
        e[t] = v;
        z += v;
        s += v * d2[t];
      }
      const diff = log(z) + (beta * s) / z - target;
      if (abs(diff) < tolerance) break;
      if (diff > 0) { lo = beta; beta = hi === Infinity ? beta * 2 : (beta + hi) / 2; }
      else { hi = beta; beta = (beta + lo) / 2; }
    }
    for (let j = 0, t = 0; j < n; j++) {
      if (j === i) continue;
      P[i * n + j] = e[t++] / z;
    }
  }
  return P;
}

/**
 * Joint t-SNE affinities with multiscale perplexity (Lee et al. 2015; openTSNE's `multiscale`): the mean of the
 * conditional affinity matrices of each perplexity, symmetrised p_ij = (p_{j|i} + p_{i|j}) / 2n. Sums to 1.
 */
export function jointAffinities(distances: Matrix<NumericArray>, perplexities: readonly number[], tolerance = 1e-5): Float64Array {
  if (perplexities.length === 0) throw new InvalidArgumentError('perplexities', 'at least one perplexity', 0);
  const n = distances.rows;
  const acc = new Float64Array(n * n);
  for (const p of perplexities) {
    const c = conditionalAffinities(distances, p, tolerance);
    for (let t = 0; t < n * n; t++) acc[t] += c[t] / perplexities.length;
  }
  const P = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) P[i * n + j] = (acc[i * n + j] + acc[j * n + i]) / (2 * n);
  return P;
}

/**
 * The exact t-SNE gradient of KL(P‖Q) at Y (n × 2 row-major), with P multiplied by `exaggeration`:
 * ∂C/∂y_i = 4 Σ_j (e·p_ij − q_ij)(1 + ‖y_i − y_j‖²)⁻¹ (y_i − y_j), q_ij = w_ij / Σ_{k≠l} w_kl.
 * Returns { grad, kl } where kl = Σ p_ij log(p_ij / q_ij) (without exaggeration).
 */
export function tsneGradient(P: Float64Array, Y: Float64Array, n: number, exaggeration = 1, withKl = true): { grad: Float64Array; kl: number } {
  const g1 = new Float64Array(n * 2), g2 = new Float64Array(n * 2);
  let Z = 0, plogw = 0, plogp = 0;
  for (let i = 0; i < n; i++) {
    const yi0 = Y[2 * i], yi1 = Y[2 * i + 1];
    const row = i * n;
    let a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    for (let j = i + 1; j < n; j++) {
      const dx = yi0 - Y[2 * j], dy = yi1 - Y[2 * j + 1];
      const w = 1 / (1 + dx * dx + dy * dy);
      Z += w;
      const a = exaggeration * P[row + j] * w, b = w * w;
      a0 += a * dx; a1 += a * dy; b0 += b * dx; b1 += b * dy;
      g1[2 * j] -= a * dx; g1[2 * j + 1] -= a * dy;
      g2[2 * j] -= b * dx; g2[2 * j + 1] -= b * dy;
    }
    g1[2 * i] += a0; g1[2 * i + 1] += a1; g2[2 * i] += b0; g2[2 * i + 1] += b1;
  }
  Z *= 2;
  const grad = new Float64Array(n * 2);
  for (let t = 0; t < 2 * n; t++) grad[t] = 4 * (g1[t] - g2[t] / Z);
  if (!withKl) return { grad, kl: NaN };
  // KL = Σ p log p − Σ p log(w/Z) = Σ p log p − Σ p log w + log Z (Σp = 1)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const p = P[i * n + j];
      if (p > 0) {
        const dx = Y[2 * i] - Y[2 * j], dy = Y[2 * i + 1] - Y[2 * j + 1];
        plogw -= 2 * p * log(1 + dx * dx + dy * dy);
        plogp += 2 * p * log(p);
      }
    }
  }
  return { grad, kl: plogp - plogw + log(Z) };
}

export interface TsneOptions {
  /** Perplexities averaged (default [5, 30], the paper's multiscale choice); each must be at most n − 1. */
  readonly perplexities?: readonly number[];
  /** Gradient steps in all (default 750). */
  readonly iterations?: number;
  /** Steps with early exaggeration 12 and momentum 0.5 (default 250); then momentum 0.8. */
  readonly exaggerationIterations?: number;
  readonly exaggeration?: number;
  /** Learning rate (default max(n / exaggeration / 4, 50), sklearn's "auto"). */
  readonly learningRate?: number;
  /** Initial coordinates (n × 2); default: metric MDS of the distances (see {@link tsne}). */
  readonly init?: Matrix<NumericArray>;
  /** Called every 50 steps with the step number (for progress). */
  readonly onStep?: (step: number, total: number) => void;
}

/** A 2-D map. */
export interface Map2d {
  readonly coordinates: Matrix<Float64Array>;
  readonly method: string;
  /** Final KL divergence (t-SNE) when known. */
  readonly kl?: number;
}

/**
 * Exact t-SNE (van der Maaten & Hinton 2008) of a precomputed distance matrix (e.g. 1 − S), as the paper:
 * multiscale perplexity 5 and 30, initialised with 2-D metric MDS of the same distances — classical MDS
 * followed by SMACOF (300 steps at most) — rescaled so the first coordinate has SD 1e-4 (openTSNE's
 * convention for a given initialisation). Optimisation: gradient descent with momentum and per-coordinate
 * gains (delta-bar-delta, minimum gain 0.01), early exaggeration 12 for 250 steps, 750 steps in all.
 * Fully deterministic (no random numbers), O(n²) memory and time per step.
 *
 * @throws as {@link checkDissimilarity}, {@link conditionalAffinities}.
 */
export function tsne(distances: Matrix<NumericArray>, options: TsneOptions = {}): Map2d {
  checkDissimilarity(distances, 'distances');
  const n = distances.rows;
  const perplexities = options.perplexities ?? [5, 30];
  const iterations = options.iterations ?? 750;
  const exIters = options.exaggerationIterations ?? 250;
  const ex = options.exaggeration ?? 12;
  const lr = options.learningRate ?? Math.max(n / ex / 4, 50);
  if (!Number.isInteger(iterations) || iterations < 1) throw new InvalidArgumentError('iterations', 'a positive integer', iterations);
  const P = jointAffinities(distances, perplexities);
  let init = options.init;
  if (!init) init = smacof(distances, classicalMds(distances, 2)).coordinates;
  if (init.rows !== n || init.cols !== 2) throw new ShapeError(`t-SNE init must be ${n}×2, got ${init.rows}×${init.cols}`);
  const Y = Float64Array.from(init.data);
  let sd = 0, m = 0;
  for (let i = 0; i < n; i++) m += Y[2 * i];
  m /= n;
  for (let i = 0; i < n; i++) sd += (Y[2 * i] - m) ** 2;
  sd = Math.sqrt(sd / n);
  const scale = sd > 0 ? 1e-4 / sd : 1;
  for (let t = 0; t < 2 * n; t++) Y[t] *= scale;
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  let kl = NaN;
  for (let step = 0; step < iterations; step++) {
    const early = step < exIters;
    const last = step === iterations - 1;
    const { grad, kl: k } = tsneGradient(P, Y, n, early ? ex : 1, last);
    if (last) kl = k;
    const momentum = early ? 0.5 : 0.8;
    for (let t = 0; t < 2 * n; t++) {
      gains[t] = update[t] * grad[t] < 0 ? gains[t] + 0.2 : gains[t] * 0.8;
      if (gains[t] < 0.01) gains[t] = 0.01;
      update[t] = momentum * update[t] - lr * gains[t] * grad[t];
      Y[t] += update[t];
    }
    if (options.onStep && (step % 50 === 0 || step === iterations - 1)) options.onStep(step + 1, iterations);
  }
  // Centre the map.
  for (let c = 0; c < 2; c++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += Y[2 * i + c];
    mean /= n;
    for (let i = 0; i < n; i++) Y[2 * i + c] -= mean;
  }
  return { coordinates: { rows: n, cols: 2, data: Y }, method: `t-SNE (exact; perplexities ${perplexities.join(', ')}; metric-MDS init)`, kl };
}
