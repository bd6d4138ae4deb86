import { KENDALL_WASM_BASE64 } from './kendall-wasm.generated.js';
import { instantiateWasm, lazyWasmModule, WASM_PAGE, type WasmMemory } from '@conceptlab/core/runtime';

/** The exports of assembly/kendall.ts: the one-thread count and the phases of the two-thread split. */
export interface KendallExports {
  memory: WasmMemory;
  kendallWorkBytes(m: number, memo: number): number;
  kendallCounts(px: number, py: number, m: number, work: number, out: number, memo: number): void;
  kendallRankWorkBytes(m: number): number;
  kendallRank(p: number, m: number, work: number, idx: number, sr: number, ry: number, first: number, out: number): void;
  kendallRankPart(p: number, m: number, pivot: number, upper: number, work: number, idx: number, sr: number, out: number): void;
  kendallSegment(xi: number, xr: number, ry: number, len: number, bits: number, seq: number, tmp: number, out: number): void;
  kendallCrossRanks(a: number, la: number, first: number): number;
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

/** An instance and the first free byte after its own memory (the module's data and stack). */
export type KendallArena = { ex: KendallExports; base: number };
let cached: KendallArena | undefined;
let cachedLarge: WeakRef<KendallArena> | undefined;
/** How long the large instance stays strongly held after a call. */
const LARGE_HOLD_MS = 2000;
let heldLarge: KendallArena | undefined;
let holdTimer: ReturnType<typeof setTimeout> | undefined;

/** A fresh instance and the first free byte after its own memory (the module's data and stack). */
function instantiate(mod: object): KendallArena {
  const ex = instantiateWasm<KendallExports>(mod);
  return { ex, base: (ex.memory.buffer.byteLength + 15) & ~15 };
}

/** The compiled module, or null when this runtime has no WebAssembly. Compiled once. */
const wasmModule = lazyWasmModule(KENDALL_WASM_BASE64);

/** Whether the WebAssembly Kendall kernel can run here. */
export function kendallWasmAvailable(): boolean {
  return wasmModule() !== null;
}

/** Whether the WebAssembly kernel can count vectors of m values here (available, and m within its limit). */
export function kendallWasmFits(m: number): boolean {
  return m <= KENDALL_WASM_MAX_LENGTH && kendallWasmAvailable();
}

/**
 * The instance for vectors of m values (see {@link CACHED_MAX}), shared by the one-thread count and this
 * thread's part of the two-thread split; each call lays out its memory anew (the split invalidates the x memo).
 * @throws Error when WebAssembly is unavailable or m exceeds {@link KENDALL_WASM_MAX_LENGTH}.
 */
function kendallArena(m: number): KendallArena {
  const mod = wasmModule();
  if (!mod) throw new Error('WebAssembly is not available in this runtime');
  if (m > KENDALL_WASM_MAX_LENGTH) throw new Error(`vectors of ${m} values exceed the WebAssembly kernel's ${KENDALL_WASM_MAX_LENGTH}`);
  if (m <= CACHED_MAX) return (cached ??= instantiate(mod));
  return holdLarge(largeArena(mod));
}

/** Large instances lent to a two-thread call in progress (its memory is in use across awaits). */
const lent = new Set<KendallArena>();

/** The held large instance when it is not lent, else a fresh one. */
function largeArena(mod: object): KendallArena {
  const held = heldLarge ?? cachedLarge?.deref();
  return held && !lent.has(held) ? held : instantiate(mod);
}

/** Keeps `arena` as the large instance: strongly for {@link LARGE_HOLD_MS}, then weakly. */
function holdLarge(arena: KendallArena): KendallArena {
  cachedLarge = new WeakRef(arena);
  heldLarge = arena;
  if (holdTimer) clearTimeout(holdTimer);
  holdTimer = setTimeout(() => (heldLarge = undefined), LARGE_HOLD_MS);
  holdTimer.unref?.();
  return arena;
}

/**
 * An instance for this thread's part of a two-thread count (kernels/kendall-wasm-split.ts), kept for that call
 * alone until {@link returnKendallArena}: other calls meanwhile (one-thread or two-thread) use another instance.
 * @throws Error when WebAssembly is unavailable.
 */
export function lendKendallArena(): KendallArena {
  const mod = wasmModule();
  if (!mod) throw new Error('WebAssembly is not available in this runtime');
  const arena = largeArena(mod);
  lent.add(arena);
  return arena;
}

/** Gives back an instance from {@link lendKendallArena}; it becomes the held large instance. */
export function returnKendallArena(arena: KendallArena): void {
  lent.delete(arena);
  holdLarge(arena);
}

/**
 * [Tx, Ty, Txy, D] of two vectors (see assembly/kendall.ts): pairs tied in x, tied in y, tied in both, and
 * discordant pairs — exact integer counts; or null when x or y holds a NaN (found as the kernel packs its keys).
 * @throws Error when WebAssembly is unavailable or m exceeds {@link KENDALL_WASM_MAX_LENGTH}.
 */
export function kendallCountsWasm(x: ArrayLike<number>, y: ArrayLike<number>): [number, number, number, number] | null {
  const m = x.length;
  const { ex, base } = kendallArena(m);
  const px = base;
  const py = px + 8 * m;
  const out = py + 8 * m;
  const work = out + 48;
  // The x memo (re-sorting x is skipped when it repeats) only for the cached small instance.
  const memo = m <= CACHED_MAX ? 1 : 0;
  const need = work + ex.kendallWorkBytes(m, memo);
  if (need > ex.memory.buffer.byteLength) ex.memory.grow(Math.ceil((need - ex.memory.buffer.byteLength) / WASM_PAGE));
  const buffer = ex.memory.buffer;
  new Float64Array(buffer, px, m).set(x);
  new Float64Array(buffer, py, m).set(y);
  ex.kendallCounts(px, py, m, work, out, memo);
  const r = new Float64Array(buffer, out, 5);
  return r[4] ? null : [r[0]!, r[1]!, r[2]!, r[3]!];
}
