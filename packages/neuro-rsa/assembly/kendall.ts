// AssemblyScript source of Kendall's tau counts (Knight's algorithm with radix sorts), the WebAssembly
// twin of the JavaScript code in src/kendall.ts.
//
// Compiled by `node scripts/build-wasm.mjs` into src/kernels/kendall-wasm.generated.ts (base64 bytes).
// The module owns no heap: the caller grows the exported memory and passes byte offsets.
//
// kendallCounts(px, py, m, work, out): for two NaN-free float64 vectors x, y of length m at px, py,
// writes four float64 at out: Tx (pairs tied in x), Ty (tied in y), Txy (tied in both) and D
// (discordant pairs). All are exact integer counts, so the JavaScript code gives the same numbers.
// `work` must have kendallWorkBytes(m) bytes.
//
// Steps: stable argsorts of x and of y (on the order-preserving u64 form of each float64, −0 taken as
// +0: an LSD radix sort of the top 33 key bits packed with the index, then the runs that tie on those
// bits ordered by the full key), giving the dense ranks of y; the y ranks gathered in x order; within
// each run of equal x (Tx counts its pairs) the y ranks are sorted ascending and their runs give Txy;
// then D = the inversions of the y ranks in this (x, y) order, counted while sorting them by an MSD
// radix sort with 4-bit digits (in a group of equal higher digits, an element is inverted with each
// earlier one with a larger digit; groups of ≤ 24 by insertion sort), whose sorted output gives Ty.

/**
 * Bytes of scratch memory kendallCounts needs for vectors of length m: keys 2×8m, indices 2×4m,
 * y ranks, the (x, y)-ordered sequence and a partition buffer 3×4m, histograms 1 MiB; with the
 * x memo (see kendallCounts) also x's own keys and indices 24m and a copy of x 8m.
 */
export function kendallWorkBytes(m: i32, memo: i32): usize {
  const n = <usize>m;
  return 16 * n + 8 * n + 12 * n + 4 * 65536 * 4 + 64 + (memo ? 32 * n : 0);
}

// @ts-ignore: decorator
@inline
function sortableKey(v: f64): u64 {
  const b = reinterpret<u64>(v + 0.0); // −0 + 0 = +0
  return (b >> 63) != 0 ? ~b : b | 0x8000000000000000;
}

/** Sorted keys and indices of the last argsortKeys call. */
let sortedKeys: usize = 0;
let sortedIdx: usize = 0;
/** The x memo: length, work area and where the sorted keys / indices of the last x are. */
let memoM: i32 = -1;
let memoWork: usize = 0;
let memoKeys: usize = 0;
let memoIdx: usize = 0;

/**
 * Stable argsort of the float64 vector at px by value: sets sortedKeys (the u64 keys in sorted order, at
 * keys or keys2) and sortedIdx (at idx). The index k replaces the low 31 bits of each key, so an LSD radix
 * sort with three 11-bit digits over only the top 33 key bits moves one u64 per element (stable: the
 * input is in index order). Runs that tie on those top bits are then ordered by their full keys
 * (insertion sort, or for runs over 64 long an LSD radix sort of the low bits), which keeps stability.
 */
