import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { kFolds, type Split } from './cross-validation.js';
import { svd } from './svd.js';

/** `num` values evenly spaced on a log scale from 10^start to 10^stop inclusive, as `numpy.logspace`. */
export function logspace(start: number, stop: number, num: number): Float64Array {
  if (!Number.isInteger(num) || num < 1) throw new InvalidArgumentError('num', 'a positive integer', num);
  const out = new Float64Array(num);
  const step = num === 1 ? 0 : (stop - start) / (num - 1);
  for (let q = 0; q < num; q++) out[q] = 10 ** (q === num - 1 && num > 1 ? stop : start + q * step);
  return out;
}

/** The paper's ridge penalties: logspace(−3, 3, 100). */
export function defaultAlphas(): Float64Array {
  return logspace(-3, 3, 100);
}

/** Options of {@link ridgeCv}. */
export interface RidgeCvOptions {
  /** Candidate penalties, each finite and ≥ 0 (default {@link defaultAlphas}). */
  readonly alphas?: ArrayLike<number>;
  /** Number of CV folds (default 5), or explicit splits of the rows. */
  readonly folds?: number | readonly Split[];
  /** Shuffle rows before cutting folds (default false: contiguous folds). */
  readonly shuffle?: boolean;
  /** Seed of the fold shuffle (default 0). */
  readonly seed?: number;
}

/** A fitted ridge regression from features (p) to targets (voxels): Ŷ = X·weights + intercept. */
export interface RidgeModel {
  /** p × voxels coefficients. */
  readonly weights: Matrix<Float64Array>;
  /** One intercept per voxel. */
  readonly intercept: Float64Array;
  /** The penalty used for each voxel. */
  readonly alpha: Float64Array;
}

/** A {@link RidgeModel} with its cross-validation record. */
export interface RidgeCvResult extends RidgeModel {
  /** Index into `alphas` of each voxel's penalty. */
  readonly alphaIndex: Int32Array;
  /** The candidate penalties. */
  readonly alphas: Float64Array;
  /** alphas × voxels: mean over folds of each fold's held-out mean squared error. */
  readonly cvError: Matrix<Float64Array>;
}

function checkXY(x: Matrix<NumericArray>, y: Matrix<NumericArray>): void {
  if (x.data.length !== x.rows * x.cols) throw new ShapeError(`X data has ${x.data.length} values, expected ${x.rows}×${x.cols}`);
  if (y.data.length !== y.rows * y.cols) throw new ShapeError(`Y data has ${y.data.length} values, expected ${y.rows}×${y.cols}`);
  if (x.rows !== y.rows) throw new ShapeError(`X has ${x.rows} rows (conditions), Y has ${y.rows}`);
  if (x.cols < 1 || y.cols < 1) throw new ShapeError(`X (${x.rows}×${x.cols}) and Y (${y.rows}×${y.cols}) need at least one column`);
  for (const [name, m] of [['X', x], ['Y', y]] as const) {
    for (let q = 0; q < m.data.length; q++) {
      if (!Number.isFinite(m.data[q]!)) throw new InvalidArgumentError(name, 'finite values', `${m.data[q]} at row ${Math.floor(q / m.cols)}, column ${q % m.cols}`);
    }
  }
}

function checkAlphas(alphas: ArrayLike<number>): Float64Array {
  const a = Float64Array.from(alphas);
  if (a.length === 0) throw new InvalidArgumentError('alphas', 'at least one penalty', 0);
  for (const v of a) if (!(Number.isFinite(v) && v >= 0)) throw new InvalidArgumentError('alphas', 'finite penalties ≥ 0', v);
  return a;
}

