// AssemblyScript source of Kendall's tau counts (Knight's algorithm with radix sorts), the WebAssembly
// twin of the JavaScript code in src/kendall.ts.
//
// Compiled by `node scripts/build-wasm.mjs` into src/kernels/kendall-wasm.generated.ts (base64 bytes).
// The module owns no heap: the caller grows the exported memory and passes byte offsets.
//
// kendallCounts(px, py, m, work, out): for two float64 vectors x, y of length m at px, py, writes five
// float64 at out: Tx (pairs tied in x), Ty (tied in y), Txy (tied in both), D (discordant pairs) and 1 when x
// or y holds a NaN, else 0 (the counts are then meaningless: the caller drops the NaN pairs and counts again,
// so NaN-free vectors, the usual case, need no scan of their own). The counts are exact integers, so the
// JavaScript code gives the same numbers.
// `work` must have kendallWorkBytes(m) bytes.
//
// Steps: y and x are each sorted into dense ranks (rankSort, on the order-preserving u64 form of each
// float64, −0 taken as +0, its low bits replaced by the index: vectors over 16,384 values are first split by
// their top varying key bits into ≤ 128 buckets of about 8,192 keys or more, so the rest stays in cache;
// each bucket is sorted by an LSD radix sort of its top ≤ 28 varying bits, and the runs that tie on those
// bits are ordered by the full keys); their runs of equal values give Ty and Tx. The y ranks are
// gathered in x order; within each run of equal x the y ranks are sorted ascending and their runs give
// Txy; then D = the inversions of the y ranks in this (x, y) order, counted by an MSD radix sort with
// 4-bit digits (in a group of equal higher digits, an element is inverted with each earlier one with a
// larger digit; groups of ≤ 24 by insertion sort).

/**
 * Bytes of scratch memory kendallCounts needs for vectors of length m: packed keys 2×8m, sorted indices,
 * sorted ranks, y ranks, the (x, y)-ordered sequence and its scratch 5×4m, a tie run's sort scratch 12m,
 * histograms 256 KiB; with the x memo (see kendallCounts) also x's sorted indices and ranks 8m and a copy
 * of x 8m.
 */
export function kendallWorkBytes(m: i32, memo: i32): usize {
  const n = <usize>m;
  return 48 * n + HIST_BYTES + 64 + (memo ? 16 * n : 0);
}

// @ts-ignore: decorator
@inline
function sortableKey(v: f64): u64 {
  const b = reinterpret<u64>(v + 0.0); // −0 + 0 = +0
  return (b >> 63) != 0 ? ~b : b | 0x8000000000000000;
}

/** Key bits a bucket's LSD radix sort covers at most; ties on them are ordered by the full keys. */
const SORT_BITS: i32 = 28;
/** Key bits of the fine histogram that splits long vectors into buckets. */
const FINE_BITS: i32 = 16;
/** Vectors up to this length are sorted as one bucket; longer ones are split into buckets of about this size. */
const BUCKET: i32 = 8192;
/** Most buckets of the split (their write streams stay in the first-level caches). */
const MAX_BUCKETS: i32 = 128;
/** Scratch layout inside `hist`: fine histogram (i32), fine → bucket map (u8), bucket offsets (i32), digit histograms. */
const H_MAP: usize = 65536 * 4;
const H_OFF: usize = H_MAP + 65536;
const H_DIG: usize = H_OFF + 2048;
const HIST_BYTES: usize = H_DIG + 2048;
/** Pairs of equal values found by the last rankSort: Σ t(t−1)/2 over its runs of equal keys. */
let sortTies: f64 = 0;
/** Running state of rankSort's bucket walk: the last rank given and the tied pairs so far. */
let walkRank: i32 = -1;
let walkTies: f64 = 0;
/**
 * The fused x walk (kendallCounts without the memo): when fuseRy ≠ 0, sortBucket writes the y ranks
 * (fuseRy) of the sorted x straight into fuseSeq, sorts each run of equal x there (scratch fuseTmp,
 * fuseBits-bit ranks) and adds its pairs tied in y too to fuseNtie, instead of writing indices and ranks.
 */
