import { WASM_PAGE } from '@conceptlab/core/runtime';
import { lendKendallArena, returnKendallArena, type KendallArena } from './kendall-wasm.js';

/**
 * The Kendall counts of assembly/kendall.ts split over two threads, each with its own WebAssembly instance
 * (the kernel's phases kendallRank, kendallRankPart, kendallSegment, kendallCrossRanks). x is split by value at a
 * pivot (equal values on one side). While this thread ("main") ranks y, the other ("worker",
 * src/inference/kendall-worker.ts) sorts x: the part below the pivot first, which it hands to main, then the part
 * from the pivot up, which it keeps. Once main's y ranks are published, each thread counts its part of the
 * sorted x (main the h values below the pivot, the worker the rest): the y ranks in that order, the pairs tied in
 * both and the inversions inside the part. Main adds the inversions between the parts from its part's sorted y
 * ranks and the first sorted position of each y rank (a lower value with y rank r is inverted with each value of
 * a lower y rank that is not in its own part). The sums are the exact integers of the one-thread `kendallCounts`.
 * Not part of the public API.
 */

/** The arrays both threads see (SharedArrayBuffer views), created by {@link lendKendallSplitShared}. */
export interface KendallSplitShared {
  /** x, for the worker to sort. */
  readonly x: Float64Array;
  /** [0]: the pivot. */
  readonly pivot: Float64Array;
  /** The dense y rank of each index (main → worker). */
  readonly ry: Int32Array;
  /** [0, h): the indices of the x values below the pivot, in sorted order (worker → main). */
  readonly lowerIdx: Int32Array;
  /** [0, h): a label of each of those sorted positions, equal for equal x (worker → main). */
  readonly lowerLabels: Int32Array;
  /**
   * [0]: 1 when ry and the rank bits are published; [1]: bits of the y ranks; [2]: 1 when x and the pivot are
   * written ([0], [2] and [3] −1 when main gave up); [3]: 1 when the lower part is published; [4]: h.
   */
  readonly ctl: Int32Array;
}

/** The worker's counts (its task's result). */
export interface KendallSplitWorkerCounts {
  /** Whether x holds a NaN (the counts are then meaningless). */
  readonly nan: boolean;
  /** Pairs tied in x, among all of x. */
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
  return { x: new Float64Array(new SharedArrayBuffer(8 * m)), pivot: new Float64Array(new SharedArrayBuffer(8)), ry: shared32(m), lowerIdx: shared32(m), lowerLabels: shared32(m), ctl: shared32(5) };
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

/**
 * Share of x (by value) whose pairs main counts: main also counts the inversions between the parts (one pass
 * over its part), the worker copies the y ranks in first.
 */
const MAIN_SHARE = 0.5;

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
  /** The number of values below each y rank (main only). */
  readonly first: number;
  /** The part's y ranks, and their scratch: in the sort's work area (free once sorted). */
  readonly seq: number;
  readonly tmp: number;
  readonly out: number;
}

function layout({ ex, base }: KendallArena, m: number, main: boolean): Layout {
  const out = base; // 16-byte aligned, as the float64 input
  const input = out + 32;
  const work = input + 8 * m;
  const idx = (work + ex.kendallRankWorkBytes(m) + 15) & ~15;
  const sr = idx + 4 * m;
  const ry = sr + 4 * m;
  const first = ry + 4 * m;
  const seq = work;
  const tmp = seq + 4 * m;
  const need = main ? first + 4 * m : first;
  const have = ex.memory.buffer.byteLength;
  if (need > have) ex.memory.grow(Math.ceil((need - have) / WASM_PAGE));
  return { input, work, idx, sr, ry, first, seq, tmp, out };
}

/** Main's part: its counts so far, and the rest of its work once the worker has published the lower part. */
export interface KendallSplitMain {
  /** Pairs tied in y. */
  readonly ytie: number;
  /** Whether y holds a NaN (the counts are then meaningless). */
  readonly nan: boolean;
  /** [pairs tied in both inside the lower part, inversions inside it and between it and the rest]. */
  countLower(): [number, number];
  /** Gives its instance back (after the call, whatever happened). */
  release(): void;
}