/** Rows `idx` of `m`, minus `mean` (per column) when given. */
function rowsOf(m: Matrix<NumericArray>, idx: ArrayLike<number>, mean?: Float64Array): Matrix<Float64Array> {
  const c = m.cols;
  const out = new Float64Array(idx.length * c);
  for (let r = 0; r < idx.length; r++) {
    const src = idx[r]! * c;
    for (let j = 0; j < c; j++) out[r * c + j] = m.data[src + j]! - (mean ? mean[j]! : 0);
  }
  return { rows: idx.length, cols: c, data: out };
}

function columnMeans(m: Matrix<NumericArray>, idx: ArrayLike<number>): Float64Array {
  const c = m.cols;
  const mean = new Float64Array(c);
  for (let r = 0; r < idx.length; r++) {
    const src = idx[r]! * c;
    for (let j = 0; j < c; j++) mean[j]! += m.data[src + j]!;
  }
  for (let j = 0; j < c; j++) mean[j]! /= idx.length;
  return mean;
}

/**
 * The ridge shrinkage factors s/(s² + α) for one alpha; singular values at rounding level
 * (≤ max(n, p)·ε·s_max, numpy's `lstsq` cut-off) count as 0, so α = 0 gives the minimum-norm least-squares fit.
 */
function shrink(s: Float64Array, alpha: number, cutoff: number, out: Float64Array, offset: number): void {
  for (let q = 0; q < s.length; q++) out[offset + q] = s[q]! > cutoff ? s[q]! / (s[q]! * s[q]! + alpha) : 0;
}

function cutoffOf(s: Float64Array, n: number, p: number): number {
  return Math.max(n, p) * 2.220446049250313e-16 * (s[0] ?? 0);
}

/** Uᵀ·Y for U (n × r) and Y (n × v), row-major: r × v. */
function utTimes(u: Matrix<Float64Array>, y: Matrix<Float64Array>): Float64Array {
  const { rows: n, cols: r } = u;
  const v = y.cols;
  const out = new Float64Array(r * v);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < r; q++) {
      const uq = u.data[i * r + q]!;
      if (uq === 0) continue;
      const o = q * v, yi = i * v;
      for (let c = 0; c < v; c++) out[o + c]! += uq * y.data[yi + c]!;
    }
  }
  return out;
}

/**
 * Add each alpha's held-out mean squared error of one split to `err` (alphas × voxels). One SVD of the centred
 * training X serves every alpha and voxel: B_α = V diag(s/(s²+α)) Uᵀ Y_c.
 */
