import { instantiateWasm, lazyWasmModule, WASM_PAGE, type WasmMemory } from '@conceptlab/core/runtime';
import type { AdamCoefficients } from '../adam.js';
import { ADAM_WASM_BASE64 } from './adam-wasm.generated.js';

/**
 * The dense Adam pass in WebAssembly SIMD (assembly/adam.ts, compiled bytes in adam-wasm.generated.ts).
 *
 * Each arena is one module instance whose linear memory holds W, m, v, the sparse gradient rows G, the
 * row→slot map and two float64 sums, laid out once (memory is grown once, in the constructor, so the
 * typed-array views never detach). The engine's sparse pass writes G and rowSlot through the views;
 * {@link WasmArena.dense} runs the fused pass over all n·D weights in one call.
 */

type AdamDenseFn = (
  w: number, m: number, v: number, g: number, slots: number, n: number, D: number,
  c1: number, b2: number, c2: number, bc2s: number, eps: number, negStep: number,
  gNeg: number, gPos: number, proximal: number, shrink: number, sums: number,
) => void;

/** Largest memory an arena asks for (2 GiB); larger problems use the JavaScript kernel. */
export const WASM_MAX_BYTES = 2 ** 31;

/** The compiled module, or null when this runtime has no WebAssembly or no SIMD. Compiled once (core's loader). */
const wasmModule = lazyWasmModule(ADAM_WASM_BASE64);

/** Whether the WebAssembly SIMD kernel can run here. */
export function wasmKernelAvailable(): boolean {
  return wasmModule() !== null;
}

const align16 = (x: number) => (x + 15) & ~15;

/** Bytes of linear memory an arena for n objects × D dims needs (beyond the module's own). */
export function wasmArenaBytes(n: number, D: number): number {
  return 4 * align16(4 * n * D) + align16(4 * n) + 16;
}

export interface WasmArena {
  readonly W: Float32Array;
  readonly M: Float32Array;
  readonly V: Float32Array;
  readonly G: Float32Array;
  readonly rowSlot: Int32Array;
  /** [Σ max(−w, 0), Σ |w|] of the weights before the last {@link WasmArena.dense} call. */
  readonly sums: Float64Array;
  /** One dense Adam pass over all weights (see assembly/adam.ts). */
  dense(k: AdamCoefficients, proximal: boolean): void;
}

/** A fresh arena (zeroed arrays, rowSlot all −1). @throws Error when WebAssembly SIMD is unavailable. */
export function createWasmArena(n: number, D: number): WasmArena {
  const mod = wasmModule();
  if (!mod) throw new Error('WebAssembly SIMD is not available in this runtime');
  const exports = instantiateWasm<{ memory: WasmMemory; adamDense: AdamDenseFn }>(mod);
  const memory = exports.memory;
  const adamDense = exports.adamDense;
  const base = align16(memory.buffer.byteLength);
  const need = base + wasmArenaBytes(n, D);
  memory.grow(Math.ceil((need - memory.buffer.byteLength) / WASM_PAGE));
  const buffer = memory.buffer;
  let at = base;
  const floats = (len: number) => {
    const a = new Float32Array(buffer, at, len);
    at += align16(4 * len);
    return a;
  };
  const W = floats(n * D), M = floats(n * D), V = floats(n * D), G = floats(n * D);
  const rowSlot = new Int32Array(buffer, at, n).fill(-1);
  at += align16(4 * n);
  const sums = new Float64Array(buffer, at, 2);
  const pW = W.byteOffset, pM = M.byteOffset, pV = V.byteOffset, pG = G.byteOffset, pS = rowSlot.byteOffset, pSums = sums.byteOffset;
  return {
    W, M, V, G, rowSlot, sums,
    dense(k, proximal) {
      sums[0] = 0;
      sums[1] = 0;
      adamDense(pW, pM, pV, pG, pS, n, D, k.c1, k.b2, k.c2, k.bc2Sqrt, k.eps, k.negStep, k.gNeg, k.gPos, proximal ? 1 : 0, k.shrink, pSums);
    },
  };
}