/** Main's first step (m ≥ 2; x already published): ranks y, publishes its ranks and wakes the worker. */
export function kendallSplitMain(y: ArrayLike<number>, shared: KendallSplitShared): KendallSplitMain {
  const m = y.length;
  const arena = lendKendallArena();
  try {
    const { ex } = arena;
    const at = layout(arena, m, true);
    new Float64Array(ex.memory.buffer, at.input, m).set(y);
    ex.kendallRank(at.input, m, at.work, at.idx, at.sr, at.ry, at.first, at.out);
    const [ytie, bits, nan] = new Float64Array(ex.memory.buffer, at.out, 3) as unknown as [number, number, number];
    shared.ry.set(new Int32Array(ex.memory.buffer, at.ry, m));
    Atomics.store(shared.ctl, 1, bits);
    Atomics.store(shared.ctl, 0, 1);
    Atomics.notify(shared.ctl, 0);
    return {
      ytie,
      nan: nan !== 0,
      countLower() {
        const h = Atomics.load(shared.ctl, 4);
        if (h === 0) return [0, 0];
        new Int32Array(ex.memory.buffer, at.idx, h).set(shared.lowerIdx.subarray(0, h));
        new Int32Array(ex.memory.buffer, at.sr, h).set(shared.lowerLabels.subarray(0, h));
        ex.kendallSegment(at.idx, at.sr, at.ry, h, bits, at.seq, at.tmp, at.out);
        const [ntie, dis] = new Float64Array(ex.memory.buffer, at.out, 2) as unknown as [number, number];
        return [ntie, dis + ex.kendallCrossRanks(at.seq, h, at.first)];
      },
      release: () => returnKendallArena(arena),
    };
  } catch (err) {
    returnKendallArena(arena);
    throw err;
  }
}

/**
 * The worker's part: waits for x; sorts the x values below the pivot and publishes them (their indices in sorted
 * order and labels at [0, h) of `shared.lowerIdx` and `shared.lowerLabels`); sorts the x values from the pivot
 * up; waits for main's y ranks and counts its part.
 * @throws Error when main gave up before publishing x or the y ranks.
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
    const pivot = shared.pivot[0]!;
    ex.kendallRankPart(at.input, m, pivot, 0, at.work, at.idx, at.sr, at.out);
    const [xtieLower, h, nan] = new Float64Array(ex.memory.buffer, at.out, 3) as unknown as [number, number, number];
    shared.lowerIdx.set(new Int32Array(ex.memory.buffer, at.idx, h));
    shared.lowerLabels.set(new Int32Array(ex.memory.buffer, at.sr, h));
    Atomics.store(shared.ctl, 4, h);
    Atomics.store(shared.ctl, 3, 1);
    Atomics.notify(shared.ctl, 3);
    ex.kendallRankPart(at.input, m, pivot, 1, at.work, at.idx, at.sr, at.out);
    const [xtieUpper, count] = new Float64Array(ex.memory.buffer, at.out, 2) as unknown as [number, number];
    if (count === 0) return { nan: nan !== 0, xtie: xtieLower, ntie: 0, dis: 0 };
    Atomics.wait(shared.ctl, 0, 0);
    if (Atomics.load(shared.ctl, 0) !== 1) throw new Error('the main thread stopped before ranking y');
    new Int32Array(ex.memory.buffer, at.ry, m).set(shared.ry);
    ex.kendallSegment(at.idx, at.sr, at.ry, count, Atomics.load(shared.ctl, 1), at.seq, at.tmp, at.out);
    const [ntie, dis] = new Float64Array(ex.memory.buffer, at.out, 2) as unknown as [number, number];
    return { nan: nan !== 0, xtie: xtieLower + xtieUpper, ntie, dis };
  } finally {
    returnKendallArena(arena);
  }
}