function accumulateFoldErrors(x: Matrix<NumericArray>, y: Matrix<NumericArray>, split: Split, alphas: Float64Array, err: Float64Array, weight: number): void {
  const xm = columnMeans(x, split.train), ym = columnMeans(y, split.train);
  const xc = rowsOf(x, split.train, xm), yc = rowsOf(y, split.train, ym);
  const { u, s, v } = svd(xc);
  const r = s.length, vox = y.cols, nTe = split.test.length, p = x.cols;
  const w = utTimes(u, yc); // r × vox
  const xte = rowsOf(x, split.test, xm);
  const yte = rowsOf(y, split.test, ym);
  // A = X_te,c · V (nTe × r).
  const a = new Float64Array(nTe * r);
  for (let i = 0; i < nTe; i++) for (let j = 0; j < p; j++) {
    const xij = xte.data[i * p + j]!;
    if (xij === 0) continue;
    for (let q = 0; q < r; q++) a[i * r + q]! += xij * v.data[j * r + q]!;
  }
  const nA = alphas.length;
  const d = new Float64Array(nA * r);
  const cut = cutoffOf(s, xc.rows, p);
  for (let k = 0; k < nA; k++) shrink(s, alphas[k]!, cut, d, k * r);
  const z = new Float64Array(r);
  const scale = weight / nTe;
  if (nTe <= r) {
    // Direct: predictions A·z for every alpha.
    for (let c = 0; c < vox; c++) {
      for (let k = 0; k < nA; k++) {
        for (let q = 0; q < r; q++) z[q] = d[k * r + q]! * w[q * vox + c]!;
        let sse = 0;
        for (let i = 0; i < nTe; i++) {
          let pred = 0;
          for (let q = 0; q < r; q++) pred += a[i * r + q]! * z[q]!;
          const e = yte.data[i * vox + c]! - pred;
          sse += e * e;
        }
        err[k * vox + c]! += scale * sse;
      }
    }
    return;
  }
  // Gram form: ‖y − A z‖² = yᵀy − 2 zᵀ(Aᵀy) + zᵀ(AᵀA)z, O(r²) per voxel and alpha instead of O(nTe·r).
  const g = new Float64Array(r * r);
  for (let i = 0; i < nTe; i++) for (let q = 0; q < r; q++) {
    const aq = a[i * r + q]!;
    for (let t = 0; t < r; t++) g[q * r + t]! += aq * a[i * r + t]!;
  }
  const aty = new Float64Array(r);
  for (let c = 0; c < vox; c++) {
    let yy = 0;
    aty.fill(0);
    for (let i = 0; i < nTe; i++) {
      const yi = yte.data[i * vox + c]!;
      yy += yi * yi;
      for (let q = 0; q < r; q++) aty[q]! += a[i * r + q]! * yi;
    }
    for (let k = 0; k < nA; k++) {
      let cross = 0, quad = 0;
      for (let q = 0; q < r; q++) {
        z[q] = d[k * r + q]! * w[q * vox + c]!;
        cross += z[q]! * aty[q]!;
      }
      // zᵀGz over the upper triangle (G is symmetric).
      for (let q = 0; q < r; q++) {
        const row = q * r;
        let gz = 0;
        for (let t = q + 1; t < r; t++) gz += g[row + t]! * z[t]!;
        quad += z[q]! * (g[row + q]! * z[q]! + 2 * gz);
      }
      err[k * vox + c]! += scale * Math.max(0, yy - 2 * cross + quad);
    }
  }
}

/**
 * Ridge regression with one penalty per target column (voxel), chosen by K-fold cross-validation over
 * `alphas`: for each fold, X and Y are centred on the training rows' means (an unpenalised intercept) and the
 * centred training X is decomposed once by SVD, which gives every alpha's coefficients for every voxel
 * (B_α = V diag(s/(s²+α)) Uᵀ Y). Each voxel takes the alpha with the smallest mean over folds of the held-out
 * mean squared error (sklearn's `GridSearchCV(Ridge(), scoring='neg_mean_squared_error')` per voxel; ties go to
 * the earlier alpha), then the model is refitted on all rows with those penalties.
 *
 * @throws ShapeError when X and Y have different numbers of rows or a bad layout.
 * @throws InvalidArgumentError for non-finite data, bad alphas, or a fold count outside [2, rows].
 */
export function ridgeCv(x: Matrix<NumericArray>, y: Matrix<NumericArray>, options: RidgeCvOptions = {}): RidgeCvResult {
  checkXY(x, y);
  const alphas = checkAlphas(options.alphas ?? defaultAlphas());
  const f = options.folds ?? 5;
  const splits = typeof f === 'number' ? kFolds(x.rows, f, { shuffle: options.shuffle, seed: options.seed }) : f;
  if (splits.length === 0) throw new InvalidArgumentError('folds', 'at least one split', 0);
  for (const sp of splits) {
    if (sp.train.length < 2 || sp.test.length < 1) throw new InvalidArgumentError('folds', 'splits with ≥ 2 training and ≥ 1 test rows', `${sp.train.length} and ${sp.test.length}`);
    for (const i of [...sp.train, ...sp.test]) if (!(Number.isInteger(i) && i >= 0 && i < x.rows)) throw new InvalidArgumentError('folds', `row indices in [0, ${x.rows - 1}]`, i);
  }
  const vox = y.cols, nA = alphas.length;
  const err = new Float64Array(nA * vox);
  for (const sp of splits) accumulateFoldErrors(x, y, sp, alphas, err, 1 / splits.length);
  const alphaIndex = new Int32Array(vox);
  const alpha = new Float64Array(vox);
  for (let c = 0; c < vox; c++) {
    let best = 0;
    for (let k = 1; k < nA; k++) if (err[k * vox + c]! < err[best * vox + c]!) best = k;
    alphaIndex[c] = best;
    alpha[c] = alphas[best]!;
  }
  const model = ridgeFit(x, y, alpha);
  return { ...model, alphaIndex, alphas, cvError: { rows: nA, cols: vox, data: err } };
}

