import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { symmetricEigen } from '@conceptlab/core/stats';

// Local bindings: a global `Math` lookup inside a hot loop is slow in vm contexts (e.g. jest).
const { sqrt, abs } = Math;

/** Check a square, symmetric, finite dissimilarity matrix with a zero diagonal (tolerance 1e-9). */
export function checkDissimilarity(d: Matrix<NumericArray>, name = 'dissimilarity'): void {
  const n = d.rows;
  if (d.cols !== n) throw new ShapeError(`${name}: a square matrix is needed, got ${d.rows}×${d.cols}`);
  for (let i = 0; i < n; i++) {
    if (abs(d.data[i * n + i]) > 1e-9) throw new InvalidArgumentError(`${name}[${i}][${i}]`, 'a zero diagonal', d.data[i * n + i]);
    for (let j = 0; j < i; j++) {
      const a = d.data[i * n + j], b = d.data[j * n + i];
      if (!Number.isFinite(a) || !Number.isFinite(b)) throw new InvalidArgumentError(`${name}[${i}][${j}]`, 'a finite value', a);
      if (abs(a - b) > 1e-9 * Math.max(1, abs(a))) throw new InvalidArgumentError(`${name}[${i}][${j}]`, `a symmetric matrix (the mirror entry is ${b})`, a);
    }
  }
}

/**
 * Classical (Torgerson) MDS: B = −½ J D⁽²⁾ J with J = I − 11ᵀ/n; coordinates = the top `dims` eigenvectors of B
 * scaled by √λ (λ < 0 → 0). The eigenvectors come from deterministic subspace iteration (dims + 4 vectors,
 * started from a fixed basis, Rayleigh–Ritz each step, until the eigenvalues change by < 1e-12 relative or
 * 1000 steps). Sign convention: each coordinate's largest-|value| entry is positive (so results compare with
 * `numpy.linalg.eigh` after the same normalisation). Output is n × dims, row-major.
 *
 * @throws as {@link checkDissimilarity}; InvalidArgumentError for dims < 1 or > n.
 */
export function classicalMds(dissimilarity: Matrix<NumericArray>, dims = 2): Matrix<Float64Array> {
  checkDissimilarity(dissimilarity);
  const n = dissimilarity.rows;
  if (!Number.isInteger(dims) || dims < 1 || dims > n) throw new InvalidArgumentError('dims', `an integer in [1, ${n}]`, dims);
  const B = new Float64Array(n * n);
  const rowMean = new Float64Array(n);
  let all = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) { const v = dissimilarity.data[i * n + j] ** 2; B[i * n + j] = v; s += v; }
    rowMean[i] = s / n;
    all += s;
  }
  all /= n * n;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) B[i * n + j] = -0.5 * (B[i * n + j] - rowMean[i] - rowMean[j] + all);
  const q = Math.min(n, dims + 4);
  // Q: n × q column-major (column c at c*n).
  let Q = new Float64Array(n * q);
  for (let c = 0; c < q; c++) for (let i = 0; i < n; i++) Q[c * n + i] = Math.cos((i + 1) * (c + 1) * 0.7071 + c) + (i % (c + 2) === 0 ? 0.5 : 0);
  orthonormalize(Q, n, q);
  let prev = new Float64Array(q).fill(NaN);
  let values: Float64Array = new Float64Array(q), vecs: Float64Array = new Float64Array(q * q);
  const Z = new Float64Array(n * q);
  for (let it = 0; it < 1000; it++) {
    // Z = B Q
    Z.fill(0);
    for (let i = 0; i < n; i++) {
      const bo = i * n;
      for (let c = 0; c < q; c++) {
        const co = c * n;
        let s = 0;
        for (let j = 0; j < n; j++) s += B[bo + j] * Q[co + j];
        Z[co + i] = s;
      }
    }
    // Rayleigh–Ritz: H = Qᵀ Z
    const H = new Float64Array(q * q);
    for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Q[a * n + i] * Z[b * n + i];
      H[a * q + b] = s;
    }
    for (let a = 0; a < q; a++) for (let b = a + 1; b < q; b++) H[a * q + b] = H[b * q + a] = (H[a * q + b] + H[b * q + a]) / 2;
    ({ values, vectors: vecs } = symmetricEigen(H, q));
    // Q ← orth(Z · vecs)
    const next = new Float64Array(n * q);
    for (let c = 0; c < q; c++) for (let a = 0; a < q; a++) {
      const w = vecs[a * q + c];
      if (w === 0) continue;
      for (let i = 0; i < n; i++) next[c * n + i] += Z[a * n + i] * w;
    }
    orthonormalize(next, n, q);
    Q = next;
    let done = true;
    for (let c = 0; c < dims; c++) if (!(abs(values[c] - prev[c]) <= 1e-12 * Math.max(1e-300, abs(values[0])))) done = false;
    prev = Float64Array.from(values);
    if (done) break;
  }
  const out = new Float64Array(n * dims);
  for (let c = 0; c < dims; c++) {
    let big = 0;
    for (let i = 0; i < n; i++) if (abs(Q[c * n + i]) > abs(big)) big = Q[c * n + i];
    const scale = sqrt(Math.max(0, values[c])) * (big < 0 ? -1 : 1);
    for (let i = 0; i < n; i++) out[i * dims + c] = Q[c * n + i] * scale;
  }
  return { rows: n, cols: dims, data: out };
}

