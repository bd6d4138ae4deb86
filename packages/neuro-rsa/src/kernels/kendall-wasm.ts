import { KENDALL_WASM_BASE64 } from './kendall-wasm.generated.js';
import { instantiateWasm, lazyWasmModule, WASM_PAGE, type WasmMemory } from '@conceptlab/core/runtime';

interface KendallExports {
  memory: WasmMemory;
  kendallWorkBytes(m: number, memo: number): number;
  kendallCounts(px: number, py: number, m: number, work: number, out: number, memo: number): void;
}

/**
 * Vectors up to this length reuse one instance held for the life of the process (a few MiB);
 * longer ones reuse an instance held strongly for {@link LARGE_HOLD_MS} after the last call (so a run
 * of calls does not grow and fault in fresh memory each time) and weakly after that, so its memory
 * (about 68 bytes per element) is freed by a garbage collection once calls stop.
 */
const CACHED_MAX = 1 << 16;
/** Longest vectors the 32-bit memory can hold (about 68 bytes per element). */
export const KENDALL_WASM_MAX_LENGTH = 50_000_000;

type Arena = { ex: KendallExports; base: number };
let cached: Arena | undefined;
let cachedLarge: WeakRef<Arena> | undefined;
/** How long the large instance stays strongly held after a call. */
const LARGE_HOLD_MS = 2000;
let heldLarge: Arena | undefined;
let holdTimer: ReturnType<typeof setTimeout> | undefined;

/** A fresh instance and the first free byte after its own memory (the module's data and stack). */
function instantiate(mod: object): Arena {
  const ex = instantiateWasm<KendallExports>(mod);
  return { ex, base: (ex.memory.buffer.byteLength + 15) & ~15 };
}

/** The compiled module, or null when this runtime has no WebAssembly. Compiled once. */
const wasmModule = lazyWasmModule(KENDALL_WASM_BASE64);

/** Whether the WebAssembly Kendall kernel can run here. */
export function kendallWasmAvailable(): boolean {
  return wasmModule() !== null;
}

/**
 * [Tx, Ty, Txy, D] of two NaN-free vectors (see assembly/kendall.ts): pairs tied in x, tied in y,
 * tied in both, and discordant pairs — exact integer counts.
 * @throws Error when WebAssembly is unavailable or m exceeds {@link KENDALL_WASM_MAX_LENGTH}.
 */
export function kendallCountsWasm(x: ArrayLike<number>, y: ArrayLike<number>): [number, number, number, number] {
  const mod = wasmModule();
  if (!mod) throw new Error('WebAssembly is not available in this runtime');
  const m = x.length;
  if (m > KENDALL_WASM_MAX_LENGTH) throw new Error(`vectors of ${m} values exceed the WebAssembly kernel's ${KENDALL_WASM_MAX_LENGTH}`);
  let arena: Arena;
  if (m <= CACHED_MAX) arena = cached ??= instantiate(mod);
  else {
    arena = heldLarge ?? cachedLarge?.deref() ?? instantiate(mod);
    cachedLarge = new WeakRef(arena);
    heldLarge = arena;
    if (holdTimer) clearTimeout(holdTimer);
    holdTimer = setTimeout(() => (heldLarge = undefined), LARGE_HOLD_MS);
    holdTimer.unref?.();
  }
  const { ex, base } = arena;
  const px = base;
  const py = px + 8 * m;
  const out = py + 8 * m;
  const work = out + 32;
  // The x memo (re-sorting x is skipped when it repeats) only for the cached small instance.
  const memo = m <= CACHED_MAX ? 1 : 0;
  const need = work + ex.kendallWorkBytes(m, memo);
  if (need > ex.memory.buffer.byteLength) ex.memory.grow(Math.ceil((need - ex.memory.buffer.byteLength) / WASM_PAGE));
  const buffer = ex.memory.buffer;
  new Float64Array(buffer, px, m).set(x);
  new Float64Array(buffer, py, m).set(y);
  ex.kendallCounts(px, py, m, work, out, memo);
  const r = new Float64Array(buffer, out, 4);
  return [r[0]!, r[1]!, r[2]!, r[3]!];
}
