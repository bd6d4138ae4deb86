import { WASM_PAGE } from '@conceptlab/core/runtime';
import { lendKendallArena, returnKendallArena, type KendallArena } from './kendall-wasm.js';

/**
 * The Kendall counts of assembly/kendall.ts split over two threads, each with its own WebAssembly instance
 * (the kernel's phases: kendallRank, kendallSegment, kendallCross). This thread ("main") ranks y; the other
 * ("worker", src/inference/kendall-worker.ts) ranks x, cuts the sorted x between two runs of equal values at
 * h, and publishes the first h sorted indices and ranks; each then counts the pairs tied in both and the
 * inversions inside its segment of the (x, y)-ordered y ranks (main [0, h), worker [h, m)); main adds the
 * inversions between the two sorted segments. The sums are the exact integers of the one-thread
 * `kendallCounts`. Not part of the public API.
 */

/** The arrays both threads see (SharedArrayBuffer views), created by {@link createKendallSplitShared}. */
export interface KendallSplitShared {
  /** x, for the worker to rank. */
  readonly x: Float64Array;
  /** The dense y rank of each index (main → worker). */
  readonly ry: Int32Array;
  /** The first h sorted x indices and their ranks (worker → main). */
  readonly xi: Int32Array;
  readonly xr: Int32Array;
  /** The worker's sorted segment of y ranks, at [h, m) (worker → main). */
  readonly seq: Int32Array;
  /** [0]: 1 when ry and the rank bits are published, −1 when main gave up; [1]: bits of the y ranks. */
  readonly ctl: Int32Array;
}

/** What the worker reports when its x is ranked (the pool event), and its counts at the end (the task result). */
export interface KendallSplitXReady {
  readonly h: number;
  readonly xtie: number;
}
export interface KendallSplitWorkerCounts {
  readonly ntie: number;
  readonly dis: number;
}

const shared32 = (m: number) => new Int32Array(new SharedArrayBuffer(4 * m));

