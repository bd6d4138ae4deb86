import { WASM_PAGE } from '@conceptlab/core/runtime';
import { lendKendallArena, returnKendallArena, type KendallArena } from './kendall-wasm.js';

/**
 * The Kendall counts of assembly/kendall.ts split over two threads, each with its own WebAssembly instance
 * (the kernel's phases kendallRank, kendallRankPart(Fused), kendallSegment, kendallCross). x is split by value at
 * a pivot (equal values on one side): this thread ("main") ranks y, then sorts the x values below the pivot; the
 * other ("worker", src/inference/kendall-worker.ts) sorts the x values from the pivot up. Each then takes its
 * part of the sorted x (main the first h positions, the worker the rest): the y ranks in that order, the pairs
 * tied in both and the inversions inside the part (main as it sorts, since it has the y ranks by then); main
 * adds the inversions between the two sorted parts. The
 * sums are the exact integers of the one-thread `kendallCounts`. Not part of the public API.
 */

/** The arrays both threads see (SharedArrayBuffer views), created by {@link createKendallSplitShared}. */
export interface KendallSplitShared {
  /** x, for the worker to sort its part of. */
  readonly x: Float64Array;
  /** [0]: the pivot. */
  readonly pivot: Float64Array;
  /** The dense y rank of each index (main → worker). */
  readonly ry: Int32Array;
  /** The worker's sorted part of the y ranks, at [h, m) (worker → main). */
  readonly seq: Int32Array;
  /** [0]: 1 when ry and the rank bits are published; [1]: bits of the y ranks; [2]: 1 when x and the pivot are written ([0] and [2] −1 when main gave up). */
  readonly ctl: Int32Array;
}

/** The worker's counts (its task's result). */
export interface KendallSplitWorkerCounts {
  /** Pairs tied in x among its values. */
  readonly xtie: number;
  /** Pairs tied in both, and inversions, inside its part. */
  readonly ntie: number;
  readonly dis: number;
}

const shared32 = (m: number) => new Int32Array(new SharedArrayBuffer(4 * m));

/**
 * The last call's shared arrays, kept for {@link SHARED_HOLD_MS} (a run of calls on vectors of one length, e.g.
 * one model against many RDMs, reuses them instead of faulting in fresh memory each time), unless lent.
 */
let heldShared: KendallSplitShared | undefined;
let sharedLent = false;
let sharedTimer: ReturnType<typeof setTimeout> | undefined;
const SHARED_HOLD_MS = 2000;

/** Shared arrays for one two-thread count of m values ({@link publishX} fills in x), until {@link returnKendallSplitShared}. */
export function lendKendallSplitShared(m: number): KendallSplitShared {
  if (heldShared && !sharedLent && heldShared.x.length === m) {
    sharedLent = true;
    heldShared.ctl.fill(0);
    return heldShared;
  }
  return { x: new Float64Array(new SharedArrayBuffer(8 * m)), pivot: new Float64Array(new SharedArrayBuffer(8)), ry: shared32(m), seq: shared32(m), ctl: shared32(3) };
}

/**
 * Gives back arrays from {@link lendKendallSplitShared}: held for the next call when `reuse` (the worker is done
 * with them), else dropped (after a failure a stopped worker may still write into them).
 */
export function returnKendallSplitShared(shared: KendallSplitShared, reuse: boolean): void {
  if (!reuse) {
    if (shared === heldShared) {
      heldShared = undefined;
      sharedLent = false;
    }
    return;
  }
  if (shared === heldShared) sharedLent = false;
  else if (!sharedLent) heldShared = shared;
  else return;
  if (sharedTimer) clearTimeout(sharedTimer);
  sharedTimer = setTimeout(() => {
    if (!sharedLent) heldShared = undefined;
  }, SHARED_HOLD_MS);
  sharedTimer.unref?.();
}

/** Share of x (by value) that main sorts and counts: main ranks y first, and the worker starts later. */
const MAIN_SHARE = 0.4;

/**
 * Copies x into shared memory with the pivot (main's share of a strided sample of x lies below it) and tells
 * the worker. The split is exact whatever the pivot; the sample only balances the work.
 */
export function publishX(x: ArrayLike<number>, shared: KendallSplitShared): void {
  const m = x.length;
  shared.x.set(x);
  const step = Math.max(1, Math.floor(m / 2048));
  const sample = new Float64Array(Math.ceil(m / step));
  for (let k = 0, j = 0; k < m; k += step) sample[j++] = x[k]!;
  sample.sort();
  shared.pivot[0] = sample[Math.floor(sample.length * MAIN_SHARE)]!;
  Atomics.store(shared.ctl, 2, 1);
  Atomics.notify(shared.ctl, 2);
}

/** Byte offsets of one thread's part for m values, in an instance grown to hold them. */
interface Layout {
  readonly input: number;
  readonly work: number;
  readonly idx: number;
  readonly sr: number;
  readonly ry: number;
  readonly seq: number;
  readonly tmp: number;
  readonly out: number;
}

