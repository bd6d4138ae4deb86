import { createProgress, InvalidArgumentError, ShapeError, type Matrix, type ProgressListener } from '@conceptlab/core';

export interface PredictedSimilarityOptions {
  /** The objects whose similarities are wanted (distinct indices); row/column r of the result is objects[r]. Default: all. */
  readonly objects?: Int32Array | readonly number[];
  /** The third objects k averaged over (distinct indices), e.g. all 1,854, the 48, or an image set. Default: all. */
  readonly context?: Int32Array | readonly number[];
  /** Softmax temperature T: s = x_i·x_j / T (default 1, as the paper). */
  readonly temperature?: number;
  /**
   * Progress in pairs (i < j). The final event's detail says which shift was used
   * (`shift`: "global" or "per-row") and how many pairs took the exact slow path (`exactPairs`).
   */
  readonly onProgress?: ProgressListener;
}

/**
 * Dynamic range (in units of s) that exp(s − shift) may span and stay a normal double with room to spare:
 * e^−690 ≈ 1e−300 > 2.2e−308, the smallest normal. Terms more than this below a pair's own e^{s_ij}
 * contribute < 1e−300 relative and may underflow harmlessly.
 */
const SAFE_RANGE = 690;

/** Row-block sizes of the pair loop: a block of j rows of E (BLOCK_J · |context| doubles) stays in L2 across an i block. */
const BLOCK_I = 32;
const BLOCK_J = 16;

/**
 * The SPoSE-predicted similarity matrix (Hebart et al. 2020; Du et al. 2025 "predicted similarity"):
 *
 *   S_ij = mean over k ∈ context, k ∉ {i, j}, of exp(s_ij) / (exp(s_ij) + exp(s_ik) + exp(s_jk)),  s = x·x′ / T,
 *
 * the probability that i and j are kept together as the pair when shown with a third object k, averaged
 * over k. The diagonal is 1; the matrix is symmetric. A pair whose context holds no third object
 * (context ⊆ {i, j}) is NaN.
 *
 * Computation (1,854 objects ≈ 3.2·10⁹ distinct (pair, k) terms): the objects × context dot products
 * are computed once and exponentiated once, E_ik = exp(s_ik − shift_i); each pair i < j then sums
 * E_ij / (E_ij + E_ik + f·E_jk) over k (contiguous rows E_i·, E_j·, k innermost; f = exp(shift_j − shift_i))
 * and the result is mirrored. Shifts keep every exponential finite:
 * - `global` (all s_ij, i ≠ j, within {@link SAFE_RANGE} of each other): one shift, the largest s; E ∈ (e^−690, 1],
 *   f = 1. (Self-similarities s_ii never enter a term and are left out of the range.)
 * - `per-row` (otherwise, e.g. very large weights): shift_i = the largest s_ik (k ≠ i) in object i's row, and each pair is
 *   evaluated from the row with the larger shift (so f ≤ 1 never overflows). A pair whose own s_ij lies more
 *   than SAFE_RANGE below that shift (E_ij would underflow, 0/0) takes an exact path instead:
 *   1 / (1 + exp(s_ik − s_ij) + exp(s_jk − s_ij)), where overflow to ∞ correctly gives a 0 term. That path
 *   costs two exp per term, so only embeddings with similarity ranges in the hundreds are slow.
 *
 * Single-threaded: at 1,854 × 1,854 with an all-objects context it runs in a few seconds
 * (tools/bench/predicted-similarity.bench.mjs).
 *
 * @throws InvalidArgumentError for a bad temperature, non-finite weights, bad/duplicate indices, or more objects
 *   (× context) than one typed array holds;
 *   ShapeError when the embedding's data does not match its shape.
 */
