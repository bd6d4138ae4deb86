import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { columnPairCorrelations, median } from '@conceptlab/core/stats';
import { kFolds, type Split } from './cross-validation.js';
import { ridgeCv, ridgePredict, type RidgeCvOptions } from './ridge.js';

/**
 * Per-column coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² of predictions against observations
 * (both rows × voxels), as sklearn's `r2_score(y, ŷ, multioutput='raw_values')`, except that a constant
 * observed column gives NaN (sklearn forces 1 or 0).
 *
 * @throws ShapeError when the two matrices differ in shape.
 */
export function r2Columns(observed: Matrix<NumericArray>, predicted: Matrix<NumericArray>): Float64Array {
  sameShape(observed, predicted);
  const { rows: n, cols: v } = observed;
  const out = new Float64Array(v);
  for (let c = 0; c < v; c++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += observed.data[i * v + c]!;
    mean /= n;
    let sse = 0, sst = 0;
    for (let i = 0; i < n; i++) {
      const y = observed.data[i * v + c]!;
      sse += (y - predicted.data[i * v + c]!) ** 2;
      sst += (y - mean) ** 2;
    }
    out[c] = sst > 0 ? 1 - sse / sst : Number.NaN;
  }
  return out;
}

/**
 * Per-column Pearson correlation between observations and predictions (rows × voxels), as
 * `scipy.stats.pearsonr` per voxel (`@conceptlab/core/stats` columnPairCorrelations); NaN when either column is
 * constant, and for every voxel with fewer than 2 rows.
 *
 * @throws ShapeError when the two matrices differ in shape.
 */
export function pearsonColumns(observed: Matrix<NumericArray>, predicted: Matrix<NumericArray>): Float64Array {
  sameShape(observed, predicted);
  // core's columnPairCorrelations refuses fewer than 2 rows; here r is undefined then: NaN for every voxel.
  if (observed.rows < 2) return new Float64Array(observed.cols).fill(Number.NaN);
  return columnPairCorrelations(observed, predicted);
}

function sameShape(a: Matrix<NumericArray>, b: Matrix<NumericArray>): void {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new ShapeError(`observed ${a.rows}×${a.cols} and predicted ${b.rows}×${b.cols} differ in shape`);
}

/**
 * The noise ceiling (percent of variance explainable) of each voxel from its noise-ceiling SNR, as the Natural
 * Scenes Dataset defines it for responses averaged over `nRepeats` trials: NC = 100·ncsnr² / (ncsnr² + 1/nRepeats)
 * (the paper: nRepeats = 3).
 *
 * @throws InvalidArgumentError when `nRepeats` is not a positive integer.
 */
export function noiseCeilingFromNcsnr(ncsnr: ArrayLike<number>, nRepeats = 3): Float64Array {
  if (!Number.isInteger(nRepeats) || nRepeats < 1) throw new InvalidArgumentError('nRepeats', 'a positive integer', nRepeats);
  const out = new Float64Array(ncsnr.length);
  for (let q = 0; q < ncsnr.length; q++) {
    const s2 = ncsnr[q]! ** 2;
    out[q] = (100 * s2) / (s2 + 1 / nRepeats);
  }
  return out;
}

/** Options of {@link voxelwiseEncoding}. */
export interface EncodingOptions extends RidgeCvOptions {
  /**
   * Held-out evaluation: one train/test split (the ridge and its inner CV see only `train`), or a number of outer
   * folds (contiguous, or shuffled with `shuffle`/`seed`) whose out-of-fold predictions are scored together.
   * Default: 5 outer folds.
   */
  readonly evaluation?: Split | number;
  /** Noise-ceiling SNR per voxel; when given, the result has `noiseCeiling` and `r2Normalized`. */
  readonly ncsnr?: ArrayLike<number>;
  /** Trials averaged per condition, for the noise ceiling (default 3). */
  readonly nRepeats?: number;
}