function argsortKeys(px: usize, m: i32, keys: usize, keys2: usize, idx: usize, idx2: usize, hist: usize): void {
  // 31 low bits hold the index (m < 2^31); three 11-bit digits sort the top 33 key bits.
  const ib: i32 = 31;
  const low: u64 = (<u64>1 << <u64>ib) - 1;
  const bits: i32 = 11;
  const passes: i32 = (64 - ib + bits - 1) / bits;
  const size: i32 = 1 << bits;
  const mask: u64 = <u64>(size - 1);
  memory.fill(hist, 0, <usize>(passes * size) << 2);
  for (let k = 0; k < m; k++) {
    const packed = (sortableKey(load<f64>(px + (<usize>k << 3))) & ~low) | <u64>k;
    store<u64>(keys + (<usize>k << 3), packed);
    for (let p = 0; p < passes; p++) {
      const d = <i32>((packed >> <u64>(ib + p * bits)) & mask);
      const at = hist + (<usize>(p * size + d) << 2);
      store<i32>(at, load<i32>(at) + 1);
    }
  }
  let kA = keys, kB = keys2;
  for (let p = 0; p < passes; p++) {
    const shift = <u64>(ib + p * bits);
    const h = hist + (<usize>(p * size) << 2);
    const d0 = <i32>((load<u64>(kA) >> shift) & mask);
    if (load<i32>(h + (<usize>d0 << 2)) == m) continue; // every key has this digit
    let s: i32 = 0;
    for (let d = 0; d < size; d++) {
      const at = h + (<usize>d << 2);
      const c = load<i32>(at);
      store<i32>(at, s);
      s += c;
    }
    for (let k = 0; k < m; k++) {
      const key = load<u64>(kA + (<usize>k << 3));
      const at = h + (<usize>(<i32>((key >> shift) & mask)) << 2);
      const q = load<i32>(at);
      store<i32>(at, q + 1);
      store<u64>(kB + (<usize>q << 3), key);
    }
    const tk = kA; kA = kB; kB = tk;
  }
  // Unpack: the indices, and the full keys in this order (into the other buffer).
  for (let k = 0; k < m; k++) {
    const i = <i32>(load<u64>(kA + (<usize>k << 3)) & low);
    store<i32>(idx + (<usize>k << 2), i);
    store<u64>(kB + (<usize>k << 3), sortableKey(load<f64>(px + (<usize>i << 3))));
  }
  // Order the runs that tie on the top bits by their full keys.
  let start: i32 = 0;
  let top = load<u64>(kB) & ~low;
  for (let k = 1; k <= m; k++) {
    let t: u64 = 0;
    if (k < m) {
      t = load<u64>(kB + (<usize>k << 3)) & ~low;
      if (t == top) continue;
    }
    const len = k - start;
    if (len > 1) sortRun(kB + (<usize>start << 3), idx + (<usize>start << 2), len, kA, idx2, hist, ib);
    start = k;
    top = t;
  }
  sortedKeys = kB;
  sortedIdx = idx;
}

/** Stably sorts a run of (u64 key, i32 index) pairs by key; scratch: sk (u64), si (i32), hist (2048 i32). */
function sortRun(k0: usize, i0: usize, len: i32, sk: usize, si: usize, hist: usize, lowBits: i32): void {
  if (len <= 64) {
    for (let i = 1; i < len; i++) {
      const key = load<u64>(k0 + (<usize>i << 3));
      const id = load<i32>(i0 + (<usize>i << 2));
      let j = i - 1;
      while (j >= 0 && load<u64>(k0 + (<usize>j << 3)) > key) {
        store<u64>(k0 + (<usize>(j + 1) << 3), load<u64>(k0 + (<usize>j << 3)));
        store<i32>(i0 + (<usize>(j + 1) << 2), load<i32>(i0 + (<usize>j << 2)));
        j--;
      }
      store<u64>(k0 + (<usize>(j + 1) << 3), key);
      store<i32>(i0 + (<usize>(j + 1) << 2), id);
    }
    return;
  }
  // LSD radix on the low bits (the top bits are equal in the run).
  let kA = k0, kB = sk, iA = i0, iB = si;
  for (let shift: i32 = 0; shift < lowBits; shift += 11) {
    memory.fill(hist, 0, 2048 << 2);
    for (let k = 0; k < len; k++) {
      const at = hist + (<usize>(<i32>((load<u64>(kA + (<usize>k << 3)) >> <u64>shift) & 0x7ff)) << 2);
      store<i32>(at, load<i32>(at) + 1);
    }
    let s: i32 = 0;
    for (let d = 0; d < 2048; d++) {
      const at = hist + (<usize>d << 2);
      const c = load<i32>(at);
      store<i32>(at, s);
      s += c;
    }
    for (let k = 0; k < len; k++) {
      const key = load<u64>(kA + (<usize>k << 3));
      const at = hist + (<usize>(<i32>((key >> <u64>shift) & 0x7ff)) << 2);
      const q = load<i32>(at);
      store<i32>(at, q + 1);
      store<u64>(kB + (<usize>q << 3), key);
      store<i32>(iB + (<usize>q << 2), load<i32>(iA + (<usize>k << 2)));
    }
    const tk = kA; kA = kB; kB = tk;
    const ti = iA; iA = iB; iB = ti;
  }
  if (kA != k0) {
    memory.copy(k0, kA, <usize>len << 3);
    memory.copy(i0, iA, <usize>len << 2);
  }
}