let fuseRy: usize = 0;
let fuseSeq: usize = 0;
let fuseTmp: usize = 0;
let fuseBits: i32 = 0;
let fuseNtie: f64 = 0;
/**
 * When rankFirst ≠ 0 (kendallRank with ry), sortBucket also writes, for each dense rank r, the sorted position of
 * its first value at rankFirst[r]: the number of values below rank r.
 */
let rankFirst: usize = 0;
/** 1 once a NaN was packed since the phase began (the counts are then meaningless; the caller drops NaN pairs and counts again). */
let nanSeen: i32 = 0;
/** The x memo: length, work area and tied pairs of the last x (its sorted indices and ranks stay in work). */
let memoM: i32 = -1;
let memoWork: usize = 0;
let memoTies: f64 = 0;

/**
 * Sorts the float64 vector at p by value (−0 = +0): writes the sorted indices at idx and the dense rank
 * (0-based, equal values share one) of each sorted position at sr, sets sortTies, returns the number of
 * distinct values (m ≥ 2). Each value's order-preserving u64 key, its low bits replaced by the index, is
 * split by its top varying bits into ≤ MAX_BUCKETS buckets in key order (a fine histogram merged into
 * buckets of about BUCKET keys, so the rest of the work stays in cache); each bucket is sorted by an LSD
 * radix sort over its top ≤ SORT_BITS varying bits, and runs that tie on those bits are ordered by their
 * full keys. keys and keys2 hold 8m bytes each, rk2 8m and ri2 4m, hist HIST_BYTES.
 */
function rankSort(p: usize, m: i32, keys: usize, keys2: usize, idx: usize, sr: usize, hist: usize, rk2: usize, ri2: usize, ry: usize): i32 {
  const ib: i32 = 32 - clz<i32>(m - 1); // index bits (m ≥ 2)
  const low: u64 = (<u64>1 << <u64>ib) - 1;
  let orK: u64 = 0;
  let andK: u64 = ~(<u64>0);
  let nan: i32 = 0;
  for (let k = 0; k < m; k++) {
    const v = load<f64>(p + (<usize>k << 3));
    nan |= <i32>(v != v);
    const key = sortableKey(v);
    orK |= key;
    andK &= key;
    store<u64>(keys + (<usize>k << 3), (key & ~low) | <u64>k);
  }
  nanSeen |= nan;
  return sortPacked(p, m, ib, orK, andK, keys, keys2, idx, sr, hist, rk2, ri2, ry);
}

/**
 * rankSort after packing: sorts the m packed keys at keys (index bits ib; orK and andK the OR and AND of
 * their unpacked keys) and writes as rankSort does.
 */