/**
 * Ridge regression with a given penalty per voxel (`alpha`: one value, or one per column of Y), with an
 * unpenalised intercept (X and Y centred on their column means), solved by one SVD of the centred X:
 * B[:, v] = V diag(s/(s²+α_v)) Uᵀ Y_c[:, v] — sklearn's `Ridge(alpha, fit_intercept=True)` per voxel.
 *
 * @throws ShapeError / InvalidArgumentError as {@link ridgeCv}, or when `alpha` has the wrong length.
 */
export function ridgeFit(x: Matrix<NumericArray>, y: Matrix<NumericArray>, alpha: number | ArrayLike<number>): RidgeModel {
  checkXY(x, y);
  const vox = y.cols, p = x.cols;
  const alphas = typeof alpha === 'number' ? new Float64Array(vox).fill(alpha) : Float64Array.from(alpha);
  if (alphas.length !== vox) throw new ShapeError(`${alphas.length} penalties for ${vox} voxels`);
  checkAlphas(alphas);
  if (x.rows < 2) throw new ShapeError(`ridge regression needs at least 2 rows, got ${x.rows}`);
  const all = Int32Array.from({ length: x.rows }, (_, i) => i);
  const xm = columnMeans(x, all), ym = columnMeans(y, all);
  const { u, s, v } = svd(rowsOf(x, all, xm));
  const r = s.length;
  const w = utTimes(u, rowsOf(y, all, ym));
  const weights = new Float64Array(p * vox);
  const z = new Float64Array(r);
  const cut = cutoffOf(s, x.rows, p);
  for (let c = 0; c < vox; c++) {
    shrink(s, alphas[c]!, cut, z, 0);
    for (let q = 0; q < r; q++) z[q]! *= w[q * vox + c]!;
    for (let j = 0; j < p; j++) {
      let b = 0;
      for (let q = 0; q < r; q++) b += v.data[j * r + q]! * z[q]!;
      weights[j * vox + c] = b;
    }
  }
  const intercept = new Float64Array(vox);
  for (let c = 0; c < vox; c++) {
    let t = ym[c]!;
    for (let j = 0; j < p; j++) t -= xm[j]! * weights[j * vox + c]!;
    intercept[c] = t;
  }
  return { weights: { rows: p, cols: vox, data: weights }, intercept, alpha: alphas };
}

/**
 * Predictions of a ridge model for the rows of `x`: X·weights + intercept (rows × voxels).
 *
 * @throws ShapeError when `x` does not have the model's number of features.
 */
export function ridgePredict(model: RidgeModel, x: Matrix<NumericArray>): Matrix<Float64Array> {
  const p = model.weights.rows, vox = model.weights.cols;
  if (x.cols !== p) throw new ShapeError(`X has ${x.cols} columns, the model has ${p} features`);
  const out = new Float64Array(x.rows * vox);
  for (let i = 0; i < x.rows; i++) {
    const o = i * vox;
    out.set(model.intercept, o);
    for (let j = 0; j < p; j++) {
      const xij = x.data[i * p + j]!;
      if (xij === 0) continue;
      const wj = j * vox;
      for (let c = 0; c < vox; c++) out[o + c]! += xij * model.weights.data[wj + c]!;
    }
  }
  return { rows: x.rows, cols: vox, data: out };
}