/**
 * Sorts the i32 vector at v (values in [0, 2^bits)) ascending and stably (the result ends in v) and returns
 * its inversions, by an MSD radix sort with 4-bit digits: inside a group of equal higher bits, an element
 * with digit d is inverted with every earlier element of the group with a larger digit (seen − C[d], C the
 * running cumulative digit counts, kept as four i32x4 vectors); elements with equal digits are counted
 * by the next digit. Groups of at most 24 elements are finished by insertion sort (which counts exactly
 * their inversions). `tmp` is scratch of the same length.
 */
function sortCountInversions(v: usize, tmp: usize, m: i32, bits: i32): f64 {
  return <f64>radixInversions(v, tmp, m, bits);
}

/** 16 i32 cumulative digit counts (64 bytes) and 16 i32 bucket offsets, in a small static area. */
const CUM: usize = memory.data(64, 16);
const OFF: usize = memory.data(64, 16);

function radixInversions(v: usize, tmp: usize, m: i32, shift: i32): i64 {
  if (m <= 24) return <i64>insertionSortCount(v, m);
  if (shift <= 0) return 0; // all equal
  const width: i32 = shift < 4 ? shift : 4;
  const s: u32 = <u32>(shift - width);
  const mask: u32 = (1 << width) - 1;
  const lane0 = i32x4(0, 1, 2, 3);
  const lane1 = i32x4(4, 5, 6, 7);
  const lane2 = i32x4(8, 9, 10, 11);
  const lane3 = i32x4(12, 13, 14, 15);
  let c0 = i32x4.splat(0);
  let c1 = i32x4.splat(0);
  let c2 = i32x4.splat(0);
  let c3 = i32x4.splat(0);
  let inv: i64 = 0;
  for (let k: i32 = 0; k < m; k++) {
    const d = (<u32>load<i32>(v + (<usize>k << 2)) >> s) & mask;
    // C[d] = earlier elements with a digit ≤ d; the others (k − C[d]) are larger and earlier.
    v128.store(CUM, c0);
    v128.store(CUM, c1, 16);
    v128.store(CUM, c2, 32);
    v128.store(CUM, c3, 48);
    inv += <i64>(k - load<i32>(CUM + (<usize>d << 2)));
    const dd = i32x4.splat(<i32>d);
    c0 = i32x4.sub(c0, i32x4.ge_s(lane0, dd));
    c1 = i32x4.sub(c1, i32x4.ge_s(lane1, dd));
    c2 = i32x4.sub(c2, i32x4.ge_s(lane2, dd));
    c3 = i32x4.sub(c3, i32x4.ge_s(lane3, dd));
  }
  // Bucket starts from the cumulative counts (C[d] − count[d] = C[d−1]).
  v128.store(CUM, c0);
  v128.store(CUM, c1, 16);
  v128.store(CUM, c2, 32);
  v128.store(CUM, c3, 48);
  const buckets: i32 = 1 << width;
  store<i32>(OFF, 0);
  for (let d = 1; d < buckets; d++) store<i32>(OFF + (<usize>d << 2), load<i32>(CUM + (<usize>(d - 1) << 2)));
  for (let k: i32 = 0; k < m; k++) {
    const x = load<i32>(v + (<usize>k << 2));
    const at = OFF + (<usize>((<u32>x >> s) & mask) << 2);
    const q = load<i32>(at);
    store<i32>(at, q + 1);
    store<i32>(tmp + (<usize>q << 2), x);
  }
  memory.copy(v, tmp, <usize>m << 2);
  // Recurse into each bucket (the bucket bounds are re-read from the cumulative counts, which the
  // recursion overwrites: keep them on the stack first).
  let b0: i32 = 0;
  const e0 = load<i32>(CUM + 0), e1 = load<i32>(CUM + 4), e2 = load<i32>(CUM + 8), e3 = load<i32>(CUM + 12);
  const e4 = load<i32>(CUM + 16), e5 = load<i32>(CUM + 20), e6 = load<i32>(CUM + 24), e7 = load<i32>(CUM + 28);
  const e8 = load<i32>(CUM + 32), e9 = load<i32>(CUM + 36), e10 = load<i32>(CUM + 40), e11 = load<i32>(CUM + 44);
  const e12 = load<i32>(CUM + 48), e13 = load<i32>(CUM + 52), e14 = load<i32>(CUM + 56), e15 = load<i32>(CUM + 60);
  const next = <i32>s;
  if (buckets == 16) {
    inv += bucket(v, tmp, b0, e0, next); b0 = e0;
    inv += bucket(v, tmp, b0, e1, next); b0 = e1;
    inv += bucket(v, tmp, b0, e2, next); b0 = e2;
    inv += bucket(v, tmp, b0, e3, next); b0 = e3;
    inv += bucket(v, tmp, b0, e4, next); b0 = e4;
    inv += bucket(v, tmp, b0, e5, next); b0 = e5;
    inv += bucket(v, tmp, b0, e6, next); b0 = e6;
    inv += bucket(v, tmp, b0, e7, next); b0 = e7;
    inv += bucket(v, tmp, b0, e8, next); b0 = e8;
    inv += bucket(v, tmp, b0, e9, next); b0 = e9;
    inv += bucket(v, tmp, b0, e10, next); b0 = e10;
    inv += bucket(v, tmp, b0, e11, next); b0 = e11;
    inv += bucket(v, tmp, b0, e12, next); b0 = e12;
    inv += bucket(v, tmp, b0, e13, next); b0 = e13;
    inv += bucket(v, tmp, b0, e14, next); b0 = e14;
    inv += bucket(v, tmp, b0, e15, next);
  } else {
    // Fewer than 4 bits left: at most 8 buckets.
    inv += bucket(v, tmp, b0, e0, next); b0 = e0;
    if (buckets > 1) { inv += bucket(v, tmp, b0, e1, next); b0 = e1; }
    if (buckets > 2) { inv += bucket(v, tmp, b0, e2, next); b0 = e2; }
    if (buckets > 3) { inv += bucket(v, tmp, b0, e3, next); b0 = e3; }
    if (buckets > 4) { inv += bucket(v, tmp, b0, e4, next); b0 = e4; }
    if (buckets > 5) { inv += bucket(v, tmp, b0, e5, next); b0 = e5; }
    if (buckets > 6) { inv += bucket(v, tmp, b0, e6, next); b0 = e6; }
    if (buckets > 7) { inv += bucket(v, tmp, b0, e7, next); }
  }
  return inv;
}