function sortPacked(p: usize, m: i32, ib: i32, orK: u64, andK: u64, keys: usize, keys2: usize, idx: usize, sr: usize, hist: usize, rk2: usize, ri2: usize, ry: usize): i32 {
  const low: u64 = (<u64>1 << <u64>ib) - 1;
  // When the low key bits are the same in every value, a packed key determines its value.
  const lowConst = ((orK ^ andK) & low) == 0;
  const lowVal = andK & low;
  const diff = (orK ^ andK) & ~low;
  walkRank = -1;
  walkTies = 0;
  if (diff == 0 || m <= 2 * BUCKET) {
    sortBucket(p, keys, keys2, 0, m, low, lowConst, lowVal, idx, sr, hist, rk2, ri2, ry);
  } else {
    const top: i32 = 63 - <i32>clz<u64>(diff);
    let fb: i32 = top + 1 - ib;
    if (fb > FINE_BITS) fb = FINE_BITS;
    const fs = <u64>(top + 1 - fb);
    const fsize: i32 = 1 << fb;
    const fmask: u64 = <u64>(fsize - 1);
    memory.fill(hist, 0, <usize>fsize << 2);
    for (let k = 0; k < m; k++) {
      const at = hist + (<usize>(<i32>((load<u64>(keys + (<usize>k << 3)) >> fs) & fmask)) << 2);
      store<i32>(at, load<i32>(at) + 1);
    }
    // Merge consecutive fine buckets into buckets of about `target` keys.
    let target: i32 = m / MAX_BUCKETS + 1;
    if (target < BUCKET) target = BUCKET;
    const map = hist + H_MAP;
    const off = hist + H_OFF;
    let c: i32 = 0;
    let acc: i32 = 0;
    store<i32>(off, 0);
    for (let f = 0; f < fsize; f++) {
      const cnt = load<i32>(hist + (<usize>f << 2));
      if (acc > 0 && acc + cnt > target && c < MAX_BUCKETS - 1) {
        c++;
        store<i32>(off + (<usize>c << 2), load<i32>(off + (<usize>(c - 1) << 2)) + acc);
        acc = 0;
      }
      store<u8>(map + <usize>f, <u8>c);
      acc += cnt;
    }
    const nb = c + 1;
    // Bucket starts (kept at off + 512) and write positions (off).
    for (let b = 0; b < nb; b++) store<i32>(off + 512 + (<usize>b << 2), load<i32>(off + (<usize>b << 2)));
    store<i32>(off + 512 + (<usize>nb << 2), m);
    for (let k = 0; k < m; k++) {
      const key = load<u64>(keys + (<usize>k << 3));
      const at = off + (<usize>load<u8>(map + <usize>(<i32>((key >> fs) & fmask))) << 2);
      const q = load<i32>(at);
      store<i32>(at, q + 1);
      store<u64>(keys2 + (<usize>q << 3), key);
    }
    for (let b = 0; b < nb; b++) {
      const s = load<i32>(off + 512 + (<usize>b << 2));
      const e = load<i32>(off + 512 + (<usize>(b + 1) << 2));
      if (e > s) sortBucket(p, keys2, keys, s, e - s, low, lowConst, lowVal, idx, sr, hist, rk2, ri2, ry);
    }
  }
  sortTies = walkTies;
  return walkRank + 1;
}

/** A run of len equal x at position at of fuseSeq: sorts its y ranks and adds its pairs tied in y to fuseNtie. */
function fuseRun(at: i32, len: i32): void {
  const seg = fuseSeq + (<usize>at << 2);
  sortCountInversions(seg, fuseTmp + (<usize>at << 2), len, fuseBits);
  fuseNtie += tiedPairs(seg, len);
}

/** The bits that differ between any two of the len u64 keys at k0 (OR of the keys XOR their AND); 0 when all are equal. */
@inline
function varyingBits(k0: usize, len: i32): u64 {
  let orK: u64 = 0;
  let andK: u64 = ~(<u64>0);
  for (let j = 0; j < len; j++) {
    const key = load<u64>(k0 + (<usize>j << 3));
    orK |= key;
    andK &= key;
  }
  return orK ^ andK;
}

/**
 * Sorts the len packed keys at kA + 8s (scratch at kB + 8s) — they are greater than every key of the
 * buckets before — and writes their indices and ranks at positions s.. of idx and sr, continuing
 * walkRank and walkTies.
 */
