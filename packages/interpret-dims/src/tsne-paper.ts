import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { checkDissimilarity, classicalMds, smacof } from './mds.js';
import { tsneGradient, type Map2d } from './tsne.js';

const { exp, log, abs, sign } = Math;
const REALMIN = 2.2250738585072014e-308;

/**
 * van der Maaten's `d2p` as the authors call it (helper_functions/external/tSNE_matlab/d2p.m; authors-procedures
 * item 10): the values of `d` are used as SQUARED distances as given (the authors pass 1 − S divided by its
 * maximum). Per row i, β starts at 1; P = exp(−d·β) without self, sumP = ΣP + 1e-10,
 * H = ln sumP + β·Σ(d·P)/sumP; while |H − ln u| > tol and fewer than 50 tries, β is doubled/halved until
 * bracketed, then bisected. Returns the row-stochastic n × n matrix (row i = P/sumP), zero diagonal.
 *
 * @throws ShapeError for a non-square matrix; InvalidArgumentError for a perplexity ≤ 1 or a non-positive tolerance.
 */
export function d2p(d: Matrix<NumericArray>, perplexity: number, tol = 1e-5): Float64Array {
  const n = d.rows;
  if (d.cols !== n) throw new ShapeError(`d2p: a square matrix is needed, got ${n}×${d.cols}`);
  if (!(perplexity > 1)) throw new InvalidArgumentError('perplexity', 'a number > 1', perplexity);
  if (!(tol > 0)) throw new InvalidArgumentError('tol', 'a positive number', tol);
  const logU = log(perplexity);
  const P = new Float64Array(n * n);
  const row = new Float64Array(n - 1), e = new Float64Array(n - 1);
  const hbeta = (beta: number): { H: number; sumP: number } => {
    let sumP = 0, s = 0;
    for (let t = 0; t < n - 1; t++) { const v = exp(-row[t] * beta); e[t] = v; sumP += v; }
    sumP += 1e-10;
    for (let t = 0; t < n - 1; t++) s += row[t] * e[t];
    return { H: log(sumP) + (beta * s) / sumP, sumP };
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0, t = 0; j < n; j++) if (j !== i) row[t++] = d.data[i * n + j];
    let beta = 1, betamin = -Infinity, betamax = Infinity;
    let { H, sumP } = hbeta(beta);
    let diff = H - logU;
    for (let tries = 0; abs(diff) > tol && tries < 50; tries++) {
      if (diff > 0) { betamin = beta; beta = betamax === Infinity ? beta * 2 : (beta + betamax) / 2; }
      else { betamax = beta; beta = betamin === -Infinity ? beta / 2 : (beta + betamin) / 2; }
      ({ H, sumP } = hbeta(beta));
      diff = H - logU;
    }
    for (let j = 0, t = 0; j < n; j++) if (j !== i) P[i * n + j] = e[t++] / sumP;
  }
  return P;
}

export interface TsnePaperOptions {
  /** Perplexities whose `d2p` matrices are averaged (default [5, 30]). */
  readonly perplexities?: readonly number[];
  /** Iterations (default 1000). */
  readonly iterations?: number;
  /** Initial map (n × 2), used as given (not rescaled); default: metric MDS of the distances (classical MDS + SMACOF). */
  readonly init?: Matrix<NumericArray>;
  readonly onStep?: (step: number, total: number) => void;
}

/**
 * The authors' t-SNE (draw_figure3c_tsne_human_step1.m with tsne_p.m; authors-procedures item 10):
 * D = distances / max(distances), treated as squared distances; P = ½(d2p(D, 5) + d2p(D, 30)); diagonal 0,
 * P ← ½(P + Pᵀ), P ← max(P/ΣP, realmin). Y starts at the initial solution, unscaled, so there is NO early
 * exaggeration. Each iteration: gradient 4·Σ_j (p_ij − q_ij)(1 + ‖y_i − y_j‖²)⁻¹(y_i − y_j); gains +0.2 where
 * sign(grad) ≠ sign(update) (MATLAB sign, sign(0) = 0), ×0.8 otherwise, floor 0.01; update = momentum·update −
 * 500·gains·grad; Y recentred. Momentum 0.5, 0.8 after iteration 250; 1000 iterations. No random numbers.
 * (The authors' initial map is MATLAB `mdscale(…, 'metricstress')`; ours is classical MDS + SMACOF, the same
 * criterion up to a constant factor but not MATLAB's optimiser.)
 *
 * @throws as {@link checkDissimilarity} and {@link d2p}; ShapeError for an init of another shape.
 */
export function tsnePaper(distances: Matrix<NumericArray>, options: TsnePaperOptions = {}): Map2d {
  checkDissimilarity(distances, 'distances');
  const n = distances.rows;
  const perplexities = options.perplexities ?? [5, 30];
  const iterations = options.iterations ?? 1000;
  if (!Number.isInteger(iterations) || iterations < 1) throw new InvalidArgumentError('iterations', 'a positive integer', iterations);
  if (perplexities.length === 0) throw new InvalidArgumentError('perplexities', 'at least one perplexity', 0);
  let max = 0;
  for (const v of distances.data) if (v > max) max = v;
  if (!(max > 0)) throw new InvalidArgumentError('distances', 'a matrix with a positive entry', max);
  const Dn = { rows: n, cols: n, data: Float64Array.from(distances.data, (v) => v / max) };
  const Pc = new Float64Array(n * n);
  for (const u of perplexities) {
    const p = d2p(Dn, u, 1e-5);
    for (let t = 0; t < n * n; t++) Pc[t] += p[t] / perplexities.length;
  }
  const P = new Float64Array(n * n);
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { const v = i === j ? 0 : 0.5 * (Pc[i * n + j] + Pc[j * n + i]); P[i * n + j] = v; total += v; }
  for (let t = 0; t < n * n; t++) P[t] = Math.max(P[t] / total, REALMIN);
  const init = options.init ?? smacof(distances, classicalMds(distances, 2)).coordinates;
  if (init.rows !== n || init.cols !== 2) throw new ShapeError(`t-SNE init must be ${n}×2, got ${init.rows}×${init.cols}`);
  const Y = Float64Array.from(init.data);
  const incs = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  let momentum = 0.5;
  let kl = NaN;
  for (let iter = 1; iter <= iterations; iter++) {
    const last = iter === iterations;
    const { grad, kl: k } = tsneGradient(P, Y, n, 1, last);
    if (last) kl = k;
    for (let t = 0; t < 2 * n; t++) {
      gains[t] = sign(grad[t]) !== sign(incs[t]) ? gains[t] + 0.2 : gains[t] * 0.8;
      if (gains[t] < 0.01) gains[t] = 0.01;
      incs[t] = momentum * incs[t] - 500 * (gains[t] * grad[t]);
      Y[t] += incs[t];
    }
    for (let c = 0; c < 2; c++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += Y[2 * i + c];
      m /= n;
      for (let i = 0; i < n; i++) Y[2 * i + c] -= m;
    }
    if (iter === 250) momentum = 0.8;
    if (options.onStep && (iter % 50 === 0 || last)) options.onStep(iter, iterations);
  }
  return {
    coordinates: { rows: n, cols: 2, data: Y },
    method: `t-SNE, paper (authors' tsne_p: perplexities ${perplexities.join(', ')} via d2p on distances/max as squared distances; metric-MDS init unscaled; no early exaggeration; lr 500; momentum 0.5→0.8 at 250; ${iterations} iterations)`,
    kl,
  };
}
