// AssemblyScript source of the blocked pairwise kernels of computeRdm, in 128-bit SIMD (f64x2).
//
// Compiled by `node scripts/build-wasm.mjs` into src/kernels/gram-wasm.generated.ts (base64 bytes); the
// normal build does not need the AssemblyScript compiler. The module owns no heap: the caller grows the
// exported memory and passes byte offsets.
//
// `xc` holds one channel chunk of the (padded) pattern matrix: nn rows × kc channels, row-major, nn a
// multiple of 4 and kc even. For the panel of columns j0 ≤ j < j1 (multiples of 4) and every row
// block i = 0, 4, … < j1, the 4×2 micro-kernel sums over the chunk, for (i', j') in
// {i … i+3} × {j, j+1}, j ≥ i:
//   gramPanel:   lane 0 = Σ x[i',c]·x[j',c] over even c (in order), lane 1 over odd c, s = lane 0 + lane 1
//   sqdistPanel: the same with (x[i',c] − x[j',c])²
// and stores s (acc = 0) or out[i'][j'] + s (acc = 1) into the nn × nn float64 matrix `out`.
// Products and sums are separately rounded (baseline wasm SIMD has no fused multiply-add), so the
// JavaScript kernel (src/kernels/gram-js.ts), which follows the same order, gives identical results.

// @ts-ignore: decorator
@inline
function put(at: usize, s: f64, acc: i32): void {
  store<f64>(at, acc ? load<f64>(at) + s : s);
}

/** Dot products of the chunk rows (see the header). */
export function gramPanel(xc: usize, kc: i32, out: usize, nn: i32, j0: i32, j1: i32, acc: i32): void {
  const rowBytes = <usize>kc << 3;
  const outRow = <usize>nn << 3;
  for (let i = 0; i < j1; i += 4) {
    const a0 = xc + <usize>i * rowBytes;
    const a1 = a0 + rowBytes;
    const a2 = a1 + rowBytes;
    const a3 = a2 + rowBytes;
    for (let j = i > j0 ? i : j0; j < j1; j += 2) {
      const b0 = xc + <usize>j * rowBytes;
      const b1 = b0 + rowBytes;
      let s00 = f64x2.splat(0);
      let s01 = f64x2.splat(0);
      let s10 = f64x2.splat(0);
      let s11 = f64x2.splat(0);
      let s20 = f64x2.splat(0);
      let s21 = f64x2.splat(0);
      let s30 = f64x2.splat(0);
      let s31 = f64x2.splat(0);
      for (let c: usize = 0; c < rowBytes; c += 16) {
        const va0 = v128.load(a0 + c);
        const va1 = v128.load(a1 + c);
        const va2 = v128.load(a2 + c);
        const va3 = v128.load(a3 + c);
        const vb0 = v128.load(b0 + c);
        const vb1 = v128.load(b1 + c);
        s00 = f64x2.add(s00, f64x2.mul(va0, vb0));
        s01 = f64x2.add(s01, f64x2.mul(va0, vb1));
        s10 = f64x2.add(s10, f64x2.mul(va1, vb0));
        s11 = f64x2.add(s11, f64x2.mul(va1, vb1));
        s20 = f64x2.add(s20, f64x2.mul(va2, vb0));
        s21 = f64x2.add(s21, f64x2.mul(va2, vb1));
        s30 = f64x2.add(s30, f64x2.mul(va3, vb0));
        s31 = f64x2.add(s31, f64x2.mul(va3, vb1));
      }
      const o = out + <usize>i * outRow + (<usize>j << 3);
      put(o + 0*outRow + 0, f64x2.extract_lane(s00, 0) + f64x2.extract_lane(s00, 1), acc);
      put(o + 0*outRow + 8, f64x2.extract_lane(s01, 0) + f64x2.extract_lane(s01, 1), acc);
      put(o + 1*outRow + 0, f64x2.extract_lane(s10, 0) + f64x2.extract_lane(s10, 1), acc);
      put(o + 1*outRow + 8, f64x2.extract_lane(s11, 0) + f64x2.extract_lane(s11, 1), acc);
      put(o + 2*outRow + 0, f64x2.extract_lane(s20, 0) + f64x2.extract_lane(s20, 1), acc);
      put(o + 2*outRow + 8, f64x2.extract_lane(s21, 0) + f64x2.extract_lane(s21, 1), acc);
      put(o + 3*outRow + 0, f64x2.extract_lane(s30, 0) + f64x2.extract_lane(s30, 1), acc);
      put(o + 3*outRow + 8, f64x2.extract_lane(s31, 0) + f64x2.extract_lane(s31, 1), acc);
    }
  }
}

