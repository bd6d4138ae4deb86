import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';

/** Covariance estimators of {@link noiseCovariance}, named as rsatoolbox's `cov_from_residuals`. */
export type NoiseCovarianceMethod = 'shrinkage_diag' | 'shrinkage_eye' | 'diag' | 'full';

/** Options of {@link noiseCovariance} / {@link noisePrecision}. */
export interface NoiseCovarianceOptions {
  /** Estimator (default `'shrinkage_diag'`, as rsatoolbox). */
  readonly method?: NoiseCovarianceMethod;
  /**
   * Degrees of freedom (default: rows − 1). Pass the residual degrees of freedom of the GLM when the
   * residuals come from one (rows − number of regressors).
   */
  readonly dof?: number;
}

const METHODS: readonly NoiseCovarianceMethod[] = ['shrinkage_diag', 'shrinkage_eye', 'diag', 'full'];

/**
 * The channels × channels noise covariance estimated from a residuals matrix (rows = time points or
 * observations, columns = channels), exactly as rsatoolbox's `cov_from_residuals(residuals, dof,
 * method)` for one 2-D array. The columns are first demeaned; N = rows, S = XᵀX (over demeaned rows):
 *
 * - `'full'`: S / dof.
 * - `'diag'`: the diagonal of S / dof (off-diagonal 0).
 * - `'shrinkage_eye'` (Ledoit & Wolf 2004): s = S/N, m = tr(s)/p, d² = ‖s − mI‖²_F,
 *   b² = min(d², Σ_jk(Σ_r x_rj² x_rk² / N − s_jk²) / N); Σ = (b²/d²)·m·I + ((d² − b²)/d²)·s,
 *   then multiplied by N / dof.
 * - `'shrinkage_diag'` (Schäfer & Strimmer 2005): s = S/dof; with r_jk = S_jk/(σ_j σ_k dof) and
 *   q_jk = Σ_r x_rj² x_rk² / (σ_j² σ_k² dof) (σ_j² = s_jj), var̂ = N/dof²·(q − r²),
 *   λ = clip(Σ_{j≠k} var̂_jk / Σ_{j≠k} r_jk², 0, 1); Σ = s with its off-diagonal entries times (1 − λ).
 *
 * Cost O(N·p²) time and O(p²) memory.
 *
 * @throws ShapeError with fewer than 2 rows or no channel.
 * @throws InvalidArgumentError for an unknown method, a dof that is not a positive number, or a
 *   non-finite residual.
 */
