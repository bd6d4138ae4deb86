import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '@conceptlab/core';
import { createWorkerPool, WorkerTaskError, type WorkerPool } from '@conceptlab/core/runtime';
import { checkKendallInput, kendallTauDroppingNaN, tauFromCounts, type KendallVariant } from './kendall.js';
import { dropNaNPairs } from './nan-pairs.js';
import { kendallWasmFits } from '../kernels/kendall-wasm.js';
import {
  lendKendallSplitShared,
  kendallSplitMain,
  publishX,
  returnKendallSplitShared,
  type KendallSplitMain,
  type KendallSplitShared,
  type KendallSplitWorkerCounts,
} from '../kernels/kendall-wasm-split.js';

/** Options of {@link kendallTauParallel} (and `compareRdmsParallel`). */
export interface KendallParallelOptions {
  /**
   * Threads, this one included: 1 counts in this thread (as {@link kendallTau}); 2 or more use two (the count
   * has two independent halves). Default: 2 for vectors of at least {@link KENDALL_PARALLEL_MIN_LENGTH} values
   * on a machine with two or more cores, else 1.
   */
  readonly threads?: number;
  /**
   * The built worker module (default: `kendall-worker.js` beside this module in dist). Tests that run the
   * TypeScript sources pass the built file, since a worker thread cannot load TypeScript. Calls with the same
   * module share one kept worker (see {@link kendallTauParallel}).
   */
  readonly workerUrl?: URL | string;
}

/**
 * Shortest vectors that {@link kendallTauParallel} splits over two threads by default: below it, starting the
 * worker thread (about 40–100 ms on a 2-core machine, more under load) costs more than it saves (measured
 * there: 1 M values took 0.18 s on one thread and 0.25 s on two under load; 1.7 M values 0.31 s and 0.26 s).
 */
export const KENDALL_PARALLEL_MIN_LENGTH = 1_000_000;

/**
 * Milliseconds without a call after which the kept worker thread of {@link kendallTauParallel} is terminated
 * (freeing its memory, about 52 bytes per value of the last call); the next call starts a fresh one.
 */
const KENDALL_POOL_IDLE_MS = 5000;

/** One kept worker per worker module: core/runtime's createWorkerPool, created at the first call. */
const pools = new Map<string, WorkerPool>();

function kendallPool(url: URL | string): WorkerPool {
  const key = String(url);
  let pool = pools.get(key);
  if (!pool) {
    pool = createWorkerPool({ url, threads: 1, name: 'kendall', idleMs: KENDALL_POOL_IDLE_MS });
    pools.set(key, pool);
  }
  return pool;
}

/**
 * {@link kendallTau} on two threads (this one and one worker thread, kept between calls): x is split by value at a
 * pivot (equal values on one side). While this thread ranks y, the worker sorts x, the lower part first, which it
 * hands over; each thread then counts the pairs tied in both and the inversions of the y ranks in its part's x
 * order, and this thread adds the inversions between the two parts (one pass over its part's sorted y ranks). The
 * counts are the same exact integers as the one-thread kernel's, so the result is identical to
 * {@link kendallTau}'s, bit for bit, whatever the number of threads. Falls back to the one-thread count where
 * WebAssembly is unavailable or the vectors are longer than the WebAssembly kernel takes.
 *
 * The worker thread (one per worker module, from core/runtime's `createWorkerPool`) is started by the first call
 * and kept for the next ones, so only the first call pays its start-up (tens of milliseconds); it never keeps the
 * process alive, and is terminated after 5 s without a call (a later call starts a fresh one). Concurrent calls
 * share it: their worker parts run one after another (each call's result is unchanged). A failed call terminates
 * it; the next call starts another.
 *
 * Memory: a shared float64 copy of x and three shared int32 arrays of m values, plus about 52 bytes per value
 * in each thread's WebAssembly instance.
 *
 * @throws (as a rejection) ShapeError when the lengths differ; InvalidArgumentError for a NaN, an unknown
 *   variant or a bad `threads`; Error when the worker fails (its message included).
 */
export async function kendallTauParallel(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  variant: KendallVariant,
  options: KendallParallelOptions = {},
): Promise<number> {
  checkThreads(options.threads);
  checkKendallInput(x, y, variant);
  return kendallTauDroppingNaNParallel(x, y, variant, options);
}

