import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { kendallCountsWasm, kendallWasmFits } from '../kernels/kendall-wasm.js';
import { dropNaNPairs } from './nan-pairs.js';

/** Options of {@link kendallTau}. */
export interface KendallOptions {
  /**
   * `'auto'` (default): the WebAssembly kernel (assembly/kendall.ts) when available, else JavaScript;
   * `'wasm'` or `'js'` to force one. Both count the same exact integers, so give identical results.
   */
  readonly kernel?: 'auto' | 'wasm' | 'js';
}

/** Which Kendall tau {@link kendallTau} computes. */
export type KendallVariant = 'a' | 'b';

/**
 * Kendall's rank correlation of two equally long NaN-free vectors, in O(m log m) by Knight's
 * algorithm (the one `scipy.stats.kendalltau` uses):
 *
 * with C concordant and D discordant pairs, T = m(m−1)/2 pairs, Tx (Ty) pairs tied in x (y):
 * - `'a'`: tau-a = (C − D) / T (rsatoolbox's `tau-a`);
 * - `'b'`: tau-b = (C − D) / √((T − Tx)(T − Ty)) (`scipy.stats.kendalltau(x, y).statistic`,
 *   rsatoolbox's `kendall`); NaN when either vector is constant, as scipy.
 *
 * The counts come from a WebAssembly kernel (assembly/kendall.ts: radix sorts into dense ranks, then the
 * discordant pairs as the inversions of the y ranks in (x, y) order, counted by an MSD radix sort) or
 * from its JavaScript twin (radix ranks, counting sorts, merge-sort inversions). Both count the
 * same exact integers (C − D = T − Tx − Ty + Txy − 2D, all below 2^53), so the result equals the
 * pairwise O(m²) definition up to the final division's rounding; it is clamped to [−1, 1] as
 * scipy. Fewer than two values give NaN. −0 and +0 are equal values. When the same x is passed
 * again (one model against many RDMs), the WebAssembly kernel reuses its sort of x for vectors of
 * up to 65,536 values, after checking that x is bit-identical.
 *
 * @throws ShapeError when the lengths differ.
 * @throws InvalidArgumentError when a value is NaN (drop NaN pairs first, as `compareVectors` does),
 *   or for an unknown variant or kernel.
 */
export function kendallTau(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  variant: KendallVariant,
  options: KendallOptions = {},
): number {
  const { kernel = 'auto' } = options;
  if (kernel !== 'auto' && kernel !== 'wasm' && kernel !== 'js') throw new InvalidArgumentError('kernel', "'auto', 'wasm' or 'js'", kernel);
  checkKendallInput(x, y, variant);
  return kendallTauOfNumbers(x, y, variant, kernel);
}

/**
 * The checks of {@link kendallTau} (and `kendallTauParallel`) on its vectors and variant. Not part of the public API.
 * @throws ShapeError when the lengths differ; InvalidArgumentError for an unknown variant or a NaN.
 */
export function checkKendallInput(x: ArrayLike<number>, y: ArrayLike<number>, variant: KendallVariant): void {
  const m = x.length;
  if (y.length !== m) throw new ShapeError(`vectors of different lengths: ${m} and ${y.length}`);
  if (variant !== 'a' && variant !== 'b') throw new InvalidArgumentError('variant', "'a' or 'b'", variant);
  const k = firstNaN(x, y);
  if (k < 0) return;
  if (Number.isNaN(x[k]!)) throw new InvalidArgumentError(`x[${k}]`, 'a number (not NaN)', 'NaN');
  throw new InvalidArgumentError(`y[${k}]`, 'a number (not NaN)', 'NaN');
}

/** The first index where x or y is NaN, or −1 (a tight loop, the errors built outside it). */
function firstNaN(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const m = x.length;
  for (let k = 0; k < m; k++) {
    const u = x[k]!;
    const v = y[k]!;
    if (u !== u || v !== v) return k;
  }
  return -1;
}

/**
 * {@link kendallTau} on two equally long vectors already known to hold no NaN (`compareVectors` drops
 * the NaN pairs first), with a valid variant and kernel: skips the NaN scan. Not part of the public API.
 */
