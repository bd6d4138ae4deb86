// AssemblyScript source of the dense Adam pass of the CPU SPoSE engine, in 128-bit SIMD (f32x4).
//
// Compiled by `node scripts/build-wasm.mjs` into src/kernels/adam-wasm.generated.ts (base64 bytes);
// the normal build does not need the AssemblyScript compiler. The module owns no heap: the engine grows
// the exported memory once and lays out W, m, v, the sparse gradient rows G and the row→slot map itself,
// then passes byte offsets. Every operation is float32, in the same order as the JavaScript kernel
// (src/kernels/dense-js.ts), which rounds to float32 after every operation (Math.fround); IEEE 754
// float32 +, −, ×, ÷ and √ are correctly rounded in both, so the two kernels give identical weights and
// moments. No fused multiply-add is used (baseline wasm SIMD has none).
//
// Per weight w with sparse gradient gs (0 when the row was not touched by the batch):
//   soft:      g = gs + (w < 0 ? gNeg : w > 0 ? gPos : 0)     (gNeg = −positivityWeight − λ/n, gPos = λ/n)
//   proximal:  g = gs
//   m ← m + c1·(g − m)                   (torch's lerp form of β1·m + (1 − β1)·g; c1 = 1 − β1)
//   v ← v·β2 + (c2·g)·g                  (c2 = 1 − β2)
//   w ← w + (negStep·m) / (√v / √bc2 + ε)   (negStep = −lr / bc1)
//   proximal:  w ← max(0, w − shrink)    (shrink = lr·λ/n)
// and, at the old w, Σ max(−w, 0) and Σ |w| (accumulated per row in float32 lanes, then in float64).

// @ts-ignore: decorator
@inline
function rowSoft(w: usize, m: usize, v: usize, g: usize, hasG: bool, D: i32,
                 c1: v128, b2: v128, c2: v128, bc2s: v128, eps: v128, negStep: v128, gNeg: v128, gPos: v128,
                 sums: usize): void {
  let pos = f32x4.splat(0);
  let abs = f32x4.splat(0);
  const zero = f32x4.splat(0);
  const D4 = D & ~3;
  let d: i32 = 0;
  for (; d < D4; d += 4) {
    const o = <usize>d << 2;
    const wv = v128.load(w + o);
    const negMask = f32x4.lt(wv, zero);
    const posMask = f32x4.gt(wv, zero);
    let gv = v128.bitselect(gNeg, v128.and(gPos, posMask), negMask);
    if (hasG) gv = f32x4.add(v128.load(g + o), gv);
    pos = f32x4.add(pos, f32x4.max(f32x4.neg(wv), zero));
    abs = f32x4.add(abs, f32x4.abs(wv));
    const m0 = v128.load(m + o);
    const m1 = f32x4.add(m0, f32x4.mul(c1, f32x4.sub(gv, m0)));
    v128.store(m + o, m1);
    const v1 = f32x4.add(f32x4.mul(v128.load(v + o), b2), f32x4.mul(f32x4.mul(c2, gv), gv));
    v128.store(v + o, v1);
    const den = f32x4.add(f32x4.div(f32x4.sqrt(v1), bc2s), eps);
    v128.store(w + o, f32x4.add(wv, f32x4.div(f32x4.mul(negStep, m1), den)));
  }
  let sp: f64 = <f64>f32x4.extract_lane(pos, 0) + <f64>f32x4.extract_lane(pos, 1) + <f64>f32x4.extract_lane(pos, 2) + <f64>f32x4.extract_lane(pos, 3);
  let sa: f64 = <f64>f32x4.extract_lane(abs, 0) + <f64>f32x4.extract_lane(abs, 1) + <f64>f32x4.extract_lane(abs, 2) + <f64>f32x4.extract_lane(abs, 3);
  const c1s = f32x4.extract_lane(c1, 0), b2s = f32x4.extract_lane(b2, 0), c2s = f32x4.extract_lane(c2, 0);
  const bc2ss = f32x4.extract_lane(bc2s, 0), epss = f32x4.extract_lane(eps, 0), ns = f32x4.extract_lane(negStep, 0);
  const gn = f32x4.extract_lane(gNeg, 0), gp = f32x4.extract_lane(gPos, 0);
  for (; d < D; d++) {
    const o = <usize>d << 2;
    const ws = load<f32>(w + o);
    let gs: f32 = ws < 0 ? gn : ws > 0 ? gp : 0;
    if (hasG) gs = load<f32>(g + o) + gs;
    if (ws < 0) sp -= <f64>ws;
    sa += <f64>Mathf.abs(ws);
    const m0 = load<f32>(m + o);
    const m1: f32 = m0 + c1s * (gs - m0);
    store<f32>(m + o, m1);
    const v1: f32 = load<f32>(v + o) * b2s + (c2s * gs) * gs;
    store<f32>(v + o, v1);
    const den: f32 = Mathf.sqrt(v1) / bc2ss + epss;
    store<f32>(w + o, ws + (ns * m1) / den);
  }
  store<f64>(sums, load<f64>(sums) + sp);
  store<f64>(sums + 8, load<f64>(sums + 8) + sa);
}

