import { assertValidTriplets, createProgress, InvalidArgumentError, ShapeError, type Matrix, type ProgressListener, type Triplets } from '@conceptlab/core';
import { evaluateTriplets } from './evaluate.js';
import { lowerTriangle, nearlyConstant } from './lower-triangle.js';
import { pearson } from '@conceptlab/core/stats';
import { predictedSimilarity } from './predicted-similarity.js';

export interface DimsNeededPaperOptions {
  /** Tie-break seed, reset for the full embedding and for every level (the authors reset rng(42)); default 42. */
  readonly seed?: number;
  /** Accuracy cut-offs as shares of the full accuracy, [low, high] (default [0.95, 0.99]). */
  readonly cutoffs?: readonly [number, number];
  /** r² thresholds for the similarity criterion, [low, high] (default [0.95, 0.99]). */
  readonly r2Cutoffs?: readonly [number, number];
  /** Compute the similarity criterion (a full predicted-similarity matrix per level; default true). */
  readonly similarity?: boolean;
  /** Progress in levels. */
  readonly onProgress?: ProgressListener;
}

/** The smallest and largest numbers of retained dims the authors report; null where no level qualifies. */
export interface DimsRange {
  readonly min: number | null;
  readonly max: number | null;
}

export interface DimsNeededPaper {
  readonly method: 'paper';
  /** D, the embedding's dims: levels retain k = 0 … D − 1 dims per object. */
  readonly dims: number;
  readonly triplets: number;
  /** Odd-one-out accuracy (share in [0, 1]) with the full embedding. */
  readonly fullAccuracy: number;
  /** Index k: accuracy when every object keeps only its k largest weights (k = 0: all zero). */
  readonly accuracy: Float64Array;
  /** low·fullAccuracy and high·fullAccuracy (the authors' code: 0.95·acc and 0.99·acc, not a margin above chance). */
  readonly accuracyCutoffs: readonly [number, number];
  /** min = first k with accuracy > low cut-off; max = last k with accuracy < high cut-off. */
  readonly accuracyDims: DimsRange;
  /**
   * Index k: Pearson r between the lower triangles of the full and the level-k predicted similarity (context all
   * objects); null where undefined (a matrix constant up to rounding, e.g. k = 0 with all weights zero; it fails both
   * tests). Absent when
   * `similarity: false`.
   */
  readonly similarityR?: readonly (number | null)[];
  readonly r2Cutoffs: readonly [number, number];
  /** min = first k with r² > low; max = last k with r² < high. Absent when `similarity: false`. */
  readonly similarityDims?: DimsRange;
}

/**
 * "Dimensions needed", the authors' definition (draw_figure4h_num_dims_retained_*.m; Du et al. 2025, Fig. 4h):
 *
 * 1. Full accuracy: odd-one-out prediction by the largest dot product, exact ties broken at random
 *    ({@link evaluateTriplets} with `seed`; the authors use MATLAB's rng(42) — same rule, other generator).
 * 2. Each object's dims ordered by weight, ascending, stable (weakest first). Level L (L = 1 … D) zeroes, in every
 *    object at once, its L weakest dims; level D is all zeros. Level L retains k = D − L dims.
 * 3. Per level: accuracy with the tie-break seed reset (ties multiply as dims are zeroed; at k = 0 every triplet is
 *    a three-way tie), and the Pearson r of the lower triangles of the full and the level's predicted similarity
 *    (context all objects, as the authors' embedding2sim; the ÷(n − 2) does not change r).
 * 4. Cut-offs as the authors' code runs them: accuracy > 0.95·acc_full (first k) and < 0.99·acc_full (last k)
 *    — the code's "(0.95·acc − 100/3) + 100/3" is 0.95·acc, not a margin above chance; r² > 0.95 (first k) and
 *    r² < 0.99 (last k). An undefined r (k = 0) fails both.
 *
 * Cost: D + 1 predicted-similarity matrices over all objects (n² · n · 1/2 terms each; a few seconds each at
 * 1,854 objects, see tools/bench) and D + 1 triplet evaluations; a level that zeroes no non-zero weight reuses
 * the previous level's numbers (it is the same embedding). `similarity: false` skips the matrices.
 *
 * @throws InvalidArgumentError for triplets out of range, bad cut-offs or seed, or no triplets;
 *   ShapeError when the embedding's data does not match its shape.
 */