export function noiseCovariance(residuals: Matrix<NumericArray>, options: NoiseCovarianceOptions = {}): Matrix<Float64Array> {
  const { rows: N, cols: p, data } = residuals;
  const method = options.method ?? 'shrinkage_diag';
  if (!METHODS.includes(method)) throw new InvalidArgumentError('method', METHODS.map((m) => `'${m}'`).join(', '), method);
  if (data.length !== N * p) throw new ShapeError(`residuals data has ${data.length} elements, expected ${N}×${p}`);
  if (N < 2) throw new ShapeError(`residuals must have at least 2 rows, got ${N}`);
  if (p < 1) throw new ShapeError('residuals must have at least 1 channel (column)');
  const dof = options.dof ?? N - 1;
  if (!(dof > 0) || !Number.isFinite(dof)) throw new InvalidArgumentError('dof', 'a positive number', dof);
  const x = new Float64Array(N * p);
  for (let c = 0; c < p; c++) {
    let s = 0;
    for (let r = 0; r < N; r++) {
      const v = data[r * p + c]!;
      if (!Number.isFinite(v)) throw new InvalidArgumentError(`residuals[${r}][${c}]`, 'a finite number', v);
      s += v;
    }
    const mean = s / N;
    for (let r = 0; r < N; r++) x[r * p + c] = data[r * p + c]! - mean;
  }
  const out = new Float64Array(p * p);
  if (method === 'diag') {
    for (let c = 0; c < p; c++) {
      let s = 0;
      for (let r = 0; r < N; r++) s += x[r * p + c]! ** 2;
      out[c * p + c] = s / dof;
    }
    return { rows: p, cols: p, data: out };
  }
  const S = new Float64Array(p * p);
  const S2 = method === 'full' ? undefined : new Float64Array(p * p);
  for (let r = 0; r < N; r++) {
    const o = r * p;
    for (let j = 0; j < p; j++) {
      const xj = x[o + j]!;
      for (let k = j; k < p; k++) {
        const v = xj * x[o + k]!;
        S[j * p + k]! += v;
        if (S2) S2[j * p + k]! += v * v;
      }
    }
  }
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < j; k++) {
      S[j * p + k] = S[k * p + j]!;
      if (S2) S2[j * p + k] = S2[k * p + j]!;
    }
  }
  if (method === 'full') {
    for (let q = 0; q < p * p; q++) out[q] = S[q]! / dof;
  } else if (method === 'shrinkage_eye') {
    let b2 = 0;
    let m = 0;
    for (let q = 0; q < p * p; q++) {
      const s = S[q]! / N;
      b2 += S2![q]! / N - s * s;
    }
    b2 /= N;
    for (let c = 0; c < p; c++) m += S[c * p + c]! / N;
    m /= p;
    let d2 = 0;
    for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) d2 += (S[j * p + k]! / N - (j === k ? m : 0)) ** 2;
    b2 = Math.min(d2, b2);
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) {
        const s = S[j * p + k]! / N;
        out[j * p + k] = ((j === k ? (b2 / d2) * m : 0) + ((d2 - b2) / d2) * s) * (N / dof);
      }
    }
  } else {
    const variance = new Float64Array(p);
    for (let c = 0; c < p; c++) variance[c] = S[c * p + c]! / dof;
    const sd = variance.map(Math.sqrt);
    let num = 0;
    let den = 0;
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) {
        if (j === k) continue;
        const sMean = S[j * p + k]! / sd[k]! / sd[j]! / dof;
        const s2Mean = S2![j * p + k]! / variance[k]! / variance[j]! / dof;
        num += (N / dof ** 2) * (s2Mean - sMean * sMean);
        den += sMean * sMean;
      }
    }
    const lambda = Math.max(Math.min(num / den, 1), 0);
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) out[j * p + k] = (S[j * p + k]! / dof) * (j === k ? 1 : 1 - lambda);
    }
  }
  return { rows: p, cols: p, data: out };
}

/**
 * The noise precision matrix: the inverse of {@link noiseCovariance} (rsatoolbox's
 * `prec_from_residuals`, `np.linalg.inv` of the covariance), by Gauss–Jordan elimination with partial
 * pivoting.
 *
 * @throws InvalidArgumentError when the covariance is singular (e.g. `'full'` with fewer rows than
 *   channels), plus everything {@link noiseCovariance} throws.
 */
export function noisePrecision(residuals: Matrix<NumericArray>, options: NoiseCovarianceOptions = {}): Matrix<Float64Array> {
  return invertMatrix(noiseCovariance(residuals, options), 'noise covariance');
}

/**
 * The inverse of a square matrix by Gauss–Jordan elimination with partial pivoting.
 *
 * @throws ShapeError when `m` is not square.
 * @throws InvalidArgumentError when `m` is singular to working precision.
 */
export function invertMatrix(m: Matrix<NumericArray>, name = 'matrix'): Matrix<Float64Array> {
  const { rows: n, cols, data } = m;
  if (n !== cols || data.length !== n * n) throw new ShapeError(`${name} must be square, got ${n}×${cols}`);
  const a = Float64Array.from(data);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[piv * n + c]!)) piv = r;
    const pv = a[piv * n + c]!;
    if (!(Math.abs(pv) > scale * n * Number.EPSILON)) throw new InvalidArgumentError(name, 'an invertible matrix', 'a singular one');
    if (piv !== c) {
      for (let k = 0; k < n; k++) {
        [a[c * n + k], a[piv * n + k]] = [a[piv * n + k]!, a[c * n + k]!];
        [inv[c * n + k], inv[piv * n + k]] = [inv[piv * n + k]!, inv[c * n + k]!];
      }
    }
    for (let k = 0; k < n; k++) {
      a[c * n + k]! /= pv;
      inv[c * n + k]! /= pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r * n + c]!;
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k]! -= f * a[c * n + k]!;
        inv[r * n + k]! -= f * inv[c * n + k]!;
      }
    }
  }
  return { rows: n, cols: n, data: inv };
}