export function kendallTauOfNumbers(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  variant: KendallVariant,
  kernel: 'auto' | 'wasm' | 'js' = 'auto',
): number {
  const m = x.length;
  if (m < 2) return Number.NaN;
  if (kernel === 'wasm' || (kernel === 'auto' && kendallWasmFits(m))) {
    const counts = kendallCountsWasm(x, y);
    if (!counts) throw new Error('kendallTauOfNumbers: a NaN in vectors the caller checked'); // unreachable
    return tauFromCounts(m, ...counts, variant);
  }
  const rx = denseRanks(x);
  const ry = denseRanks(y);
  return kendallTauRanks(rx.ranks, ry.ranks, variant, rx.distinct, ry.distinct);
}

/**
 * {@link kendallTau} of the pairs where neither x nor y is NaN (`compareVectors`' pairwise deletion; NaN with
 * fewer than 2 pairs left), with a valid variant. The WebAssembly kernel finds a NaN as it counts, so NaN-free
 * vectors (the usual case) are not scanned first; with a NaN the pairs are dropped and counted again. Not part
 * of the public API.
 */
export function kendallTauDroppingNaN(x: ArrayLike<number>, y: ArrayLike<number>, variant: KendallVariant): number {
  const m = x.length;
  if (m >= 2 && kendallWasmFits(m)) {
    const counts = kendallCountsWasm(x, y);
    if (counts) return tauFromCounts(m, ...counts, variant);
  }
  const [a, b] = dropNaNPairs(x, y);
  return kendallTauOfNumbers(a, b, variant);
}

/**
 * {@link kendallTau} from integer ranks: `rx[k]`, `ry[k]` are any integers in [0, boundX) and
 * [0, boundY) that order and tie exactly as the original values (dense ranks from
 * {@link denseRanks}, or the ranks of a larger vector that x is a subsample of — rank once, then
 * reuse for every resample). Same result as {@link kendallTau} on the values.
 *
 * @throws ShapeError when the lengths differ.
 * @throws InvalidArgumentError for a rank outside its bound, or an unknown variant.
 */