/** The shared arrays of one two-thread count of x against y (x copied once into shared memory). */
export function createKendallSplitShared(x: ArrayLike<number>): KendallSplitShared {
  const m = x.length;
  const xs = new Float64Array(new SharedArrayBuffer(8 * m));
  xs.set(x);
  return { x: xs, ry: shared32(m), xi: shared32(m), xr: shared32(m), seq: shared32(m), ctl: shared32(2) };
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

function layout({ ex, base }: KendallArena, m: number): Layout {
  const out = base; // 16-byte aligned, as the float64 input
  const input = out + 16;
  const work = input + 8 * m;
  const idx = (work + ex.kendallRankWorkBytes(m) + 15) & ~15;
  const sr = idx + 4 * m;
  const ry = sr + 4 * m;
  // The segment and its scratch reuse the rank sort's work area (free once ranked; less fresh memory to touch),
  // with room for the cross count's two sentinels.
  const seq = work;
  const tmp = seq + 4 * (m + 2);
  const need = ry + 4 * m;
  const have = ex.memory.buffer.byteLength;
  if (need > have) ex.memory.grow(Math.ceil((need - have) / WASM_PAGE));
  return { input, work, idx, sr, ry, seq, tmp, out };
}

/** Bits of a y rank (as the one-thread kernel: at least 1, enough for `distinct` ranks). */
function rankBits(distinct: number): number {
  let bits = 1;
  while (bits < 31 && 1 << bits < distinct) bits++;
  return bits;
}

/** This thread's part: after {@link kendallSplitMain} ranks y, {@link segment} once x is ranked, then {@link cross}. */
export interface KendallSplitMain {
  /** Pairs tied in y. */
  readonly ytie: number;
  /** Pairs tied in both and inversions inside the segment [0, h) (the worker's xi and xr published). */
  segment(h: number): [ntie: number, dis: number];
  /** Inversions between the sorted segments [0, h) and [h, m) (the worker's seq published). */
  cross(h: number): number;
  /** Gives the instance back (after the call, whatever happened). */
  release(): void;
}

/** Main's phase 1: ranks y (m ≥ 2) in a lent instance, publishes its ranks and bits, and wakes the worker. */
export function kendallSplitMain(y: ArrayLike<number>, shared: KendallSplitShared): KendallSplitMain {
  const m = y.length;
  const arena = lendKendallArena();
  try {
    const { ex } = arena;
    const at = layout(arena, m);
    new Float64Array(ex.memory.buffer, at.input, m).set(y);
    ex.kendallRank(at.input, m, at.work, at.idx, at.sr, at.ry, at.out);
    const [ytie, distinct] = new Float64Array(ex.memory.buffer, at.out, 2);
    const bits = rankBits(distinct!);
    shared.ry.set(new Int32Array(ex.memory.buffer, at.ry, m));
    Atomics.store(shared.ctl, 1, bits);
    Atomics.store(shared.ctl, 0, 1);
    Atomics.notify(shared.ctl, 0);
    return {
      ytie: ytie!,
      segment(h) {
        const buffer = ex.memory.buffer;
        new Int32Array(buffer, at.idx, h).set(shared.xi.subarray(0, h));
        new Int32Array(buffer, at.sr, h).set(shared.xr.subarray(0, h));
        ex.kendallSegment(at.idx, at.sr, at.ry, h, bits, at.seq, at.tmp, at.out);
        const [ntie, dis] = new Float64Array(buffer, at.out, 2);
        return [ntie!, dis!];
      },
      cross(h) {
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
 * Where the worker cuts the sorted x (ranks `sr`, ascending): the boundary between two runs of equal x nearest
 * to `target` (0 or m when x is constant).
 */
export function cutBetweenRuns(sr: Int32Array, target: number): number {
  const m = sr.length;
  let up = Math.max(1, Math.min(target, m));
  while (up < m && sr[up] === sr[up - 1]) up++;
  let down = Math.max(1, Math.min(target, m - 1));
  while (down > 0 && sr[down] === sr[down - 1]) down--;
  return target - down <= up - target ? down : up;
}

/** Share of the sorted x in main's segment: main also counts the cross inversions. */
const MAIN_SHARE = 0.5;

/**
 * The worker's part: ranks x (m ≥ 2), cuts it at h and publishes the first h sorted indices and ranks
 * (`onXRanked`), waits for main's y ranks, then counts its segment [h, m) and publishes it sorted.
 * @throws Error when main gave up before publishing the y ranks.
 */
export function kendallSplitWorker(shared: KendallSplitShared, onXRanked: (ready: KendallSplitXReady) => void): KendallSplitWorkerCounts {
  const m = shared.x.length;
  const arena = lendKendallArena();
  try {
    const { ex } = arena;
    const at = layout(arena, m);
    let buffer = ex.memory.buffer;
    new Float64Array(buffer, at.input, m).set(shared.x);
    ex.kendallRank(at.input, m, at.work, at.idx, at.sr, 0, at.out);
    const xtie = new Float64Array(buffer, at.out, 1)[0]!;
    const sr = new Int32Array(buffer, at.sr, m);
    const h = cutBetweenRuns(sr, Math.round(m * MAIN_SHARE));
    shared.xi.set(new Int32Array(buffer, at.idx, h));
    shared.xr.set(sr.subarray(0, h));
    onXRanked({ h, xtie });
    Atomics.wait(shared.ctl, 0, 0);
    if (Atomics.load(shared.ctl, 0) !== 1) throw new Error('the main thread stopped before ranking y');
    const bits = Atomics.load(shared.ctl, 1);
    buffer = ex.memory.buffer;
    new Int32Array(buffer, at.ry, m).set(shared.ry);
    ex.kendallSegment(at.idx + 4 * h, at.sr + 4 * h, at.ry, m - h, bits, at.seq, at.tmp, at.out);
    const [ntie, dis] = new Float64Array(buffer, at.out, 2);
    shared.seq.set(new Int32Array(buffer, at.seq, m - h), h);
    return { ntie: ntie!, dis: dis! };
  } finally {
    returnKendallArena(arena);
  }
}
