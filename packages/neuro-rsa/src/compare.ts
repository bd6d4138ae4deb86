import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { checkRdm, type Rdm } from './rdm.js';

/**
 * RDM comparators, named as in rsatoolbox's `rsatoolbox.rdm.compare`:
 * `'corr'` Pearson r, `'cosine'` cosine similarity, `'spearman'` Spearman's rho (Pearson r of
 * average ranks), `'kendall'` (alias `'tau-b'`) Kendall's tau-b as `scipy.stats.kendalltau`,
 * `'tau-a'` Kendall's tau-a, `'rho-a'` rsatoolbox's Spearman rho-a.
 */
export type CompareMethod = 'corr' | 'cosine' | 'spearman' | 'kendall' | 'tau-b' | 'tau-a' | 'rho-a';

const METHODS: readonly CompareMethod[] = ['corr', 'cosine', 'spearman', 'kendall', 'tau-b', 'tau-a', 'rho-a'];

/**
 * The similarity of two RDMs over the same conditions under `method` (see {@link CompareMethod}).
 *
 * NaN-aware: dissimilarity pairs where either RDM is NaN are dropped before comparing (rsatoolbox
 * requires the NaNs in the same positions; this is the more permissive pairwise deletion).
 * With fewer than 2 pairs left the result is NaN. As rsatoolbox's `_cosine`, `'corr'`, `'cosine'`
 * and `'spearman'` give 0 when a (centred) vector has zero norm; `'kendall'` gives NaN when either
 * vector is constant, as scipy.
 *
 * Kendall's tau-b and tau-a use Knight's O(m log m) algorithm (the one scipy uses).
 */
export function compareRdms(a: Rdm, b: Rdm, method: CompareMethod): number {
  checkRdm(a, 'a');
  checkRdm(b, 'b');
  if (a.n !== b.n) throw new ShapeError(`RDMs over different numbers of conditions: a has ${a.n}, b has ${b.n}`);
  if (!METHODS.includes(method)) throw new InvalidArgumentError('method', METHODS.map((m) => `'${m}'`).join(', '), method);
  return compareVectors(a.vector, b.vector, method);
}

/** {@link compareRdms} on two dissimilarity vectors of equal length. */
export function compareVectors(a: ArrayLike<number>, b: ArrayLike<number>, method: CompareMethod): number {
  if (a.length !== b.length) throw new ShapeError(`vectors of different lengths: ${a.length} and ${b.length}`);
  const [x, y] = dropNaNPairs(a, b);
  if (x.length < 2) return Number.NaN;
  switch (method) {
    case 'cosine':
      return cosine(x, y);
    case 'corr':
      return cosine(centred(x), centred(y));
    case 'spearman':
      return cosine(centred(rankAverage(x)), centred(rankAverage(y)));
    case 'rho-a': {
      // rsatoolbox's compare_rho_a: 12 Σ (r_x − r̄)(r_y − r̄) / (m³ − m) on average ranks.
      const rx = centred(rankAverage(x));
      const ry = centred(rankAverage(y));
      const m = x.length;
      return (dot(rx, ry) / (m ** 3 - m)) * 12;
    }
    case 'kendall':
    case 'tau-b':
      return kendall(x, y, 'b');
    case 'tau-a':
      return kendall(x, y, 'a');
    default:
      throw new InvalidArgumentError('method', METHODS.map((m) => `'${m}'`).join(', '), method);
  }
}

function dropNaNPairs(a: ArrayLike<number>, b: ArrayLike<number>): [Float64Array, Float64Array] {
  let m = 0;
  for (let k = 0; k < a.length; k++) if (!Number.isNaN(a[k]!) && !Number.isNaN(b[k]!)) m++;
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  let j = 0;
  for (let k = 0; k < a.length; k++) {
    if (!Number.isNaN(a[k]!) && !Number.isNaN(b[k]!)) {
      x[j] = a[k]!;
      y[j++] = b[k]!;
    }
  }
  return [x, y];
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k]! * y[k]!;
  return s;
}