/** The result of {@link voxelwiseEncoding}. */
export interface EncodingResult {
  /** Held-out R² per voxel. */
  readonly r2: Float64Array;
  /** Held-out Pearson r per voxel. */
  readonly r: Float64Array;
  /** Ridge penalty per voxel (with outer folds: the median over folds of each fold's choice). */
  readonly alpha: Float64Array;
  /** Held-out predictions (test rows × voxels; with outer folds, every row, out of fold). */
  readonly predictions: Matrix<Float64Array>;
  /** The rows that were predicted, in the order of `predictions`' rows. */
  readonly testRows: Int32Array;
  /** Noise ceiling per voxel in percent (when `ncsnr` was given). */
  readonly noiseCeiling?: Float64Array;
  /** 100·R² / noiseCeiling: the held-out R² as a fraction of the explainable variance (when `ncsnr` was given). */
  readonly r2Normalized?: Float64Array;
}


/**
 * Voxelwise encoding: ridge regression from features X (conditions × dims, e.g. an embedding) to voxel
 * responses Y (conditions × voxels), with each voxel's penalty chosen by inner K-fold CV on the training
 * conditions ({@link ridgeCv}), evaluated on held-out conditions by R² and Pearson r per voxel
 * ({@link r2Columns}, {@link pearsonColumns}), optionally normalised by the noise ceiling
 * ({@link noiseCeilingFromNcsnr}) as the paper does for NSD.
 *
 * @throws ShapeError when X and Y have different numbers of rows, or `ncsnr` has the wrong length.
 * @throws InvalidArgumentError for bad splits, folds or alphas (see {@link ridgeCv}).
 */
export function voxelwiseEncoding(x: Matrix<NumericArray>, y: Matrix<NumericArray>, options: EncodingOptions = {}): EncodingResult {
  if (x.rows !== y.rows) throw new ShapeError(`X has ${x.rows} rows (conditions), Y has ${y.rows}`);
  if (options.ncsnr !== undefined && options.ncsnr.length !== y.cols) throw new ShapeError(`ncsnr has ${options.ncsnr.length} values for ${y.cols} voxels`);
  const { evaluation = 5, ncsnr, nRepeats, ...ridge } = options;
  const outer = typeof evaluation === 'number' ? kFolds(x.rows, evaluation, { shuffle: options.shuffle, seed: options.seed }) : [evaluation];
  if (ridge.folds !== undefined && typeof ridge.folds !== 'number') {
    throw new InvalidArgumentError('folds', 'a number of inner folds (explicit splits index all rows; use ridgeCv)', 'explicit splits');
  }
  const vox = y.cols;
  const testRows = Int32Array.from(outer.flatMap((s) => Array.from(s.test)));
  const pred = new Float64Array(testRows.length * vox);
  const foldAlphas: Float64Array[] = [];
  let at = 0;
  for (const split of outer) {
    const fit = ridgeCv(pick(x, split.train), pick(y, split.train), ridge);
    foldAlphas.push(fit.alpha);
    pred.set(ridgePredict(fit, pick(x, split.test)).data, at * vox);
    at += split.test.length;
  }
  const observed = pick(y, testRows);
  const predictions = { rows: testRows.length, cols: vox, data: pred };
  const r2 = r2Columns(observed, predictions);
  const r = pearsonColumns(observed, predictions);
  const alpha = foldAlphas.length === 1 ? foldAlphas[0]! : Float64Array.from({ length: vox }, (_, c) => median(foldAlphas.map((a) => a[c]!)));
  if (ncsnr === undefined) return { r2, r, alpha, predictions, testRows };
  const noiseCeiling = noiseCeilingFromNcsnr(ncsnr, nRepeats);
  const r2Normalized = Float64Array.from(r2, (v, c) => (100 * v) / noiseCeiling[c]!);
  return { r2, r, alpha, predictions, testRows, noiseCeiling, r2Normalized };
}

function pick(m: Matrix<NumericArray>, rows: ArrayLike<number>): Matrix<Float64Array> {
  const c = m.cols;
  const out = new Float64Array(rows.length * c);
  for (let i = 0; i < rows.length; i++) {
    const src = rows[i]!;
    if (!(Number.isInteger(src) && src >= 0 && src < m.rows)) throw new InvalidArgumentError('split', `row indices in [0, ${m.rows - 1}]`, src);
    for (let j = 0; j < c; j++) out[i * c + j] = m.data[src * c + j]!;
  }
  return { rows: rows.length, cols: c, data: out };
}
