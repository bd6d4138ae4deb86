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
// Steps: stable LSD radix argsorts of x and of y (on the order-preserving u64 form of each float64,
// −0 taken as +0), giving the dense ranks of y; the y ranks gathered in x order; within each run of
// equal x (Tx counts its pairs) the y ranks are sorted ascending and their runs give Txy; then
// D = the inversions of the y ranks in this (x, y) order, counted while sorting them by MSD bit
// partitions (one stable pass per bit: a 0 bit after k 1 bits in its group adds k inversions),
// whose sorted output gives Ty.

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

/** Stable LSD radix argsort of the float64 vector at px by value: sets sortedKeys / sortedIdx. */
function argsortKeys(px: usize, m: i32, keys: usize, keys2: usize, idx: usize, idx2: usize, hist: usize): void {
  const bits: i32 = m >= 65536 ? 16 : 11;
  const passes: i32 = (64 + bits - 1) / bits;
  const size: i32 = 1 << bits;
  const mask: u64 = <u64>(size - 1);
  memory.fill(hist, 0, <usize>(passes * size) << 2);
  for (let k = 0; k < m; k++) {
    const key = sortableKey(load<f64>(px + (<usize>k << 3)));
    store<u64>(keys + (<usize>k << 3), key);
    store<i32>(idx + (<usize>k << 2), k);
    for (let p = 0; p < passes; p++) {
      const d = <i32>((key >> <u64>(p * bits)) & mask);
      const at = hist + (<usize>(p * size + d) << 2);
      store<i32>(at, load<i32>(at) + 1);
    }
  }
  let kA = keys, kB = keys2, iA = idx, iB = idx2;
  for (let p = 0; p < passes; p++) {
    const shift = <u64>(p * bits);
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
      store<i32>(iB + (<usize>q << 2), load<i32>(iA + (<usize>k << 2)));
    }
    const tk = kA; kA = kB; kB = tk;
    const ti = iA; iA = iB; iB = ti;
  }
  sortedKeys = kA;
  sortedIdx = iA;
}

/**
 * Sorts the i32 vector at v (values in [0, 2^bits)) ascending and stably, one MSD bit at a time
 * (the result ends in v), and returns its inversions: at bit b, inside each group of equal higher
 * bits, every element with bit b = 0 is inverted with each earlier element with bit b = 1.
 */
function sortCountInversions(v: usize, tmp: usize, m: i32, bits: i32): f64 {
  if (m <= 32) return insertionSortCount(v, m);
  let inv: i64 = 0;
  let src = v, dst = tmp;
  for (let b = bits - 1; b >= 0; b--) {
    const hs = <u32>(b + 1);
    let k: i32 = 0;
    while (k < m) {
      const g = <u32>load<i32>(src + (<usize>k << 2)) >> hs;
      let e = k;
      let ones: i64 = 0;
      let zeros: i32 = 0;
      while (e < m) {
        const x = <u32>load<i32>(src + (<usize>e << 2));
        if (x >> hs != g) break;
        const bit = <i32>((x >> <u32>b) & 1);
        inv += select<i64>(0, ones, bit);
        ones += <i64>bit;
        zeros += 1 - bit;
        e++;
      }
      let zi = k, oi = k + zeros;
      for (let t = k; t < e; t++) {
        const x = load<i32>(src + (<usize>t << 2));
        const bit = <i32>((<u32>x >> <u32>b) & 1);
        store<i32>(dst + (<usize>select<i32>(oi, zi, bit) << 2), x);
        oi += bit;
        zi += 1 - bit;
      }
      k = e;
    }
    const t = src; src = dst; dst = t;
  }
  if (src != v) memory.copy(v, src, <usize>m << 2);
  return <f64>inv;
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