// @ts-ignore: decorator
@inline
function bucket(v: usize, tmp: usize, from: i32, to: i32, shift: i32): i64 {
  const len = to - from;
  if (len < 2) return 0;
  return radixInversions(v + (<usize>from << 2), tmp + (<usize>from << 2), len, shift);
}

/** Insertion sort of a short i32 vector at v; returns its inversions. */
function insertionSortCount(v: usize, m: i32): f64 {
  let inv: i32 = 0;
  for (let i = 1; i < m; i++) {
    const t = load<i32>(v + (<usize>i << 2));
    let j = i - 1;
    while (j >= 0 && load<i32>(v + (<usize>j << 2)) > t) {
      store<i32>(v + (<usize>(j + 1) << 2), load<i32>(v + (<usize>j << 2)));
      j--;
    }
    inv += i - 1 - j;
    store<i32>(v + (<usize>(j + 1) << 2), t);
  }
  return <f64>inv;
}

/** Σ t(t−1)/2 over the runs of equal values of the sorted i32 vector at v. */
function tiedPairs(v: usize, m: i32): f64 {
  let ties: f64 = 0;
  let run: i32 = 1;
  for (let k = 1; k <= m; k++) {
    if (k < m && load<i32>(v + (<usize>k << 2)) == load<i32>(v + (<usize>(k - 1) << 2))) run++;
    else {
      ties += <f64>run * <f64>(run - 1) * 0.5;
      run = 1;
    }
  }
  return ties;
}

