// The machine's bound for SPoSE at a size: the median time of the cpu engine's dense Adam pass (wasm kernel) over
// all nObjects × dims weights, which every training step pays. Benches print it beside their absolute numbers.
import { median } from '@conceptlab/core/stats';
import { DEFAULT_HYPER, sposeBenchKernels } from '@conceptlab/spose-embed';

/** Milliseconds per dense pass (median of 5 × 500 passes after 200 warm-up passes). */
export function denseAdamPassMs(nObjects, dims) {
  const { adamCoefficients, createAdamCoefficients, createWasmArena } = sposeBenchKernels;
  const arena = createWasmArena(nObjects, dims);
  const coef = adamCoefficients({ ...DEFAULT_HYPER, nObjects, dims }, 10, createAdamCoefficients());
  for (let i = 0; i < 200; i++) arena.dense(coef, false);
  const passes = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 500; i++) arena.dense(coef, false);
    passes.push((performance.now() - t0) / 500);
  }
  return median(Float64Array.from(passes));
}
