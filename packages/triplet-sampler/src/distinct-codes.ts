import type { Rng } from '@conceptlab/core';

/** A finite space of set codes that can be drawn from uniformly and, when small, listed. */
export interface CodeSpace {
  /** How many distinct codes the space holds. */
  readonly size: number;
  /** One code drawn uniformly from the space. */
  draw(rng: Rng): number;
  /** Every code of the space, each once, in a deterministic order. */
  enumerate(): Float64Array;
}

/** Sort and drop repeats in place; returns the number of distinct values now at the front. */
export function sortUnique(a: Float64Array): number {
  if (a.length === 0) return 0;
  a.sort();
  let w = 1;
  for (let r = 1; r < a.length; r++) if (a[r] !== a[w - 1]) a[w++] = a[r];
  return w;
}

/** Whether `x` is among the first `len` values of the sorted array `a`. */
function sortedHas(a: Float64Array, len: number, x: number): boolean {
  let lo = 0, hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid];
    if (v < x) lo = mid + 1;
    else if (v > x) hi = mid;
    else return true;
  }
  return false;
}

/**
 * `count` distinct codes drawn uniformly from `space` minus `excluded`, in uniformly random order.
 *
 * When the request is at most half of what is available, codes are drawn i.i.d.; the batch is sorted,
 * repeats and excluded codes are dropped, and the shortfall is drawn again (a batch the size of the
 * shortfall, merged into the sorted result) until `count` remain. That is exactly "draw until `count`
 * distinct codes have been seen", so every `count`-subset is equally likely; a final Fisher–Yates
 * shuffle randomises the order. Memory is one Float64Array of `count` plus the (small) later batches.
 * When the request is more than half of what is available, the space is listed (at most 2·count
 * codes) and a partial Fisher–Yates shuffle picks the codes.
 *
 * The caller checks `count` ≤ space.size − excluded.length. `excluded` must be sorted, without
 * repeats, and hold codes of the space only.
 */
export function sampleDistinctCodes(space: CodeSpace, count: number, rng: Rng, excluded?: Float64Array): Float64Array {
  const ex = excluded ?? new Float64Array(0);
  const available = space.size - ex.length;
  if (count === 0) return new Float64Array(0);

  if (count * 2 > available) {
    const all = space.enumerate();
    all.sort();
    let len = all.length;
    if (ex.length > 0) {
      let w = 0;
      for (let r = 0; r < all.length; r++) if (!sortedHas(ex, ex.length, all[r])) all[w++] = all[r];
      len = w;
    }
    for (let i = 0; i < count; i++) {
      const j = i + rng.nextInt(len - i);
      const t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return all.slice(0, count);
  }

  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = space.draw(rng);
  let m = sortUnique(out);
  if (ex.length > 0) {
    let w = 0;
    for (let r = 0; r < m; r++) if (!sortedHas(ex, ex.length, out[r])) out[w++] = out[r];
    m = w;
  }
  while (m < count) {
    const batch = new Float64Array(count - m);
    for (let i = 0; i < batch.length; i++) batch[i] = space.draw(rng);
    let k = sortUnique(batch);
    let w = 0;
    for (let r = 0; r < k; r++) {
      const x = batch[r];
      if (!sortedHas(out, m, x) && !sortedHas(ex, ex.length, x)) batch[w++] = x;
    }
    k = w;
    // Merge the k new codes into out[0..m) from the back, in place.
    let i = m - 1, j = k - 1, o = m + k - 1;
    while (j >= 0) {
      if (i >= 0 && out[i] > batch[j]) out[o--] = out[i--];
      else out[o--] = batch[j--];
    }
    m += k;
  }
  return rng.shuffle(out);
}
