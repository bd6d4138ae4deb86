import { InvalidArgumentError, ShapeError } from '@conceptlab/core';

/**
 * Whitened ("covariance-weighted") RDM comparators, as rsatoolbox's `compare_cosine_cov_weighted`
 * (`'cosine_cov'`) and `compare_correlation_cov_weighted` (`'corr_cov'`) with a diagonal or absent
 * `sigma_k`, computed in O(n²) per RDM pair without forming the m×m RDM covariance.
 *
 * rsatoolbox's `_cov_weighting` maps a dissimilarity vector d over n conditions to the double-centred
 * second-moment matrix G = −½·D (diagonal 0) extended by its n diagonal entries: with r_i the row
 * means of G and g the grand mean, w_ij = G_ij − r_i − r_j + g and w_cc = −2 r_c + g; off-diagonal
 * entries are then multiplied by √2 (they occur once, the matrix has them twice). A diagonal
 * `sigma_k` divides w_ij by √(σ_i σ_j) (w_cc by σ_c). The comparator is the cosine of the two
 * weighted vectors (0 when one has zero norm, as rsatoolbox's `_cosine`); `'corr_cov'` first
 * subtracts each vector's mean. For identity `sigma_k` this equals d₁ᵀV⁻¹d₂ / √(d₁ᵀV⁻¹d₁ · d₂ᵀV⁻¹d₂)
 * with V the RDM covariance of rsatoolbox's `_get_v`.
 *
 * With missing dissimilarities (`present[k]` false) rsatoolbox replaces the double centring by the
 * weighted least-squares form w = y − W·X·(XᵀWX)⁻¹·Xᵀy (X: indicators e_i + e_j of each present pair
 * and e_c of each diagonal entry, W = ½ on pairs and 1 on the diagonal). That is reproduced here with
 * an n×n Cholesky solve (O(n³) once per call, only when something is missing).
 */
export type CovMethod = 'corr_cov' | 'cosine_cov';

/**
 * The whitened comparator of two dissimilarity vectors over `n` conditions, with the entries where
 * `present` is false (or 0) left out; both vectors must be finite where it is true (or 1).
 *
 * @param sigmaK optional pattern variances (length n, all > 0): rsatoolbox's 1-D `sigma_k`.
 * @throws ShapeError when the vector lengths are not n(n−1)/2 or `sigmaK` has the wrong length.
 * @throws InvalidArgumentError when a variance in `sigmaK` is not a positive finite number.
 */
export function compareCovWeighted(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number,
  method: CovMethod,
  present?: ArrayLike<boolean | number>,
  sigmaK?: ArrayLike<number>,
): number {
  const len = (n * (n - 1)) / 2;
  if (a.length !== len || b.length !== len) throw new ShapeError(`dissimilarity vectors of lengths ${a.length} and ${b.length}, expected n(n-1)/2 = ${len}`);
  if (sigmaK !== undefined) {
    if (sigmaK.length !== n) throw new ShapeError(`sigmaK has ${sigmaK.length} entries, expected one variance per condition (${n})`);
    for (let i = 0; i < n; i++) {
      const s = sigmaK[i]!;
      if (!(s > 0) || !Number.isFinite(s)) throw new InvalidArgumentError(`sigmaK[${i}]`, 'a positive finite variance', s);
    }
  }
  let all = true;
  if (present) for (let k = 0; k < len; k++) if (!present[k]) { all = false; break; }
  if (all) return fusedFull(a, b, n, method === 'corr_cov', sigmaK);
  const wa = weightMissing(a, n, present!, method === 'corr_cov', sigmaK);
  const wb = weightMissing(b, n, present!, method === 'corr_cov', sigmaK);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < wa.length; k++) {
    ab += wa[k]! * wb[k]!;
    aa += wa[k]! * wa[k]!;
    bb += wb[k]! * wb[k]!;
  }
  return cosineOf(ab, aa, bb);
}

function cosineOf(ab: number, aa: number, bb: number): number {
  const na = Math.sqrt(aa);
  const nb = Math.sqrt(bb);
  if (!(na > 0) || !(nb > 0)) return 0;
  return ab / na / nb;
}

/**
 * The closed form with nothing missing, fused: one pass for the row sums of both vectors, one pass
 * for the three inner products of the weighted vectors (never stored). w_ij = G_ij − r_i − r_j + g, w_cc = −2r_c + g.
 */
function fusedFull(a: ArrayLike<number>, b: ArrayLike<number>, n: number, centre: boolean, sigmaK?: ArrayLike<number>): number {
  const muA = offset(a, centre);
  const muB = offset(b, centre);
  const rowA = new Float64Array(n);
  const rowB = new Float64Array(n);
  // The passes over the pairs run row by row in small functions: called n times per pass, they are optimised
  // early in the first call (a long loop in one call runs unoptimised or on-stack-replaced code until the
  // function has been called several times).
  const sums = new Float64Array(3);
  let totA = 0;
  let totB = 0;
  for (let i = 0, k = 0; i < n; k += n - 1 - i, i++) {
    rowSums(a, b, k, i, n, muA, muB, rowA, rowB, sums);
    totA += sums[0]!;
    totB += sums[1]!;
  }
  const mmA = totA / (n * n);
  const mmB = totB / (n * n);
  for (let i = 0; i < n; i++) {
    rowA[i] = rowA[i]! / n;
    rowB[i] = rowB[i]! / n;
  }
  const inv = sigmaK ? Float64Array.from({ length: n }, (_, i) => 1 / Math.sqrt(sigmaK[i]!)) : undefined;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0, k = 0; i < n; k += n - 1 - i, i++) {
    rowProducts(a, b, k, i, n, muA, muB, rowA[i]! - mmA, rowB[i]! - mmB, rowA, rowB, inv, sums);
    ab += sums[0]!;
    aa += sums[1]!;
    bb += sums[2]!;
  }
  // A NaN (or an infinity) anywhere makes the sums NaN: NaN, never a cosine of 0 (the caller may then look for
  // missing pairs).
  if (Number.isNaN(ab + aa + bb)) return Number.NaN;
  // Off-diagonal entries carry a factor √2, i.e. 2 in the products.
  ab *= 2;
  aa *= 2;
  bb *= 2;
  for (let c = 0; c < n; c++) {
    let xa = -2 * rowA[c]! + mmA;
    let xb = -2 * rowB[c]! + mmB;
    if (inv) {
      const w = inv[c]! * inv[c]!;
      xa *= w;
      xb *= w;
    }
    ab += xa * xb;
    aa += xa * xa;
    bb += xb * xb;
  }
  return cosineOf(ab, aa, bb);
}