/** @throws InvalidArgumentError unless `threads` is undefined or a positive integer. Not part of the public API. */
export function checkThreads(threads: number | undefined): void {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new InvalidArgumentError('threads', 'a positive integer', threads);
}

/**
 * {@link kendallTauParallel} of the pairs where neither x nor y is NaN (`compareRdmsParallel`'s pairwise
 * deletion; `kendallTauParallel` after its checks), with a valid variant and `threads`: the kernel finds a NaN as it counts, so NaN-free vectors are
 * not scanned first; with a NaN the pairs are dropped and counted again. Not part of the public API.
 */
export async function kendallTauDroppingNaNParallel(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  variant: KendallVariant,
  options: KendallParallelOptions = {},
): Promise<number> {
  const m = x.length;
  if (!twoThreads(m, options.threads)) return kendallTauDroppingNaN(x, y, variant);
  const counts = await kendallCountsTwoThreads(x, y, options.workerUrl);
  if (counts) return tauFromCounts(m, ...counts, variant);
  const [a, b] = dropNaNPairs(x, y); // NaN-free: counted at the second try
  return kendallTauDroppingNaNParallel(a, b, variant, options);
}

/** Whether m values are counted on two threads (else on this one, as kendallTau). */
function twoThreads(m: number, threads: number | undefined): boolean {
  const t = threads ?? (m >= KENDALL_PARALLEL_MIN_LENGTH ? Math.min(2, availableParallelism()) : 1);
  return m >= 2 && t > 1 && kendallWasmFits(m);
}

/** [Tx, Ty, Txy, D] (see kendallCountsWasm) counted on this thread and one worker (m ≥ 2); null when x or y holds a NaN. */
async function kendallCountsTwoThreads(x: ArrayLike<number>, y: ArrayLike<number>, workerUrl: URL | string | undefined): Promise<[number, number, number, number] | null> {
  const shared = lendKendallSplitShared(x.length);
  const stop = new AbortController();
  // One worker (the kept pool's, started at the first call), given its task first: it sorts x and counts the
  // upper part; this thread ranks y meanwhile, then counts the lower part.
  const running = kendallPool(workerUrl ?? new URL('./kendall-worker.js', import.meta.url))
    .run<null, KendallSplitWorkerCounts>([null], { workerData: shared satisfies KendallSplitShared, signal: stop.signal })
    .catch((err: unknown) => {
      throw err instanceof WorkerTaskError ? new Error(`kendall worker: ${err.originalMessage}`) : new Error(`kendall worker failed: ${(err as Error)?.message ?? String(err)}`);
    });
  let main: KendallSplitMain | undefined;
  let done = false;
  try {
    publishX(x, shared);
    main = kendallSplitMain(y, shared);
    await lowerPartPublished(shared, running);
    const [ntie, dis] = main.countLower();
    const [w] = await running;
    done = true;
    return main.nan || w!.nan ? null : [w!.xtie, main.ytie, ntie + w!.ntie, dis + w!.dis];
  } catch (err) {
    // Wake a worker waiting for x or the y ranks (and this thread's wait for the lower part, if it is still
    // pending), stop it, and report the first failure.
    for (const at of [0, 2, 3]) {
      Atomics.store(shared.ctl, at, -1);
      Atomics.notify(shared.ctl, at);
    }
    stop.abort(err);
    await running.catch(() => undefined);
    throw err;
  } finally {
    main?.release();
    returnKendallSplitShared(shared, done);
  }
}

/** Atomics.waitAsync (Node 16+; typed in ES2024's lib, newer than this project's ES2022). */
type WaitAsync = (array: Int32Array, index: number, value: number) => { async: false; value: string } | { async: true; value: Promise<string> };

/** Resolves once the worker has published the sorted lower part of x; rejects when the worker fails first. */
async function lowerPartPublished(shared: KendallSplitShared, running: Promise<unknown>): Promise<void> {
  const wait = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync(shared.ctl, 3, 0);
  if (wait.async) await Promise.race([wait.value, running]);
  if (Atomics.load(shared.ctl, 3) !== 1) await running; // the worker failed: its rejection
}