function centred(x: Float64Array): Float64Array {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k]!;
  const mean = s / x.length;
  const out = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) out[k] = x[k]! - mean;
  return out;
}

function cosine(x: Float64Array, y: Float64Array): number {
  const nx = Math.sqrt(dot(x, x));
  const ny = Math.sqrt(dot(y, y));
  if (!(nx > 0) || !(ny > 0)) return 0;
  return dot(x, y) / nx / ny;
}

/** 1-based ranks with ties given their average rank (scipy.stats.rankdata's default 'average'). */
export function rankAverage(x: ArrayLike<number>): Float64Array {
  const m = x.length;
  const order = Array.from({ length: m }, (_, k) => k).sort((i, j) => x[i]! - x[j]! || i - j);
  const ranks = new Float64Array(m);
  let start = 0;
  while (start < m) {
    let end = start + 1;
    while (end < m && x[order[end]!]! === x[order[start]!]!) end++;
    const r = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let k = start; k < end; k++) ranks[order[k]!] = r;
    start = end;
  }
  return ranks;
}

/** Σ t(t−1)/2 over runs of equal values in a sorted array. */
function tiedPairs(sorted: ArrayLike<number>): number {
  let total = 0;
  let run = 1;
  for (let k = 1; k <= sorted.length; k++) {
    if (k < sorted.length && sorted[k] === sorted[k - 1]) run++;
    else {
      total += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  return total;
}

/** Sorts `v` ascending in place (stable merge sort) and returns the number of inversions (i < j, v[i] > v[j]). */
function mergeSortInversions(v: Float64Array): number {
  const m = v.length;
  let src: Float64Array = v;
  let dst: Float64Array = new Float64Array(m);
  let inversions = 0;
  for (let width = 1; width < m; width *= 2) {
    for (let lo = 0; lo < m; lo += 2 * width) {
      const mid = Math.min(lo + width, m);
      const hi = Math.min(lo + 2 * width, m);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (src[j]! < src[i]!) {
          inversions += mid - i;
          dst[k++] = src[j++]!;
        } else dst[k++] = src[i++]!;
      }
      while (i < mid) dst[k++] = src[i++]!;
      while (j < hi) dst[k++] = src[j++]!;
    }
    [src, dst] = [dst, src];
  }
  if (src !== v) v.set(src);
  return inversions;
}

/**
 * Kendall's tau by Knight's algorithm: sort by (x, y), count x ties and joint ties, count discordant
 * pairs as the inversions of y while merge-sorting it, then count y ties.
 * tau-b = (C − D) / √((T − Tx)(T − Ty)), tau-a = (C − D) / T with T = m(m−1)/2.
 */
function kendall(x: Float64Array, y: Float64Array, variant: 'a' | 'b'): number {
  const m = x.length;
  const order = Array.from({ length: m }, (_, k) => k).sort((i, j) => x[i]! - x[j]! || y[i]! - y[j]!);
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    xs[k] = x[order[k]!]!;
    ys[k] = y[order[k]!]!;
  }
  const xtie = tiedPairs(xs);
  let ntie = 0;
  let run = 1;
  for (let k = 1; k <= m; k++) {
    if (k < m && xs[k] === xs[k - 1] && ys[k] === ys[k - 1]) run++;
    else {
      ntie += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  const dis = mergeSortInversions(ys); // ys is now sorted
  const ytie = tiedPairs(ys);
  const tot = (m * (m - 1)) / 2;
  const conMinusDis = tot - xtie - ytie + ntie - 2 * dis;
  if (variant === 'a') return Math.min(1, Math.max(-1, conMinusDis / tot));
  if (xtie === tot || ytie === tot) return Number.NaN;
  const tau = conMinusDis / Math.sqrt(tot - xtie) / Math.sqrt(tot - ytie);
  return Math.min(1, Math.max(-1, tau));
}
