/**
 * The JavaScript twin of assembly/gram.ts (see its header for the layout): the same 4×2 blocking
 * and the same summation order — per output, lane 0 sums the even channels of the chunk in order,
 * lane 1 the odd ones, then lane 0 + lane 1 is stored or added to `out` — so both kernels give
 * bit-identical results. `xc` is the packed chunk (nn rows × kc channels), `out` the nn × nn matrix.
 */
export function gramPanelJs(
  xc: Float64Array, kc: number, out: Float64Array, nn: number, j0: number, j1: number, acc: boolean, sqdist: boolean,
): void {
  for (let i = 0; i < j1; i += 4) {
    for (let j = i > j0 ? i : j0; j < j1; j += 2) {
      for (let a = 0; a < 4; a++) {
        const ra = (i + a) * kc;
        for (let b = 0; b < 2; b++) {
          const rb = (j + b) * kc;
          let s0 = 0;
          let s1 = 0;
          if (sqdist) {
            for (let c = 0; c < kc; c += 2) {
              const d0 = xc[ra + c]! - xc[rb + c]!;
              const d1 = xc[ra + c + 1]! - xc[rb + c + 1]!;
              s0 += d0 * d0;
              s1 += d1 * d1;
            }
          } else {
            for (let c = 0; c < kc; c += 2) {
              s0 += xc[ra + c]! * xc[rb + c]!;
              s1 += xc[ra + c + 1]! * xc[rb + c + 1]!;
            }
          }
          const o = (i + a) * nn + j + b;
          out[o] = acc ? out[o]! + (s0 + s1) : s0 + s1;
        }
      }
    }
  }
}