/** Squared Euclidean distances of the chunk rows (see the header). */
export function sqdistPanel(xc: usize, kc: i32, out: usize, nn: i32, j0: i32, j1: i32, acc: i32): void {
  const rowBytes = <usize>kc << 3;
  const outRow = <usize>nn << 3;
  for (let i = 0; i < j1; i += 4) {
    const a0 = xc + <usize>i * rowBytes;
    const a1 = a0 + rowBytes;
    const a2 = a1 + rowBytes;
    const a3 = a2 + rowBytes;
    for (let j = i > j0 ? i : j0; j < j1; j += 2) {
      const b0 = xc + <usize>j * rowBytes;
      const b1 = b0 + rowBytes;
      let s00 = f64x2.splat(0);
      let s01 = f64x2.splat(0);
      let s10 = f64x2.splat(0);
      let s11 = f64x2.splat(0);
      let s20 = f64x2.splat(0);
      let s21 = f64x2.splat(0);
      let s30 = f64x2.splat(0);
      let s31 = f64x2.splat(0);
      for (let c: usize = 0; c < rowBytes; c += 16) {
        const va0 = v128.load(a0 + c);
        const va1 = v128.load(a1 + c);
        const va2 = v128.load(a2 + c);
        const va3 = v128.load(a3 + c);
        const vb0 = v128.load(b0 + c);
        const vb1 = v128.load(b1 + c);
        const d00 = f64x2.sub(va0, vb0);
        s00 = f64x2.add(s00, f64x2.mul(d00, d00));
        const d01 = f64x2.sub(va0, vb1);
        s01 = f64x2.add(s01, f64x2.mul(d01, d01));
        const d10 = f64x2.sub(va1, vb0);
        s10 = f64x2.add(s10, f64x2.mul(d10, d10));
        const d11 = f64x2.sub(va1, vb1);
        s11 = f64x2.add(s11, f64x2.mul(d11, d11));
        const d20 = f64x2.sub(va2, vb0);
        s20 = f64x2.add(s20, f64x2.mul(d20, d20));
        const d21 = f64x2.sub(va2, vb1);
        s21 = f64x2.add(s21, f64x2.mul(d21, d21));
        const d30 = f64x2.sub(va3, vb0);
        s30 = f64x2.add(s30, f64x2.mul(d30, d30));
        const d31 = f64x2.sub(va3, vb1);
        s31 = f64x2.add(s31, f64x2.mul(d31, d31));
      }
      const o = out + <usize>i * outRow + (<usize>j << 3);
      put(o + 0*outRow + 0, f64x2.extract_lane(s00, 0) + f64x2.extract_lane(s00, 1), acc);
      put(o + 0*outRow + 8, f64x2.extract_lane(s01, 0) + f64x2.extract_lane(s01, 1), acc);
      put(o + 1*outRow + 0, f64x2.extract_lane(s10, 0) + f64x2.extract_lane(s10, 1), acc);
      put(o + 1*outRow + 8, f64x2.extract_lane(s11, 0) + f64x2.extract_lane(s11, 1), acc);
      put(o + 2*outRow + 0, f64x2.extract_lane(s20, 0) + f64x2.extract_lane(s20, 1), acc);
      put(o + 2*outRow + 8, f64x2.extract_lane(s21, 0) + f64x2.extract_lane(s21, 1), acc);
      put(o + 3*outRow + 0, f64x2.extract_lane(s30, 0) + f64x2.extract_lane(s30, 1), acc);
      put(o + 3*outRow + 8, f64x2.extract_lane(s31, 0) + f64x2.extract_lane(s31, 1), acc);
    }
  }
}
