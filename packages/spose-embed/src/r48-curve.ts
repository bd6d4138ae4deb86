import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { pearson } from '@conceptlab/core/stats';
import { lowerTriangle, nearlyConstant } from './lower-triangle.js';
import { predictedSimilarity48, rowsOf, type PredictedSimilarity48Options, type R48Scale } from './r48.js';

export interface R48CurveOptions extends PredictedSimilarity48Options {
  /** Largest number of leading dims (default: all columns of the embedding). */
  readonly maxDims?: number;
}

export interface R48Curve {
  /**
   * Point d − 1: r48 with the first d columns; r is null where undefined (a predicted similarity constant up to
   * rounding, e.g. every used column zero on the 48).
   */
  readonly points: readonly { readonly dims: number; readonly r: number | null }[];
  /** Pairs correlated at each point. */
  readonly pairs: number;
  readonly method: { readonly scale: R48Scale; readonly context: 'objects48'; readonly columns: 'leading' };
}

/**
 * r48 against dims retained (the authors' draw_figure2a_step2 script): for d = 1 … D, the predicted 48-context
 * similarity from the first d columns of the embedding (in the file's column order, no re-sorting) correlated
 * with the measured 48×48 similarity. No CI (as the authors). For the authors' LLM/MLLM curves the embedding is
 * their 66 final dims followed by merged columns 67–73: pass such a matrix if you want that.
 *
 * @throws InvalidArgumentError for a bad maxDims or object list; ShapeError for mismatched sizes.
 */
export function r48Curve(embedding: Matrix<Float32Array | Float64Array>, objects48: Int32Array | readonly number[], measured48: Matrix<NumericArray>, options: R48CurveOptions = {}): R48Curve {
  const sub = rowsOf(embedding, objects48);
  const m = sub.rows, D = sub.cols;
  if (measured48.rows !== m || measured48.cols !== m) throw new ShapeError(`measured similarity is ${measured48.rows}×${measured48.cols}; ${m} objects need ${m}×${m}`);
  const maxDims = options.maxDims ?? D;
  if (!Number.isInteger(maxDims) || maxDims < 1 || maxDims > D) throw new InvalidArgumentError('maxDims', `an integer in [1, ${D}]`, maxDims);
  const meas = lowerTriangle(measured48);
  const keep: number[] = [];
  for (let t = 0; t < meas.length; t++) if (Number.isFinite(meas[t])) keep.push(t);
  const y = Float64Array.from(keep, (t) => meas[t]);
  const all = Int32Array.from({ length: m }, (_, a) => a);
  const points: { dims: number; r: number | null }[] = [];
  for (let d = 1; d <= maxDims; d++) {
    const lead = new Float64Array(m * d);
    for (let a = 0; a < m; a++) for (let c = 0; c < d; c++) lead[a * d + c] = sub.data[a * D + c];
    const pred = lowerTriangle(predictedSimilarity48({ rows: m, cols: d, data: lead }, all, options));
    const x = Float64Array.from(keep, (t) => pred[t]);
    const r = keep.length >= 2 && !nearlyConstant(x) ? pearson(x, y) : NaN;
    points.push({ dims: d, r: Number.isFinite(r) ? r : null });
  }
  return { points, pairs: keep.length, method: { scale: options.scale ?? 'paper', context: 'objects48', columns: 'leading' } };
}
