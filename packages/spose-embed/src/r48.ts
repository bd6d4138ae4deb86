import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { lowerTriangle, nearlyConstant } from './lower-triangle.js';
import { predictedSimilarity } from './predicted-similarity.js';
import { compareSimilarity, type CorrelationCiMethod } from './similarity-fit.js';

/**
 * How the 48-context predicted similarity is averaged over third objects k (k ∈ the 48, k ∉ {i, j}):
 * - `paper` (the authors' draw_figure2b–2d scripts): the sum divided by 48, the size of the context;
 * - `mean`: divided by the number of third objects actually summed (46), i.e. a true mean.
 * Inside the 48 every pair has exactly 46 third objects, so the two differ by the constant factor 46/48 off the
 * diagonal and r48 (a Pearson r over the off-diagonal pairs) is the same; only the printed matrix differs.
 */
export type R48Scale = 'paper' | 'mean';

export interface PredictedSimilarity48Options {
  /** Default `paper` (÷ 48). */
  readonly scale?: R48Scale;
  /** Softmax temperature (default 1, as the paper). */
  readonly temperature?: number;
}

export interface R48Options extends PredictedSimilarity48Options {
  /** Bootstrap resamples of object pairs (default 1,000; 0 = no CI). */
  readonly bootstrap?: number;
  /** Bootstrap seed (default 0); bit-reproducible. */
  readonly seed?: number;
  /** CI method (default `paper`: tanh(atanh r ± 1.96·SD of bootstrap z)). */
  readonly ci?: CorrelationCiMethod;
}

/** A correlation's 95% CI and how it was obtained. */
export interface CorrelationCi {
  readonly low: number;
  readonly high: number;
  readonly method: CorrelationCiMethod;
  /** Resamples drawn and resamples that gave a usable r. */
  readonly bootstrap: number;
  readonly used: number;
  readonly seed: number;
}

export interface R48 {
  /** Pearson r between the lower triangles of the predicted and the measured 48×48 similarity. */
  readonly r: number;
  /** Object pairs correlated (1,128 for 48 objects; fewer if the measured matrix marks pairs NaN). */
  readonly pairs: number;
  /** null without bootstrap, or when the CI is undefined (|r| = 1, or fewer than 2 usable resamples). */
  readonly ci: CorrelationCi | null;
  /** The predicted similarity (row/column a = objects48[a]), context = the 48. */
  readonly predicted: Matrix<Float64Array>;
  readonly method: { readonly scale: R48Scale; readonly context: 'objects48'; readonly ci: CorrelationCiMethod };
}

/**
 * The SPoSE-predicted similarity of the 48 objects in the 48-object context: S_ij = Σ_{k ∈ 48, k ∉ {i,j}}
 * p(i, j | k) divided by 48 (`paper`) or by 46 (`mean`); diagonal 1. Only the 48 rows of the embedding are read.
 *
 * @throws InvalidArgumentError for a bad object list, scale or temperature; ShapeError for a bad embedding.
 */
export function predictedSimilarity48(embedding: Matrix<Float32Array | Float64Array>, objects48: Int32Array | readonly number[], options: PredictedSimilarity48Options = {}): Matrix<Float64Array> {
  const scale = options.scale ?? 'paper';
  if (scale !== 'paper' && scale !== 'mean') throw new InvalidArgumentError('scale', "'paper' or 'mean'", scale);
  const sub = rowsOf(embedding, objects48);
  const S = predictedSimilarity(sub, { temperature: options.temperature });
  const m = S.rows;
  if (scale === 'paper' && m > 2) {
    const f = (m - 2) / m;
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) if (a !== b) S.data[a * m + b] *= f;
  }
  return S;
}

/**
 * r48 (Hebart et al. 2020; Du et al. 2025, Fig. 2b–d): how well an embedding's predicted similarity of 48 objects,
 * in the 48-object context, matches their similarity measured from answered 48-design triplets.
 *
 * `measured48` is the 48×48 measured similarity with row/column a = objects48[a] (triplet-sampler's
 * `measuredSimilarity(answered, n, { objects: objects48 })`; an RDM is 1 − that). r = Pearson r of the lower
 * triangles (compareSimilarity); CI from `bootstrap` resamples of object pairs, by default the authors' form.
 *
 * @throws InvalidArgumentError when r is undefined (a constant predicted or measured matrix), for a bad object
 *   list or option; ShapeError when measured48 is not |objects48| × |objects48|.
 */
export function r48(embedding: Matrix<Float32Array | Float64Array>, objects48: Int32Array | readonly number[], measured48: Matrix<NumericArray>, options: R48Options = {}): R48 {
  const predicted = predictedSimilarity48(embedding, objects48, options);
  const m = predicted.rows;
  if (measured48.rows !== m || measured48.cols !== m) throw new ShapeError(`measured similarity is ${measured48.rows}×${measured48.cols}; ${m} objects need ${m}×${m}`);
  const bootstrap = options.bootstrap ?? 1000;
  const seed = options.seed ?? 0;
  const ciMethod = options.ci ?? 'paper';
  if (nearlyConstant(lowerTriangle(predicted))) {
    throw new InvalidArgumentError('embedding', 'rows of the 48 objects that predict a varying similarity', 'a constant predicted similarity');
  }
  const fit = compareSimilarity(predicted, measured48, { bootstrap, seed, ci: ciMethod });
  if (!Number.isFinite(fit.r)) {
    throw new InvalidArgumentError('r48', 'predicted and measured similarities that vary over at least 2 finite pairs', `${fit.pairs} finite pairs, r undefined`);
  }
  const ci = bootstrap > 0 && Number.isFinite(fit.ciLow) && Number.isFinite(fit.ciHigh)
    ? { low: fit.ciLow, high: fit.ciHigh, method: ciMethod, bootstrap, used: fit.bootstrapUsed, seed }
    : null;
  return { r: fit.r, pairs: fit.pairs, ci, predicted, method: { scale: options.scale ?? 'paper', context: 'objects48', ci: ciMethod } };
}

/** The embedding rows `objects` as a new matrix (checked: distinct, in range, at least 3). */
export function rowsOf(embedding: Matrix<Float32Array | Float64Array>, objects: Int32Array | readonly number[]): Matrix<Float64Array> {
  const n = embedding.rows, D = embedding.cols;
  if (embedding.data.length !== n * D) throw new ShapeError(`embedding data has ${embedding.data.length} values; ${n}×${D} needs ${n * D}`);
  const m = objects.length;
  if (m < 3) throw new InvalidArgumentError('objects48', 'at least 3 objects (a pair and a third object)', m);
  const seen = new Uint8Array(n);
  const out = new Float64Array(m * D);
  for (let a = 0; a < m; a++) {
    const o = objects[a];
    if (!Number.isInteger(o) || o < 0 || o >= n) throw new InvalidArgumentError(`objects48[${a}]`, `an object index in [0, ${n - 1}]`, o);
    if (seen[o]) throw new InvalidArgumentError(`objects48[${a}]`, 'distinct object indices', `${o} again`);
    seen[o] = 1;
    for (let d = 0; d < D; d++) out[a * D + d] = embedding.data[o * D + d];
  }
  return { rows: m, cols: D, data: out };
}