function layout({ ex, base }: KendallArena, m: number, fused: boolean): Layout {
  const out = base; // 16-byte aligned, as the float64 input
  const input = out + 32;
  const work = input + 8 * m;
  const idx = (work + ex.kendallRankWorkBytes(m) + 15) & ~15;
  const sr = idx + 4 * m;
  const ry = sr + 4 * m;
  // The part's y ranks (with room for the cross count's two sentinels) and their scratch: after ry for the fused
  // sort, which writes them as it sorts; else in the sort's work area, free once sorted (less fresh memory to touch).
  const seq = fused ? ry + 4 * m : work;
  const tmp = seq + 4 * (m + 2);
  const need = fused ? tmp + 4 * m : ry + 4 * m;
  const have = ex.memory.buffer.byteLength;
  if (need > have) ex.memory.grow(Math.ceil((need - have) / WASM_PAGE));
  return { input, work, idx, sr, ry, seq, tmp, out };
}

/** Main's counts and what remains of its part. */
export interface KendallSplitMain {
  /** [Ty, Tx of its x values, h (their number), Txy and inversions inside its part]. */
  readonly counts: [number, number, number, number, number];
  /** The inversions between its part and the worker's (once the worker has published its part). */
  cross(): number;
  /** Gives its instance back (after the call, whatever happened). */
  release(): void;
}

/**
 * Main's part (m ≥ 2; x already published): ranks y, publishes its ranks and wakes the worker, then sorts and
 * counts the x values below the pivot.
 */
export function kendallSplitMain(x: ArrayLike<number>, y: ArrayLike<number>, shared: KendallSplitShared): KendallSplitMain {
  const m = y.length;
  const arena = lendKendallArena();
  try {
    const { ex } = arena;
    const at = layout(arena, m, true);
    new Float64Array(ex.memory.buffer, at.input, m).set(y);
    ex.kendallRank(at.input, m, at.work, at.idx, at.sr, at.ry, at.out);
    const [ytie, bits] = new Float64Array(ex.memory.buffer, at.out, 2) as unknown as [number, number];
    shared.ry.set(new Int32Array(ex.memory.buffer, at.ry, m));
    Atomics.store(shared.ctl, 1, bits);
    Atomics.store(shared.ctl, 0, 1);
    Atomics.notify(shared.ctl, 0);
    new Float64Array(ex.memory.buffer, at.input, m).set(x);
    ex.kendallRankPartFused(at.input, m, shared.pivot[0]!, 0, at.work, at.idx, at.sr, at.ry, bits, at.seq, at.tmp, at.out);
    const [xtie, h, ntie, dis] = new Float64Array(ex.memory.buffer, at.out, 4) as unknown as [number, number, number, number];
    return {
      counts: [ytie, xtie, h, ntie, dis],
      cross() {
        if (h === 0 || h === m) return 0;
        // [0, h) at seq, its sentinel, then [h, m) and its sentinel.
        const b = at.seq + 4 * (h + 1);
        new Int32Array(ex.memory.buffer, b, m - h).set(shared.seq.subarray(h, m));
        return ex.kendallCross(at.seq, h, b, m - h);
      },
      release: () => returnKendallArena(arena),
    };
  } catch (err) {
    returnKendallArena(arena);
    throw err;
  }
}

/**
 * The worker's part: waits for x, sorts the x values from the pivot up, waits for main's y ranks, counts its
 * part and publishes it sorted at [h, m) of `shared.seq`.
 * @throws Error when main gave up before publishing the y ranks.
 */
export function kendallSplitWorker(shared: KendallSplitShared): KendallSplitWorkerCounts {
  const m = shared.x.length;
  Atomics.wait(shared.ctl, 2, 0);
  if (Atomics.load(shared.ctl, 2) !== 1) throw new Error('the main thread stopped before sharing x');
  const arena = lendKendallArena();
  try {
    const { ex } = arena;
    const at = layout(arena, m, false);
    new Float64Array(ex.memory.buffer, at.input, m).set(shared.x);
    ex.kendallRankPart(at.input, m, shared.pivot[0]!, 1, at.work, at.idx, at.sr, at.out);
    const [xtie, count] = new Float64Array(ex.memory.buffer, at.out, 2) as unknown as [number, number];
    Atomics.wait(shared.ctl, 0, 0);
    if (Atomics.load(shared.ctl, 0) !== 1) throw new Error('the main thread stopped before ranking y');
    new Int32Array(ex.memory.buffer, at.ry, m).set(shared.ry);
    ex.kendallSegment(at.idx, at.sr, at.ry, count, Atomics.load(shared.ctl, 1), at.seq, at.tmp, at.out);
    const [ntie, dis] = new Float64Array(ex.memory.buffer, at.out, 2) as unknown as [number, number];
    shared.seq.set(new Int32Array(ex.memory.buffer, at.seq, count), m - count);
    return { xtie, ntie, dis };
  } finally {
    returnKendallArena(arena);
  }
}