export function kendallTauRanks(
  rx: Int32Array,
  ry: Int32Array,
  variant: KendallVariant,
  boundX: number = maxPlusOne(rx),
  boundY: number = maxPlusOne(ry),
): number {
  const m = rx.length;
  if (ry.length !== m) throw new ShapeError(`rank vectors of different lengths: ${m} and ${ry.length}`);
  if (variant !== 'a' && variant !== 'b') throw new InvalidArgumentError('variant', "'a' or 'b'", variant);
  for (let k = 0; k < m; k++) {
    if (!(rx[k]! >= 0 && rx[k]! < boundX)) throw new InvalidArgumentError(`rx[${k}]`, `a rank in [0, ${boundX})`, rx[k]);
    if (!(ry[k]! >= 0 && ry[k]! < boundY)) throw new InvalidArgumentError(`ry[${k}]`, `a rank in [0, ${boundY})`, ry[k]);
  }
  if (m < 2) return Number.NaN;
  const ux = boundX;
  const uy = boundY;
  // Counting sorts: by y rank, then stably by x rank → the pairs in (x, y) order. The rank counts
  // give the tied-pair totals Tx and Ty directly.
  const cx = new Int32Array(ux + 1);
  const cy = new Int32Array(uy + 1);
  for (let k = 0; k < m; k++) {
    cx[rx[k]! + 1]!++;
    cy[ry[k]! + 1]!++;
  }
  const xtie = tiesAndOffsets(cx);
  const ytie = tiesAndOffsets(cy);
  const byY = new Int32Array(m);
  for (let k = 0; k < m; k++) byY[cy[ry[k]!]!++] = k;
  const ySeq = new Int32Array(m); // y ranks in (x, y) order
  const xSeq = new Int32Array(m); // x ranks in (x, y) order
  for (let t = 0; t < m; t++) {
    const k = byY[t]!;
    const p = cx[rx[k]!]!++;
    ySeq[p] = ry[k]!;
    xSeq[p] = rx[k]!;
  }
  // Pairs tied in both x and y: runs of equal (x, y) in that order.
  let ntie = 0;
  let run = 1;
  for (let k = 1; k <= m; k++) {
    if (k < m && xSeq[k] === xSeq[k - 1] && ySeq[k] === ySeq[k - 1]) run++;
    else {
      ntie += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  // Discordant pairs: i < j in (x, y) order with y_i > y_j (pairs tied in x are in ascending y, so
  // they never count).
  const dis = countInversions(ySeq, xSeq);
  return tauFromCounts(m, xtie, ytie, ntie, dis, variant);
}

/** tau-a or tau-b from the exact pair counts (C − D = T − Tx − Ty + Txy − 2D). Not part of the public API. */
export function tauFromCounts(m: number, xtie: number, ytie: number, ntie: number, dis: number, variant: KendallVariant): number {
  const tot = (m * (m - 1)) / 2;
  const conMinusDis = tot - xtie - ytie + ntie - 2 * dis;
  if (variant === 'a') return Math.min(1, Math.max(-1, conMinusDis / tot));
  if (xtie === tot || ytie === tot) return Number.NaN;
  return Math.min(1, Math.max(-1, conMinusDis / Math.sqrt(tot - xtie) / Math.sqrt(tot - ytie)));
}

const maxPlusOne = (r: Int32Array) => {
  let b = 0;
  for (let k = 0; k < r.length; k++) if (r[k]! >= b) b = r[k]! + 1;
  return b;
};

/** Σ c(c−1)/2 over the counts in `c[1..]`, turning `c` into start offsets (c[r] = Σ counts below r). */
function tiesAndOffsets(c: Int32Array): number {
  let ties = 0;
  for (let r = 1; r < c.length; r++) {
    const n = c[r]!;
    ties += (n * (n - 1)) / 2;
    c[r] = n + c[r - 1]!;
  }
  return ties;
}

/**
 * 0-based dense ranks (equal values share a rank; −0 equals +0) and the number of distinct values,
 * by a stable LSD radix argsort of the order-preserving unsigned form of each float64's bits.
 */
export function denseRanks(x: ArrayLike<number>): { ranks: Int32Array; distinct: number } {
  const m = x.length;
  const values = new Float64Array(m);
  for (let k = 0; k < m; k++) values[k] = x[k]! + 0; // −0 + 0 = +0
  const bits = new Uint32Array(values.buffer);
  let lo = new Uint32Array(m);
  let hi = new Uint32Array(m);
  let idx = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    let l = bits[2 * k]!;
    let h = bits[2 * k + 1]!;
    // Negative numbers: flip every bit; positive: flip the sign bit. Unsigned order = numeric order.
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    lo[k] = l;
    hi[k] = h;
    idx[k] = k;
  }
  if (m < 1 << 16) return ranksFromKeysSmall(lo, hi);
  // Long vectors: 16-bit digits (4 passes), moving the keys with the indices (sequential reads).
  let lo2 = new Uint32Array(m);
  let hi2 = new Uint32Array(m);
  let idx2 = new Int32Array(m);
  const mask = 0xffff;
  const count = new Int32Array(1 << 16);
  for (let shiftAll = 0; shiftAll < 64; shiftAll += 16) {
    const src = shiftAll < 32 ? lo : hi;
    const shift = shiftAll & 31;
    count.fill(0);
    for (let k = 0; k < m; k++) count[(src[k]! >>> shift) & mask]!++;
    if (count[(src[0]! >>> shift) & mask] === m) continue; // every element has this digit
    let s = 0;
    for (let d = 0; d < count.length; d++) {
      const c = count[d]!;
      count[d] = s;
      s += c;
    }
    for (let k = 0; k < m; k++) {
      const p = count[(src[k]! >>> shift) & mask]!++;
      lo2[p] = lo[k]!;
      hi2[p] = hi[k]!;
      idx2[p] = idx[k]!;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [idx, idx2] = [idx2, idx];
  }
  const ranks = new Int32Array(m);
  let r = 0;
  for (let k = 0; k < m; k++) {
    if (k > 0 && (lo[k] !== lo[k - 1] || hi[k] !== hi[k - 1])) r++;
    ranks[idx[k]!] = r;
  }
  return { ranks, distinct: m > 0 ? r + 1 : 0 };
}

/**
 * Dense ranks of the sortable keys (lo, hi) for short vectors (the keys stay in cache): an LSD radix
 * argsort with 11-bit digits (6 passes, all histograms from one read) that moves only indices.
 */
function ranksFromKeysSmall(lo: Uint32Array, hi: Uint32Array): { ranks: Int32Array; distinct: number } {
  const m = lo.length;
  const ranks = new Int32Array(m);
  if (m === 0) return { ranks, distinct: 0 };
  const hist = new Int32Array(6 * 2048);
  for (let k = 0; k < m; k++) {
    const l = lo[k]!;
    const h = hi[k]!;
    hist[l & 0x7ff]!++;
    hist[2048 + ((l >>> 11) & 0x7ff)]!++;
    hist[4096 + ((l >>> 22) | ((h & 1) << 10))]!++;
    hist[6144 + ((h >>> 1) & 0x7ff)]!++;
    hist[8192 + ((h >>> 12) & 0x7ff)]!++;
    hist[10240 + (h >>> 23)]!++;
  }
  let idx = new Int32Array(m);
  let idx2 = new Int32Array(m);
  for (let k = 0; k < m; k++) idx[k] = k;
  for (let pass = 0; pass < 6; pass++) {
    const base = pass * 2048;
    if (hist[base + digit11(pass, lo[0]!, hi[0]!)] === m) continue; // every key has this digit
    let s = 0;
    for (let d = base; d < base + 2048; d++) {
      const c = hist[d]!;
      hist[d] = s;
      s += c;
    }
    for (let k = 0; k < m; k++) {
      const i = idx[k]!;
      idx2[hist[base + digit11(pass, lo[i]!, hi[i]!)]!++] = i;
    }
    [idx, idx2] = [idx2, idx];
  }
  let r = 0;
  let pl = lo[idx[0]!]!;
  let ph = hi[idx[0]!]!;
  for (let k = 0; k < m; k++) {
    const i = idx[k]!;
    if (lo[i] !== pl || hi[i] !== ph) {
      r++;
      pl = lo[i]!;
      ph = hi[i]!;
    }
    ranks[i] = r;
  }
  return { ranks, distinct: r + 1 };
}

/** The pass-th 11-bit digit of the 64-bit key hi:lo (the last one has 9 bits). */
function digit11(pass: number, l: number, h: number): number {
  switch (pass) {
    case 0:
      return l & 0x7ff;
    case 1:
      return (l >>> 11) & 0x7ff;
    case 2:
      return (l >>> 22) | ((h & 1) << 10);
    case 3:
      return (h >>> 1) & 0x7ff;
    case 4:
      return (h >>> 12) & 0x7ff;
    default:
      return h >>> 23;
  }
}

/**
 * The number of inversions (i < j with v[i] > v[j]) of `v`, by a bottom-up merge sort that starts
 * from insertion-sorted runs of 16. Sorts `v` or leaves it in `scratch`; both are clobbered.
 */
function countInversions(v: Int32Array, scratch: Int32Array): number {
  const m = v.length;
  const RUN = 16;
  let inversions = 0;
  for (let lo = 0; lo < m; lo += RUN) {
    const hi = Math.min(lo + RUN, m);
    for (let i = lo + 1; i < hi; i++) {
      const t = v[i]!;
      let j = i - 1;
      while (j >= lo && v[j]! > t) {
        v[j + 1] = v[j]!;
        j--;
      }
      inversions += i - 1 - j;
      v[j + 1] = t;
    }
  }
  let src = v;
  let dst = scratch;
  for (let width = RUN; width < m; width *= 2) {
    for (let lo = 0; lo < m; lo += 2 * width) {
      const mid = Math.min(lo + width, m);
      const hi = Math.min(lo + 2 * width, m);
      if (mid >= hi || src[mid - 1]! <= src[mid]!) {
        dst.set(src.subarray(lo, hi), lo); // already in order: no inversions across the halves
        continue;
      }
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
  return inversions;
}