export function predictedSimilarity(embedding: Matrix<Float32Array | Float64Array>, options: PredictedSimilarityOptions = {}): Matrix<Float64Array> {
  const n = embedding.rows, D = embedding.cols, w = embedding.data;
  if (w.length !== n * D) throw new ShapeError(`embedding data has ${w.length} values; ${n}×${D} needs ${n * D}`);
  for (let t = 0; t < w.length; t++) {
    if (!Number.isFinite(w[t])) throw new InvalidArgumentError(`embedding[${Math.floor(t / D)}][${t % D}]`, 'a finite weight', w[t]);
  }
  const T = options.temperature ?? 1;
  if (!(T > 0) || !Number.isFinite(T)) throw new InvalidArgumentError('temperature', 'a positive finite number', T);
  const objs = indexList('objects', options.objects, n);
  const ctx = indexList('context', options.context, n);
  const m = objs.length, c = ctx.length;
  // The m × m result and the m × context products are typed arrays of at most 2^31 − 1 values each.
  if (m * Math.max(m, c) > 2 ** 31 - 1) {
    throw new InvalidArgumentError('objects', 'at most 2^31 − 1 values in the objects × objects result and the objects × context products (one typed array each)', `${m} objects, ${c} context objects`);
  }
  // Position of each object in the context (−1 if absent), to skip k ∈ {i, j}.
  const ctxPos = new Int32Array(n).fill(-1);
  for (let b = 0; b < c; b++) ctxPos[ctx[b]] = b;

  // s_ij for the object pairs, stored in the output (overwritten pair by pair with S_ij below), and
  // G = s over objects × context. Both scaled by 1/T.
  const out = new Float64Array(m * m);
  const G = new Float64Array(m * c);
  const invT = 1 / T;
  gram(w, D, objs, objs, out, invT, true);
  gram(w, D, objs, ctx, G, invT, false);

  // Range of the s that enter some term: self-similarities s_ii never do (k ∉ {i, j}), so they are left out
  // (their E entries may overflow; they are never read).
  const rowMax = new Float64Array(m).fill(-Infinity);
  let gmin = Infinity;
  for (let a = 0; a < m; a++) {
    const self = ctxPos[objs[a]];
    let mx = -Infinity, mn = Infinity;
    for (let b = 0; b < c; b++) {
      if (b === self) continue;
      const v = G[a * c + b];
      if (v > mx) mx = v;
      if (v < mn) mn = v;
    }
    for (let b = 0; b < m; b++) {
      if (b === a) continue;
      const v = out[a * m + b];
      if (v > mx) mx = v;
      if (v < mn) mn = v;
    }
    rowMax[a] = mx;
    if (mn < gmin) gmin = mn;
  }
  let gmax = -Infinity;
  for (let a = 0; a < m; a++) if (rowMax[a] > gmax) gmax = rowMax[a];
  const global = !(gmax - gmin > SAFE_RANGE);
  const shift = new Float64Array(m);
  if (global) shift.fill(Number.isFinite(gmax) ? gmax : 0);
  else for (let a = 0; a < m; a++) shift[a] = Number.isFinite(rowMax[a]) ? rowMax[a] : 0;
  // E = exp(G − shift): in place under the global shift (G is no longer needed: no pair takes the exact path);
  // a separate array per-row, where the exact path reads G.
  const E = global ? G : new Float64Array(m * c);
  for (let a = 0; a < m; a++) {
    const sh = shift[a], o = a * c;
    for (let b = 0; b < c; b++) E[o + b] = Math.exp(G[o + b] - sh);
  }

  const totalPairs = (m * (m - 1)) / 2;
  const progress = createProgress('predicted similarity', options.onProgress, { total: totalPairs, unit: 'pairs' });
  let done = 0, exactPairs = 0;
  for (let a0 = 0; a0 < m; a0 += BLOCK_I) {
    const a1 = Math.min(m, a0 + BLOCK_I);
    for (let b0 = a0; b0 < m; b0 += BLOCK_J) {
      const b1 = Math.min(m, b0 + BLOCK_J);
      for (let a = a0; a < a1; a++) {
        for (let b = Math.max(a + 1, b0); b < b1; b++) {
          // Evaluate from the row with the larger shift, so f = exp(shift_j − shift_i) ≤ 1.
          let i = a, j = b;
          if (shift[b] > shift[a]) { i = b; j = a; }
          const sij = out[a * m + b];
          // Skip k = i and k = j where they belong to the context: sum over the ranges between them.
          let p = ctxPos[objs[a]], q = ctxPos[objs[b]];
          if (p > q) { const x = p; p = q; q = x; }
          const count = c - (p >= 0 ? 1 : 0) - (q >= 0 ? 1 : 0);
          let sum: number;
          const d = sij - shift[i];
          if (d >= -SAFE_RANGE) {
            const eij = Math.exp(d);
            const f = Math.exp(shift[j] - shift[i]);
            const oi = i * c, oj = j * c;
            sum = 0;
            let lo = 0;
            if (p >= 0) { sum += termSum(E, oi, oj, eij, f, lo, p); lo = p + 1; }
            if (q >= 0) { sum += termSum(E, oi, oj, eij, f, lo, q); lo = q + 1; }
            sum += termSum(E, oi, oj, eij, f, lo, c);
          } else {
            exactPairs++;
            const oi = i * c, oj = j * c;
            sum = 0;
            let lo = 0;
            if (p >= 0) { sum += exactSum(G, oi, oj, sij, lo, p); lo = p + 1; }
            if (q >= 0) { sum += exactSum(G, oi, oj, sij, lo, q); lo = q + 1; }
            sum += exactSum(G, oi, oj, sij, lo, c);
          }
          const v = count > 0 ? sum / count : NaN;
          out[a * m + b] = v;
          out[b * m + a] = v;
        }
      }
    }
    for (let a = a0; a < a1; a++) done += m - 1 - a;
    progress.update(done);
  }
  for (let a = 0; a < m; a++) out[a * m + a] = 1;
  progress.end({ shift: global ? 'global' : 'per-row', exactPairs });
  return { rows: m, cols: m, data: out };
}