// @ts-ignore: decorator
@inline
function rowProximal(w: usize, m: usize, v: usize, g: usize, hasG: bool, D: i32,
                     c1: v128, b2: v128, c2: v128, bc2s: v128, eps: v128, negStep: v128, shrink: v128,
                     sums: usize): void {
  let abs = f32x4.splat(0);
  const zero = f32x4.splat(0);
  const D4 = D & ~3;
  let d: i32 = 0;
  for (; d < D4; d += 4) {
    const o = <usize>d << 2;
    const wv = v128.load(w + o);
    const gv = hasG ? v128.load(g + o) : zero;
    abs = f32x4.add(abs, f32x4.abs(wv));
    const m0 = v128.load(m + o);
    const m1 = f32x4.add(m0, f32x4.mul(c1, f32x4.sub(gv, m0)));
    v128.store(m + o, m1);
    const v1 = f32x4.add(f32x4.mul(v128.load(v + o), b2), f32x4.mul(f32x4.mul(c2, gv), gv));
    v128.store(v + o, v1);
    const den = f32x4.add(f32x4.div(f32x4.sqrt(v1), bc2s), eps);
    const w1 = f32x4.add(wv, f32x4.div(f32x4.mul(negStep, m1), den));
    v128.store(w + o, f32x4.max(zero, f32x4.sub(w1, shrink)));
  }
  let sa: f64 = <f64>f32x4.extract_lane(abs, 0) + <f64>f32x4.extract_lane(abs, 1) + <f64>f32x4.extract_lane(abs, 2) + <f64>f32x4.extract_lane(abs, 3);
  const c1s = f32x4.extract_lane(c1, 0), b2s = f32x4.extract_lane(b2, 0), c2s = f32x4.extract_lane(c2, 0);
  const bc2ss = f32x4.extract_lane(bc2s, 0), epss = f32x4.extract_lane(eps, 0), ns = f32x4.extract_lane(negStep, 0);
  const sh = f32x4.extract_lane(shrink, 0);
  for (; d < D; d++) {
    const o = <usize>d << 2;
    const ws = load<f32>(w + o);
    const gs: f32 = hasG ? load<f32>(g + o) : 0;
    sa += <f64>Mathf.abs(ws);
    const m0 = load<f32>(m + o);
    const m1: f32 = m0 + c1s * (gs - m0);
    store<f32>(m + o, m1);
    const v1: f32 = load<f32>(v + o) * b2s + (c2s * gs) * gs;
    store<f32>(v + o, v1);
    const den: f32 = Mathf.sqrt(v1) / bc2ss + epss;
    const w1: f32 = ws + (ns * m1) / den;
    store<f32>(w + o, Mathf.max(0, w1 - sh));
  }
  store<f64>(sums + 8, load<f64>(sums + 8) + sa);
}

/**
 * One dense Adam step over all n·D weights. `slots[r]` is the row of G holding object r's sparse
 * gradient, or −1. Adds Σ max(−w, 0) and Σ |w| at the old weights to f64 sums[0], sums[1] (the caller zeroes them).
 * proximal ≠ 0 selects the proximal variant (penalties out of the gradient, then the shrink and clamp).
 */
export function adamDense(
  w: usize, m: usize, v: usize, g: usize, slots: usize, n: i32, D: i32,
  c1: f32, b2: f32, c2: f32, bc2s: f32, eps: f32, negStep: f32,
  gNeg: f32, gPos: f32, proximal: i32, shrink: f32, sums: usize,
): void {
  const vc1 = f32x4.splat(c1), vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2), vbc2s = f32x4.splat(bc2s);
  const veps = f32x4.splat(eps), vns = f32x4.splat(negStep);
  const rowBytes = <usize>D << 2;
  if (proximal == 0) {
    const vgn = f32x4.splat(gNeg), vgp = f32x4.splat(gPos);
    for (let r: i32 = 0; r < n; r++) {
      const off = <usize>r * rowBytes;
      const s = load<i32>(slots + (<usize>r << 2));
      if (s >= 0) rowSoft(w + off, m + off, v + off, g + <usize>s * rowBytes, true, D, vc1, vb2, vc2, vbc2s, veps, vns, vgn, vgp, sums);
      else rowSoft(w + off, m + off, v + off, 0, false, D, vc1, vb2, vc2, vbc2s, veps, vns, vgn, vgp, sums);
    }
  } else {
    const vsh = f32x4.splat(shrink);
    for (let r: i32 = 0; r < n; r++) {
      const off = <usize>r * rowBytes;
      const s = load<i32>(slots + (<usize>r << 2));
      if (s >= 0) rowProximal(w + off, m + off, v + off, g + <usize>s * rowBytes, true, D, vc1, vb2, vc2, vbc2s, veps, vns, vsh, sums);
      else rowProximal(w + off, m + off, v + off, 0, false, D, vc1, vb2, vc2, vbc2s, veps, vns, vsh, sums);
    }
  }
}