/**
 * Row i of the double centring's first pass (pairs k.. of row i): adds each G_ij (j > i) to rowA[j] / rowB[j]
 * and the row's sum to rowA[i] / rowB[i]; out[0], out[1]: twice the row's sums (its share of the grand totals).
 */
function rowSums(a: ArrayLike<number>, b: ArrayLike<number>, k: number, i: number, n: number, muA: number, muB: number, rowA: Float64Array, rowB: Float64Array, out: Float64Array): void {
  let ra = 0;
  let rb = 0;
  for (let j = i + 1; j < n; j++, k++) {
    const ga = -0.5 * (a[k]! - muA);
    const gb = -0.5 * (b[k]! - muB);
    ra += ga;
    rb += gb;
    rowA[j]! += ga;
    rowB[j]! += gb;
  }
  rowA[i]! += ra;
  rowB[i]! += rb;
  out[0] = 2 * ra;
  out[1] = 2 * rb;
}

/** Row i of the second pass: out = the row's sums of xa·xb, xa², xb² over its pairs (the weighted entries, never stored). */
function rowProducts(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  k: number,
  i: number,
  n: number,
  muA: number,
  muB: number,
  mai: number,
  mbi: number,
  rowA: Float64Array,
  rowB: Float64Array,
  inv: Float64Array | undefined,
  out: Float64Array,
): void {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = i + 1; j < n; j++, k++) {
    let xa = -0.5 * (a[k]! - muA) - mai - rowA[j]!;
    let xb = -0.5 * (b[k]! - muB) - mbi - rowB[j]!;
    if (inv) {
      const w = inv[i]! * inv[j]!;
      xa *= w;
      xb *= w;
    }
    ab += xa * xb;
    aa += xa * xa;
    bb += xb * xb;
  }
  out[0] = ab;
  out[1] = aa;
  out[2] = bb;
}

/** Mean of the entries of `v` (where `present`), or 0 without centring. */
function offset(v: ArrayLike<number>, centre: boolean, present?: ArrayLike<boolean | number>): number {
  if (!centre) return 0;
  let s = 0;
  let c = 0;
  for (let k = 0; k < v.length; k++) {
    if (present && !present[k]) continue;
    s += v[k]!;
    c++;
  }
  return s / c;
}

/** The extended whitened vector with missing pairs: rsatoolbox's weighted least-squares centring. */
function weightMissing(
  v: ArrayLike<number>,
  n: number,
  present: ArrayLike<boolean | number>,
  centre: boolean,
  sigmaK?: ArrayLike<number>,
): Float64Array {
  const len = v.length;
  const mu = offset(v, centre, present);
  // A = XᵀWX (n×n) and b = Xᵀy, y = −½(v − μ) on present pairs, 0 on the diagonal.
  const A = new Float64Array(n * n);
  const bvec = new Float64Array(n);
  for (let c = 0; c < n; c++) A[c * n + c] = 1;
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) {
      if (!present[k]) continue;
      const y = -0.5 * (v[k]! - mu);
      A[i * n + i]! += 0.5;
      A[j * n + j]! += 0.5;
      A[i * n + j]! += 0.5;
      A[j * n + i]! += 0.5;
      bvec[i]! += y;
      bvec[j]! += y;
    }
  }
  const a = choleskySolve(A, bvec, n);
  const sq = sigmaK ? Float64Array.from({ length: n }, (_, i) => Math.sqrt(sigmaK[i]!)) : undefined;
  // Output only the present pairs (in order) and the n diagonal entries.
  let m = 0;
  for (let q = 0; q < len; q++) if (present[q]) m++;
  const w = new Float64Array(m + n);
  k = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) {
      if (!present[k]) continue;
      let x = -0.5 * (v[k]! - mu) - 0.5 * (a[i]! + a[j]!);
      if (sq) x = x / sq[i]! / sq[j]!;
      w[o++] = x * Math.SQRT2;
    }
  }
  for (let c = 0; c < n; c++) {
    let x = -a[c]!;
    if (sq) x = x / sq[c]! / sq[c]!;
    w[m + c] = x;
  }
  return w;
}

/** Solves A x = b for a symmetric positive definite n×n A (row-major; overwritten by its Cholesky factor). */
function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j]!;
    for (let p = 0; p < j; p++) d -= A[j * n + p]! ** 2;
    const ljj = Math.sqrt(d);
    A[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j]!;
      for (let p = 0; p < j; p++) s -= A[i * n + p]! * A[j * n + p]!;
      A[i * n + j] = s / ljj;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let p = 0; p < i; p++) s -= A[i * n + p]! * x[p]!;
    x[i] = s / A[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let p = i + 1; p < n; p++) s -= A[p * n + i]! * x[p]!;
    x[i] = s / A[i * n + i]!;
  }
  return x;
}