/**
 * See the header. With memo = 1, the sorted x of the previous call is reused when this call has the
 * same m, the same work area and bit-identical x (one model compared with many RDMs: x is sorted once).
 */
export function kendallCounts(px: usize, py: usize, m: i32, work: usize, out: usize, memo: i32): void {
  const n = <usize>m;
  const keys = (work + 15) & ~(<usize>15);
  const keys2 = keys + 8 * n;
  const idx = keys2 + 8 * n;
  const idx2 = idx + 4 * n;
  const ry = idx2 + 4 * n;
  const seq = ry + 4 * n;
  const tmp = seq + 4 * n;
  const hist = tmp + 4 * n;
  // Dense ranks of y.
  argsortKeys(py, m, keys, keys2, idx, idx2, hist);
  let r: i32 = 0;
  let prev = load<u64>(sortedKeys);
  for (let k = 0; k < m; k++) {
    const key = load<u64>(sortedKeys + (<usize>k << 3));
    if (key != prev) {
      r++;
      prev = key;
    }
    store<i32>(ry + (<usize>load<i32>(sortedIdx + (<usize>k << 2)) << 2), r);
  }
  let bits: i32 = 1;
  while (bits < 31 && (1 << bits) <= r) bits++;
  // y ranks in x order.
  let sk: usize, si: usize;
  if (memo) {
    const xkeys = hist + 4 * 65536 * 4;
    const xkeys2 = xkeys + 8 * n;
    const xidx = xkeys2 + 8 * n;
    const xidx2 = xidx + 4 * n;
    const lastX = xidx2 + 4 * n;
    if (memoM == m && memoWork == work && memory.compare(lastX, px, n << 3) == 0) {
      sk = memoKeys;
      si = memoIdx;
    } else {
      argsortKeys(px, m, xkeys, xkeys2, xidx, xidx2, hist);
      sk = memoKeys = sortedKeys;
      si = memoIdx = sortedIdx;
      memory.copy(lastX, px, n << 3);
      memoM = m;
      memoWork = work;
    }
  } else {
    memoM = -1; // the x buffers may be overwritten
    argsortKeys(px, m, keys, keys2, idx, idx2, hist);
    sk = sortedKeys;
    si = sortedIdx;
  }
  for (let k = 0; k < m; k++) {
    store<i32>(seq + (<usize>k << 2), load<i32>(ry + (<usize>load<i32>(si + (<usize>k << 2)) << 2)));
  }
  // Runs of equal x: count their pairs, sort their y ranks, count pairs equal in both.
  let xtie: f64 = 0;
  let ntie: f64 = 0;
  let start: i32 = 0;
  for (let k = 1; k <= m; k++) {
    if (k < m && load<u64>(sk + (<usize>k << 3)) == load<u64>(sk + (<usize>(k - 1) << 3))) continue;
    const len = k - start;
    if (len > 1) {
      xtie += <f64>len * <f64>(len - 1) * 0.5;
      const seg = seq + (<usize>start << 2);
      sortCountInversions(seg, tmp + (<usize>start << 2), len, bits);
      ntie += tiedPairs(seg, len);
    }
    start = k;
  }
  const dis = sortCountInversions(seq, tmp, m, bits);
  const ytie = tiedPairs(seq, m);
  store<f64>(out, xtie);
  store<f64>(out + 8, ytie);
  store<f64>(out + 16, ntie);
  store<f64>(out + 24, dis);
}