function sortBucket(p: usize, kA0: usize, kB0: usize, s: i32, len: i32, low: u64, lowConst: bool, lowVal: u64, idx: usize, sr: usize, hist: usize, rk2: usize, ri2: usize, ry: usize): void {
  const kA = kA0 + (<usize>s << 3);
  const kB = kB0 + (<usize>s << 3);
  const diff = varyingBits(kA, len) & ~low;
  let res = kA;
  let other = kB;
  let hiMask: u64 = 0; // keys equal under hiMask form one run
  if (diff != 0) {
    const top: i32 = 63 - <i32>clz<u64>(diff);
    let lo: i32 = top + 1 - SORT_BITS;
    const ib: i32 = <i32>ctz<u64>(~low);
    if (lo < ib) lo = ib;
    const z: i32 = <i32>ctz<u64>(diff);
    if (lo < z) lo = z;
    hiMask = ~((<u64>1 << <u64>lo) - 1);
    res = lsdSort(kA, kB, len, lo, top + 1 - lo, hist + H_DIG);
    other = res == kA ? kB : kA;
  } else if (diff == 0 && len > 0) hiMask = ~low;
  // The packed keys determine the values when every key bit above `low` is sorted and the low bits are constant.
  const exact = lowConst && (hiMask == ~low);
  let r = walkRank;
  let ties = walkTies;
  const i0 = idx + (<usize>s << 2);
  const r0 = sr + (<usize>s << 2);
  let k: i32 = 0;
  while (k < len) {
    const packed = load<u64>(res + (<usize>k << 3));
    const h = packed & hiMask;
    let e = k + 1;
    while (e < len && (load<u64>(res + (<usize>e << 3)) & hiMask) == h) e++;
    if (e == k + 1 || exact) {
      r++;
      const t = e - k;
      if (ry) {
        for (let j = k; j < e; j++) store<i32>(ry + (<usize>(<i32>(load<u64>(res + (<usize>j << 3)) & low)) << 2), r);
        if (rankFirst) store<i32>(rankFirst + (<usize>r << 2), s + k);
      } else if (fuseRy) {
        const q0 = fuseSeq + (<usize>(s + k) << 2);
        for (let j = 0; j < t; j++) {
          store<i32>(q0 + (<usize>j << 2), load<i32>(fuseRy + (<usize>(<i32>(load<u64>(res + (<usize>(k + j) << 3)) & low)) << 2)));
        }
        if (t > 1) fuseRun(s + k, t);
      } else {
        for (let j = k; j < e; j++) {
          store<i32>(i0 + (<usize>j << 2), <i32>(load<u64>(res + (<usize>j << 3)) & low));
          store<i32>(r0 + (<usize>j << 2), r);
        }
      }
      ties += <f64>t * <f64>(t - 1) * 0.5;
      k = e;
      continue;
    }
    // A run tied on the sorted bits: order it by the full keys.
    for (let j = k; j < e; j++) {
      const pk = load<u64>(res + (<usize>j << 3));
      const i = <i32>(pk & low);
      store<i32>(i0 + (<usize>j << 2), i);
      store<u64>(other + (<usize>j << 3), lowConst ? (pk & ~low) | lowVal : sortableKey(load<f64>(p + (<usize>i << 3))));
    }
    sortPairs(other + (<usize>k << 3), i0 + (<usize>k << 2), e - k, rk2, ri2, hist + H_DIG);
    r++;
    store<i32>(r0 + (<usize>k << 2), r);
    let run: i32 = 1;
    for (let j = k + 1; j < e; j++) {
      if (load<u64>(other + (<usize>j << 3)) != load<u64>(other + (<usize>(j - 1) << 3))) {
        ties += <f64>run * <f64>(run - 1) * 0.5;
        run = 1;
        r++;
      } else run++;
      store<i32>(r0 + (<usize>j << 2), r);
    }
    ties += <f64>run * <f64>(run - 1) * 0.5;
    if (ry) {
      for (let j = k; j < e; j++) {
        const rj = load<i32>(r0 + (<usize>j << 2));
        store<i32>(ry + (<usize>load<i32>(i0 + (<usize>j << 2)) << 2), rj);
        if (rankFirst && (j == k || rj != load<i32>(r0 + (<usize>(j - 1) << 2)))) store<i32>(rankFirst + (<usize>rj << 2), s + j);
      }
    } else if (fuseRy) {
      let from = k;
      for (let j = k; j < e; j++) {
        store<i32>(fuseSeq + (<usize>(s + j) << 2), load<i32>(fuseRy + (<usize>load<i32>(i0 + (<usize>j << 2)) << 2)));
        if (j + 1 == e || load<i32>(r0 + (<usize>(j + 1) << 2)) != load<i32>(r0 + (<usize>j << 2))) {
          if (j > from) fuseRun(s + from, j + 1 - from);
          from = j + 1;
        }
      }
    }
    k = e;
  }
  walkRank = r;
  walkTies = ties;
}