function orthonormalize(Q: Float64Array, n: number, q: number): void {
  for (let c = 0; c < q; c++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let b = 0; b < c; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += Q[c * n + i] * Q[b * n + i];
        for (let i = 0; i < n; i++) Q[c * n + i] -= s * Q[b * n + i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += Q[c * n + i] ** 2;
    norm = sqrt(norm);
    if (norm < 1e-300) {
      for (let i = 0; i < n; i++) Q[c * n + i] = i === c ? 1 : 0;
      c--; // re-orthogonalise the unit vector (n ≥ q, so some unit vector is independent)
      continue;
    }
    for (let i = 0; i < n; i++) Q[c * n + i] /= norm;
  }
}

/** Raw stress Σ_{i<j} (‖x_i − x_j‖ − δ_ij)² of a configuration against dissimilarities δ. */
export function stress(dissimilarity: Matrix<NumericArray>, x: Matrix<NumericArray>): number {
  const n = dissimilarity.rows, k = x.cols;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    let d2 = 0;
    for (let c = 0; c < k; c++) d2 += (x.data[i * k + c] - x.data[j * k + c]) ** 2;
    s += (sqrt(d2) - dissimilarity.data[i * n + j]) ** 2;
  }
  return s;
}

/** Result of SMACOF. */
export interface SmacofResult {
  readonly coordinates: Matrix<Float64Array>;
  readonly stress: number;
  readonly iterations: number;
}

/**
 * Metric MDS by SMACOF (de Leeuw 1977; unit weights, as `sklearn.manifold.MDS(metric=True)`): Guttman
 * transform X ← B(X)X / n from `init` until the raw stress falls by less than `eps` (relative) or `maxIter`
 * steps. Stress never increases (majorization). Deterministic.
 *
 * @throws as {@link checkDissimilarity}; ShapeError when init has another number of rows.
 */
export function smacof(dissimilarity: Matrix<NumericArray>, init: Matrix<NumericArray>, options: { maxIter?: number; eps?: number } = {}): SmacofResult {
  checkDissimilarity(dissimilarity);
  const n = dissimilarity.rows, k = init.cols;
  if (init.rows !== n) throw new ShapeError(`smacof: init has ${init.rows} rows for ${n} objects`);
  const maxIter = options.maxIter ?? 300;
  const eps = options.eps ?? 1e-6;
  let X = Float64Array.from(init.data);
  const delta = dissimilarity.data;
  let prev = Infinity;
  let cur = Infinity;
  let it = 0;
  // Each pass computes the distances of X once: its stress, and the Guttman transform of X.
  const delta64 = delta instanceof Float64Array ? delta : Float64Array.from(delta);
  for (;;) {
    const next = new Float64Array(n * k);
    const s = k === 2 ? guttmanPass2(X, delta64, n, next) : guttmanPass(X, delta64, n, k, next);
    cur = s;
    if (it >= maxIter || (prev < Infinity && (prev > 0 ? (prev - s) / prev : 0) < eps)) break;
    prev = s;
    for (let t = 0; t < n * k; t++) next[t] /= n;
    // B(X)·1 = 0 centres the transform: add the centroid of X back so the configuration does not move.
    for (let c = 0; c < k; c++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += X[i * k + c];
      m /= n;
      for (let i = 0; i < n; i++) next[i * k + c] += m;
    }
    X = next;
    it++;
  }
  return { coordinates: { rows: n, cols: k, data: X }, stress: cur, iterations: it };
}

/** One SMACOF pass for any dimension k: accumulates B(X)X (unscaled) into `next`, returns the raw stress of X. */
function guttmanPass(X: Float64Array, delta: Float64Array, n: number, k: number, next: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (let c = 0; c < k; c++) { const t = X[i * k + c] - X[j * k + c]; d2 += t * t; }
      const d = sqrt(d2);
      const dl = delta[i * n + j];
      s += (d - dl) * (d - dl);
      const b = d > 0 ? dl / d : 0;
      for (let c = 0; c < k; c++) {
        const diff = b * (X[i * k + c] - X[j * k + c]);
        next[i * k + c] += diff;
        next[j * k + c] -= diff;
      }
    }
  }
  return s;
}

/** {@link guttmanPass} for k = 2 (the maps), with the loop specialised. */
function guttmanPass2(X: Float64Array, delta: Float64Array, n: number, next: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const xi = X[2 * i], yi = X[2 * i + 1];
    let ax = 0, ay = 0;
    const row = i * n;
    for (let j = i + 1; j < n; j++) {
      const dx = xi - X[2 * j], dy = yi - X[2 * j + 1];
      const d = sqrt(dx * dx + dy * dy);
      const dl = delta[row + j];
      s += (d - dl) * (d - dl);
      const b = d > 0 ? dl / d : 0;
      ax += b * dx; ay += b * dy;
      next[2 * j] -= b * dx;
      next[2 * j + 1] -= b * dy;
    }
    next[2 * i] += ax;
    next[2 * i + 1] += ay;
  }
  return s;
}
