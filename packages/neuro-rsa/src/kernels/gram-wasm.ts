import { GRAM_WASM_BASE64 } from './gram-wasm.generated.js';
import { instantiateWasm, lazyWasmModule, WASM_PAGE, type WasmMemory } from '@conceptlab/core/runtime';

type PanelFn = (xc: number, kc: number, out: number, nn: number, j0: number, j1: number, acc: number) => void;
interface GramExports {
  memory: WasmMemory;
  gramPanel: PanelFn;
  sqdistPanel: PanelFn;
}

/** Largest linear memory a kernel instance asks for (4 GiB − 64 KiB); larger problems use the JavaScript kernel. */
export const GRAM_WASM_MAX_BYTES = 2 ** 32 - WASM_PAGE;

/** The compiled module, or null when this runtime has no WebAssembly or no SIMD. Compiled once. */
const wasmModule = lazyWasmModule(GRAM_WASM_BASE64);

/** Whether the WebAssembly SIMD pairwise kernel can run here. */
export function gramWasmAvailable(): boolean {
  return wasmModule() !== null;
}

/** A kernel instance: the packed chunk and the nn × nn output live in its linear memory. */
export interface GramWasmArena {
  readonly xc: Float64Array;
  readonly out: Float64Array;
  panel(kc: number, j0: number, j1: number, acc: boolean, sqdist: boolean): void;
}

/**
 * A fresh instance with room for a chunk of nn × kcMax float64 and an nn × nn float64 output.
 * @throws Error when WebAssembly SIMD is unavailable or the memory would exceed {@link GRAM_WASM_MAX_BYTES}.
 */
export function createGramWasmArena(nn: number, kcMax: number): GramWasmArena {
  const mod = wasmModule();
  if (!mod) throw new Error('WebAssembly SIMD is not available in this runtime');
  const exports = instantiateWasm<GramExports>(mod);
  const memory = exports.memory;
  const base = (memory.buffer.byteLength + 15) & ~15;
  const need = base + 8 * nn * kcMax + 8 * nn * nn;
  if (need > GRAM_WASM_MAX_BYTES) throw new Error(`the pairwise kernel needs ${need} bytes of WebAssembly memory`);
  memory.grow(Math.ceil((need - memory.buffer.byteLength) / WASM_PAGE));
  const xc = new Float64Array(memory.buffer, base, nn * kcMax);
  const out = new Float64Array(memory.buffer, base + 8 * nn * kcMax, nn * nn);
  const pXc = xc.byteOffset;
  const pOut = out.byteOffset;
  return {
    xc,
    out,
    panel(kc, j0, j1, acc, sqdist) {
      (sqdist ? exports.sqdistPanel : exports.gramPanel)(pXc, kc, pOut, nn, j0, j1, acc ? 1 : 0);
    },
  };
}