export function dimsNeededPaper(embedding: Matrix<Float32Array | Float64Array>, triplets: Triplets, options: DimsNeededPaperOptions = {}): DimsNeededPaper {
  const n = embedding.rows, D = embedding.cols, w = embedding.data;
  if (w.length !== n * D) throw new ShapeError(`embedding data has ${w.length} values; ${n}×${D} needs ${n * D}`);
  for (let t = 0; t < w.length; t++) if (!Number.isFinite(w[t])) throw new InvalidArgumentError(`embedding[${Math.floor(t / D)}][${t % D}]`, 'a finite weight', w[t]);
  assertValidTriplets(triplets, n, 'triplets');
  if (triplets.count === 0) throw new InvalidArgumentError('triplets', 'at least one triplet', 0);
  const seed = options.seed ?? 42;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('seed', 'a non-negative safe integer', seed);
  const cutoffs = pairOf('cutoffs', options.cutoffs ?? [0.95, 0.99]);
  const r2Cutoffs = pairOf('r2Cutoffs', options.r2Cutoffs ?? [0.95, 0.99]);
  const withSimilarity = options.similarity ?? true;

  const progress = createProgress('dims needed (paper)', options.onProgress, { total: D + 1, unit: 'levels' });
  const fullAccuracy = evaluateTriplets(embedding, triplets, { seed }).accuracy;
  const fullLower = withSimilarity ? lowerTriangle(predictedSimilarity(embedding)) : undefined;
  progress.update(1);

  // order[i·D + p] = object i's p-th weakest dim (stable ascending sort).
  const order = new Int32Array(n * D);
  const idx = Array.from({ length: D }, (_, d) => d);
  for (let i = 0; i < n; i++) {
    const row = idx.slice().sort((a, b) => w[i * D + a] - w[i * D + b] || a - b);
    order.set(row, i * D);
  }
  const level = Float64Array.from(w);
  const accuracy = new Float64Array(D);
  const simR: (number | null)[] = new Array<number | null>(D).fill(null);
  // A level that zeroes no non-zero weight is the previous embedding again: its numbers carry over.
  let prevAcc = fullAccuracy;
  let prevR: number | null = fullLower && !nearlyConstant(fullLower) ? finiteOrNull(pearson(fullLower, fullLower)) : null;
  for (let L = 1; L <= D; L++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      const d = order[i * D + L - 1];
      if (level[i * D + d] !== 0) changed = true;
      level[i * D + d] = 0;
    }
    const k = D - L;
    if (changed) {
      const E = { rows: n, cols: D, data: level };
      prevAcc = evaluateTriplets(E, triplets, { seed }).accuracy;
      if (fullLower) {
        const lower = lowerTriangle(predictedSimilarity(E));
        prevR = nearlyConstant(lower) || nearlyConstant(fullLower) ? null : finiteOrNull(pearson(fullLower, lower));
      }
    }
    accuracy[k] = prevAcc;
    simR[k] = prevR;
    progress.update(L + 1);
  }
  progress.end();

  const accLow = cutoffs[0] * fullAccuracy, accHigh = cutoffs[1] * fullAccuracy;
  const accuracyDims: DimsRange = {
    min: firstIndex(D, (k) => accuracy[k] > accLow),
    max: lastIndex(D, (k) => accuracy[k] < accHigh),
  };
  const result: DimsNeededPaper = {
    method: 'paper',
    dims: D,
    triplets: triplets.count,
    fullAccuracy,
    accuracy,
    accuracyCutoffs: [accLow, accHigh],
    accuracyDims,
    r2Cutoffs,
  };
  if (!withSimilarity) return result;
  const r2 = (k: number) => (simR[k] === null ? NaN : (simR[k] as number) ** 2);
  return {
    ...result,
    similarityR: simR,
    similarityDims: { min: firstIndex(D, (k) => r2(k) > r2Cutoffs[0]), max: lastIndex(D, (k) => r2(k) < r2Cutoffs[1]) },
  };
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function firstIndex(n: number, ok: (k: number) => boolean): number | null {
  for (let k = 0; k < n; k++) if (ok(k)) return k;
  return null;
}

function lastIndex(n: number, ok: (k: number) => boolean): number | null {
  for (let k = n - 1; k >= 0; k--) if (ok(k)) return k;
  return null;
}

function pairOf(name: string, v: readonly number[]): readonly [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !(v[0] > 0 && v[0] <= v[1] && v[1] <= 1)) {
    throw new InvalidArgumentError(name, 'two shares low ≤ high in (0, 1]', v);
  }
  return [v[0], v[1]];
}