/** Σ_{k ∈ [lo, hi)} e / (e + E[oi+k] + f·E[oj+k]). */
function termSum(E: Float64Array, oi: number, oj: number, e: number, f: number, lo: number, hi: number): number {
  let s = 0;
  if (f === 1) {
    for (let k = lo; k < hi; k++) s += e / (e + E[oi + k] + E[oj + k]);
  } else {
    for (let k = lo; k < hi; k++) s += e / (e + E[oi + k] + f * E[oj + k]);
  }
  return s;
}

/** Σ_{k ∈ [lo, hi)} 1 / (1 + exp(G[oi+k] − s) + exp(G[oj+k] − s)): exact for any range (∞ gives a 0 term). */
function exactSum(G: Float64Array, oi: number, oj: number, s: number, lo: number, hi: number): number {
  let acc = 0;
  for (let k = lo; k < hi; k++) acc += 1 / (1 + Math.exp(G[oi + k] - s) + Math.exp(G[oj + k] - s));
  return acc;
}

/**
 * out[a·|cols| + b] = (x_rows[a] · x_cols[b]) · scale, blocked over `cols` so a block of column rows stays in cache.
 * With `symmetric` (rows and cols the same list) only b ≥ a is computed and mirrored.
 */
function gram(w: Float32Array | Float64Array, D: number, rows: Int32Array, cols: Int32Array, out: Float64Array, scale: number, symmetric: boolean): void {
  const m = rows.length, c = cols.length;
  const BLOCK = 64;
  for (let b0 = 0; b0 < c; b0 += BLOCK) {
    const b1 = Math.min(c, b0 + BLOCK);
    for (let a = 0; a < m; a++) {
      const oa = rows[a] * D;
      for (let b = symmetric ? Math.max(a, b0) : b0; b < b1; b++) {
        const ob = cols[b] * D;
        let s = 0;
        for (let d = 0; d < D; d++) s += w[oa + d] * w[ob + d];
        s *= scale;
        out[a * c + b] = s;
        if (symmetric) out[b * c + a] = s;
      }
    }
  }
}

/** A validated list of distinct object indices in [0, n) (default: all of 0..n−1). */
function indexList(name: string, list: Int32Array | readonly number[] | undefined, n: number): Int32Array {
  if (list === undefined) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const out = new Int32Array(list.length);
  const seen = new Uint8Array(n);
  for (let r = 0; r < list.length; r++) {
    const x = list[r];
    if (!Number.isInteger(x) || x < 0 || x >= n) throw new InvalidArgumentError(`${name}[${r}]`, `an object index in [0, ${n - 1}]`, x);
    if (seen[x]) throw new InvalidArgumentError(`${name}[${r}]`, 'distinct object indices', `${x} again`);
    seen[x] = 1;
    out[r] = x;
  }
  return out;
}