/**
 * LSD radix sort of the m u64 at kA by their bits [lo, lo + nb) (nb ≥ 1), in passes of ≤ 8-bit digits;
 * each pass also counts the next pass's digits. hist: 2 × 256 i32. Returns kA or kB, whichever holds the result.
 */
function lsdSort(kA: usize, kB: usize, m: i32, lo: i32, nb: i32, hist: usize): usize {
  const passes: i32 = (nb + 7) / 8;
  const w: i32 = (nb + passes - 1) / passes;
  const size: i32 = 1 << w;
  const mask: u64 = <u64>(size - 1);
  let h = hist;
  let h2 = hist + 1024;
  memory.fill(h, 0, <usize>size << 2);
  const s0 = <u64>lo;
  for (let k = 0; k < m; k++) {
    const at = h + (<usize>(<i32>((load<u64>(kA + (<usize>k << 3)) >> s0) & mask)) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
  for (let p = 0; p < passes; p++) {
    const shift = <u64>(lo + p * w);
    let s: i32 = 0;
    for (let d = 0; d < size; d++) {
      const at = h + (<usize>d << 2);
      const c = load<i32>(at);
      store<i32>(at, s);
      s += c;
    }
    if (p + 1 < passes) {
      const next = shift + <u64>w;
      memory.fill(h2, 0, <usize>size << 2);
      for (let k = 0; k < m; k++) {
        const key = load<u64>(kA + (<usize>k << 3));
        const at = h + (<usize>(<i32>((key >> shift) & mask)) << 2);
        const q = load<i32>(at);
        store<i32>(at, q + 1);
        store<u64>(kB + (<usize>q << 3), key);
        const at2 = h2 + (<usize>(<i32>((key >> next) & mask)) << 2);
        store<i32>(at2, load<i32>(at2) + 1);
      }
    } else {
      for (let k = 0; k < m; k++) {
        const key = load<u64>(kA + (<usize>k << 3));
        const at = h + (<usize>(<i32>((key >> shift) & mask)) << 2);
        const q = load<i32>(at);
        store<i32>(at, q + 1);
        store<u64>(kB + (<usize>q << 3), key);
      }
    }
    const t = kA; kA = kB; kB = t;
    const th = h; h = h2; h2 = th;
  }
  return kA;
}

/**
 * Sorts len (u64 key, i32 index) pairs at k0, i0 by key (any order among equal keys): nothing to do
 * when all keys are equal; insertion sort up to 32; else an LSD radix sort with 8-bit digits over the
 * bits that vary (scratch sk 8·len, si 4·len bytes, hist 256 i32).
 */
function sortPairs(k0: usize, i0: usize, len: i32, sk: usize, si: usize, hist: usize): void {
  const diff = varyingBits(k0, len);
  if (diff == 0) return;
  if (len <= 32) {
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
  const top: i32 = 63 - <i32>clz<u64>(diff);
  let kA = k0, kB = sk, iA = i0, iB = si;
  for (let shift: i32 = <i32>ctz<u64>(diff); shift <= top; shift += 8) {
    memory.fill(hist, 0, 256 << 2);
    const sh = <u64>shift;
    for (let k = 0; k < len; k++) {
      const at = hist + (<usize>(<i32>((load<u64>(kA + (<usize>k << 3)) >> sh) & 0xff)) << 2);
      store<i32>(at, load<i32>(at) + 1);
    }
    let s: i32 = 0;
    for (let d = 0; d < 256; d++) {
      const at = hist + (<usize>d << 2);
      const c = load<i32>(at);
      store<i32>(at, s);
      s += c;
    }
    for (let k = 0; k < len; k++) {
      const key = load<u64>(kA + (<usize>k << 3));
      const at = hist + (<usize>(<i32>((key >> sh) & 0xff)) << 2);
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

/** seq[k] = ry[xi[k]] for k < len: the y ranks in x order. */
function gatherRanks(seq: usize, ry: usize, xi: usize, len: i32): void {
  for (let k = 0; k < len; k++) {
    store<i32>(seq + (<usize>k << 2), load<i32>(ry + (<usize>load<i32>(xi + (<usize>k << 2)) << 2)));
  }
}

/**
 * Within each run of equal x ranks (xr, in x order), sorts that run's y ranks in seq (tmp: scratch) and returns the
 * number of pairs tied in both x and y.
 */
function tiedRunPairs(xr: usize, seq: usize, tmp: usize, len: i32, bits: i32): f64 {
  let ntie: f64 = 0;
  let start: i32 = 0;
  for (let k = 1; k <= len; k++) {
    if (k < len && load<i32>(xr + (<usize>k << 2)) == load<i32>(xr + (<usize>(k - 1) << 2))) continue;
    const run = k - start;
    if (run > 1) {
      const seg = seq + (<usize>start << 2);
      sortCountInversions(seg, tmp + (<usize>start << 2), run, bits);
      ntie += tiedPairs(seg, run);
    }
    start = k;
  }
  return ntie;
}

/** Bits of a dense rank below `distinct`: at least 1, enough for every rank (what the radix counts take). */
function rankBits(distinct: i32): i32 {
  let bits: i32 = 1;
  while (bits < 31 && (1 << bits) < distinct) bits++;
  return bits;
}

/**
 * See the header. With memo = 1, the sorted x of the previous call is reused when this call has the
 * same m, the same work area and bit-identical x (one model compared with many RDMs: x is sorted once).
 */
export function kendallCounts(px: usize, py: usize, m: i32, work: usize, out: usize, memo: i32): void {
  const n = <usize>m;
  const keys = (work + 15) & ~(<usize>15);
  const keys2 = keys + 8 * n;
  const rk2 = keys2 + 8 * n;
  const idx = rk2 + 8 * n;
  const sr = idx + 4 * n;
  const ri2 = sr + 4 * n;
  const ry = ri2 + 4 * n;
  const seq = ry + 4 * n;
  const tmp = seq + 4 * n;
  const hist = tmp + 4 * n;
  nanSeen = 0;
  // Dense ranks of y.
  const distinct = rankSort(py, m, keys, keys2, idx, sr, hist, rk2, ri2, ry);
  const ytie = sortTies;
  const bits = rankBits(distinct);
  // x sorted: its indices (xi) and ranks (xr) in sorted order.
  let xi: usize = 0, xr: usize = 0, xtie: f64 = 0;
  if (memo) {
    xi = hist + HIST_BYTES;
    xr = xi + 4 * n;
    const lastX = xr + 4 * n;
    if (memoM == m && memoWork == work && memory.compare(lastX, px, n << 3) == 0) xtie = memoTies;
    else {
      rankSort(px, m, keys, keys2, xi, xr, hist, rk2, ri2, 0);
      xtie = memoTies = sortTies;
      memory.copy(lastX, px, n << 3);
      memoM = nanSeen ? -1 : m; // never a memo of a vector with NaN (its call's counts are dropped)
      memoWork = work;
    }
  } else {
    // x sorted with the y ranks written in x order as it goes, and its runs of equal x handled there.
    memoM = -1; // the memo area may be overwritten
    fuseRy = ry;
    fuseSeq = seq;
    fuseTmp = tmp;
    fuseBits = bits;
    fuseNtie = 0;
    rankSort(px, m, keys, keys2, idx, sr, hist, rk2, ri2, 0);
    fuseRy = 0;
    const dis = sortCountInversions(seq, tmp, m, bits);
    store<f64>(out, sortTies);
    store<f64>(out + 8, ytie);
    store<f64>(out + 16, fuseNtie);
    store<f64>(out + 24, dis);
    store<f64>(out + 32, <f64>nanSeen);
    return;
  }
  // y ranks in x order.
  gatherRanks(seq, ry, xi, m);
  // Runs of equal x: sort their y ranks, count pairs equal in both.
  const ntie: f64 = xtie > 0 ? tiedRunPairs(xr, seq, tmp, m, bits) : 0;
  const dis = sortCountInversions(seq, tmp, m, bits);
  store<f64>(out, xtie);
  store<f64>(out + 8, ytie);
  store<f64>(out + 16, ntie);
  store<f64>(out + 24, dis);
  store<f64>(out + 32, <f64>nanSeen);
}

// The same counts split over two threads (src/inference/kendall-parallel.ts; each thread has its own instance):
// phase 1, one thread ranks y (kendallRank: the rank of each index, and the first sorted position of each rank)
// while the other sorts x in two parts split by value (kendallRankPart: sorted indices and labels of equal x);
// phase 2, each thread takes one part (kendallSegment: the y ranks in (x, y) order, the pairs tied in both and
// the inversions inside the part, leaving it sorted); phase 3, the inversions between the parts, from the lower
// part's sorted y ranks and the first positions of all ranks (kendallCrossRanks). Same exact integers as
// kendallCounts.

/** Bytes of scratch memory kendallRank needs for m values: packed keys 2×8m, a tie run's sort scratch 12m, histograms. */
export function kendallRankWorkBytes(m: i32): usize {
  return 28 * <usize>m + HIST_BYTES + 64;
}

// The scratch areas of the split phases' sorts in their work area (kendallRankWorkBytes), set by layoutSplitWork.
let wKeys: usize = 0;
let wKeys2: usize = 0;
let wRk2: usize = 0;
let wRi2: usize = 0;
let wHist: usize = 0;

/** Lays out the split phases' work area for n values (keys, keys2, rk2: 8n bytes each; ri2: 4n; the histogram). */
function layoutSplitWork(work: usize, n: usize): void {
  wKeys = (work + 15) & ~(<usize>15);
  wKeys2 = wKeys + 8 * n;
  wRk2 = wKeys2 + 8 * n;
  wRi2 = wRk2 + 8 * n;
  wHist = wRi2 + 4 * n;
  memoM = -1; // this instance's memory is laid out anew
}

/**
 * Phase 1: dense ranks of the float64 vector at p (m ≥ 2; −0 = +0). With ry ≠ 0, writes each value's rank at ry
 * (4m bytes, by index) and, when first ≠ 0, the number of values below each rank r at first[r] (4m bytes);
 * else the sorted indices at idx and the rank of each sorted position at sr (4m bytes each; both are scratch
 * too when ry ≠ 0). Writes three float64 at out: the pairs of equal values, the bits of a rank (rankBits of
 * the number of distinct values), and 1 when the vector holds a NaN (else 0). work: kendallRankWorkBytes(m) bytes.
 */
export function kendallRank(p: usize, m: i32, work: usize, idx: usize, sr: usize, ry: usize, first: usize, out: usize): void {
  layoutSplitWork(work, <usize>m);
  fuseRy = 0;
  rankFirst = ry ? first : 0;
  nanSeen = 0;
  const distinct = rankSort(p, m, wKeys, wKeys2, idx, sr, wHist, wRk2, wRi2, ry);
  rankFirst = 0;
  store<f64>(out, sortTies);
  store<f64>(out + 8, <f64>rankBits(distinct));
  store<f64>(out + 16, <f64>nanSeen);
}

/**
 * Phase 1 for x, split by value: sorts only the values of the float64 vector at p (m ≥ 2) below `pivot` (upper = 0)
 * or not below it (upper = 1), so equal values stay together; writes their c indices in sorted order at idx and
 * a label of each sorted position at sr (equal labels for equal values, ascending), and three float64 at out: the
 * pairs of equal values among them, c, and 1 when the vector (all of it) holds a NaN (else 0). work: kendallRankWorkBytes(m) bytes.
 */
export function kendallRankPart(p: usize, m: i32, pivot: f64, upper: i32, work: usize, idx: usize, sr: usize, out: usize): void {
  fuseRy = 0;
  nanSeen = 0;
  const c = rankPart(p, m, pivot, upper, work, idx, sr);
  store<f64>(out, sortTies);
  store<f64>(out + 8, <f64>c);
  store<f64>(out + 16, <f64>nanSeen);
}

/** The sort of kendallRankPart; sets sortTies, returns c. */
function rankPart(p: usize, m: i32, pivot: f64, upper: i32, work: usize, idx: usize, sr: usize): i32 {
  layoutSplitWork(work, <usize>m);
  const keys = wKeys;
  const ib: i32 = 32 - clz<i32>(m - 1);
  const low: u64 = (<u64>1 << <u64>ib) - 1;
  const up = upper != 0;
  let orK: u64 = 0;
  let andK: u64 = ~(<u64>0);
  let c: i32 = 0;
  let nan: i32 = 0;
  // Branch-free: every key is stored at keys[c], and c moves on only for the part's values (the split of
  // random data is unpredictable); the OR and AND take only the part's keys.
  for (let k = 0; k < m; k++) {
    const v = load<f64>(p + (<usize>k << 3));
    nan |= <i32>(v != v);
    const key = sortableKey(v);
    const inPart: i32 = <i32>((v >= pivot) == up);
    const mask: u64 = <u64>0 - <u64>inPart; // all ones when in the part
    orK |= key & mask;
    andK &= key | ~mask;
    store<u64>(keys + (<usize>c << 3), (key & ~low) | <u64>k);
    c += inPart;
  }
  nanSeen |= nan;
  sortTies = 0;
  if (c > 0) sortPacked(p, c, ib, orK, andK, keys, wKeys2, idx, sr, wHist, wRk2, wRi2, 0);
  return c;
}

/**
 * Phase 2, on a segment of len sorted x positions (never cutting a run of equal x): seq[k] = ry[xi[k]] (the y
 * ranks, < 2^bits, in x order), each run of equal x ranks (xr) sorted ascending; writes two float64 at out: the
 * pairs tied in both x and y, and the inversions of seq (left sorted ascending). tmp: 4·len bytes of scratch.
 */
export function kendallSegment(xi: usize, xr: usize, ry: usize, len: i32, bits: i32, seq: usize, tmp: usize, out: usize): void {
  gatherRanks(seq, ry, xi, len);
  store<f64>(out, tiedRunPairs(xr, seq, tmp, len, bits));
  store<f64>(out + 8, sortCountInversions(seq, tmp, len, bits));
}

/**
 * Phase 3: the inversions between the lower part of x and the rest, from the lower part's y ranks sorted ascending
 * at a (length la ≥ 1) and first[r] (kendallRank: the number of all values with a y rank below r). A lower value
 * (x below every other value) with y rank r is inverted with each other value of a lower y rank: first[r] of
 * them in all, less those in the lower part (the position of r's first occurrence in a).
 */
export function kendallCrossRanks(a: usize, la: i32, first: usize): f64 {
  let inv: i64 = 0;
  let start: i32 = 0;
  let prev: i32 = -1;
  for (let k: i32 = 0; k < la; k++) {
    const r = load<i32>(a + (<usize>k << 2));
    if (r != prev) {
      start = k;
      prev = r;
    }
    inv += <i64>(load<i32>(first + (<usize>r << 2)) - start);
  }
  return <f64>inv;
}
