import { availableParallelism } from 'node:os';
import { InvalidArgumentError, type Matrix, type NumericArray } from '@conceptlab/core';
import { runWorkerPool, shareArray, WorkerTaskError } from '@conceptlab/core/runtime';
import { allPanels, finishDistances, PANEL, paddedRows, pairwiseSums, rowMeans, type KernelChoice, type PairSum, type PairwiseInput } from '../kernels/pairwise.js';
import { checkRdmInput, computeRdm, rdmPlan, type ComputeRdmOptions, type RdmMethod } from './measures.js';
import { rdmLength, type Rdm } from './rdm.js';

/** Options of {@link computeRdmParallel}. */
export interface ComputeRdmParallelOptions extends ComputeRdmOptions {
  /** Threads, this one included (default: the available cores). 1 computes in this thread only, as {@link computeRdm}. */
  readonly threads?: number;
  /**
   * The built worker module (default: `rdm-worker.js` beside this module in dist). Tests that run
   * the TypeScript sources pass the built file, since a worker thread cannot load TypeScript.
   */
  readonly workerUrl?: URL | string;
}

/**
 * The `workerData` of every rdm worker (internal; exported for the worker module): the shared input and outputs.
 * Each task of the pool is one thread's list of column panels.
 */
export interface RdmWorkerData {
  readonly input: PairwiseInput;
  readonly kind: PairSum;
  readonly kernel: KernelChoice;
  readonly vector: Float64Array;
  readonly diag: Float64Array;
}

/**
 * {@link computeRdm} on `threads` threads (this one and threads − 1 workers): the column panels of
 * the pairwise kernel are split over the threads (balanced by their number of pairs), every thread
 * reads the patterns from one shared copy and writes its pairs into one shared RDM vector. The result is bit-identical to
 * {@link computeRdm} with the same kernel, whatever the number of threads.
 *
 * Memory: one shared float64 copy of the patterns (none when `patterns.data` already lives in a
 * SharedArrayBuffer) plus, per thread, an n × n float64 block of sums and one packed chunk of
 * n × 512 channels.
 *
 * With `gram` (an injected Gram provider, e.g. a BLAS that runs its own threads) this is {@link computeRdm}
 * with that provider, in this thread; `threads` is then unused.
 *
 * @throws ShapeError / InvalidArgumentError as {@link computeRdm}; InvalidArgumentError for a bad `threads`.
 * @throws Error when a worker fails (its message included).
 */
export async function computeRdmParallel(
  patterns: Matrix<NumericArray>,
  method: RdmMethod,
  options: ComputeRdmParallelOptions = {},
): Promise<Rdm> {
  const { rows: n, cols: p, data } = checkRdmInput(patterns, method);
  const { kernel = 'auto', workerUrl } = options;
  const panelsAll = allPanels(n);
  const threads = options.threads ?? Math.min(availableParallelism(), panelsAll.length);
  if (!Number.isInteger(threads) || threads < 1) throw new InvalidArgumentError('threads', 'a positive integer', options.threads);
  if (kernel !== 'auto' && kernel !== 'wasm' && kernel !== 'js') {
    throw new InvalidArgumentError('kernel', "'auto', 'wasm' or 'js'", kernel);
  }
  const plan = rdmPlan(method, options.euclideanSums);
  // An injected Gram provider (e.g. a multithreaded BLAS) does the work itself, in this thread.
  if (options.gram !== undefined) return computeRdm(patterns, method, { kernel, euclideanSums: options.euclideanSums ?? 'differences', gram: options.gram });
  if (threads === 1 || panelsAll.length === 1) return computeRdm(patterns, method, { kernel, euclideanSums: options.euclideanSums ?? 'differences' });

  const input: PairwiseInput = { n, p, data: shareData(data), means: method === 'correlation' ? rowMeans(n, p, data) : null };
  const vector = shareArray(new Float64Array(rdmLength(n)));
  const diag = shareArray(new Float64Array(n));
  const kind: PairSum = plan.kind;
  // Greedy split, largest panel first: panel q covers rows below min((q + 1)·PANEL, nn).
  const nn = paddedRows(n);
  const load = new Float64Array(threads);
  const parts: number[][] = Array.from({ length: threads }, () => []);
  for (const q of panelsAll) {
    let t = 0;
    for (let u = 1; u < threads; u++) if (load[u]! < load[t]!) t = u;
    const j1 = Math.min((q + 1) * PANEL, nn);
    load[t]! += (j1 - q * PANEL) * j1;
    parts[t]!.push(q);
  }
  const url = workerUrl ?? new URL('./rdm-worker.js', import.meta.url);
  const shares = parts.filter((panels) => panels.length > 0);
  const workerData: RdmWorkerData = { input, kind, kernel, vector, diag };
  // threads − 1 workers (core/runtime's pool, one share each); this thread computes the first share meanwhile.
  const running = runWorkerPool<readonly number[], null>({ url, tasks: shares.slice(1), threads: Math.max(1, shares.length - 1), workerData, name: 'rdm' }).catch((err: unknown) => {
    throw err instanceof WorkerTaskError ? new Error(`rdm worker: ${err.originalMessage}`) : new Error(`rdm worker failed: ${(err as Error)?.message ?? String(err)}`);
  });
  try {
    pairwiseSums(input, kind, kernel, shares[0]!, vector, diag);
  } finally {
    await Promise.allSettled([running]);
  }
  await running;
  finishDistances(plan.finish, n, p, vector, diag);
  return { n, vector: Float64Array.from(vector) };
}

/** The patterns in shared memory (core/runtime's shareArray): float32 and float64 as they are (no copy when already shared), anything else as float64. */
function shareData(data: ArrayLike<number>): Float32Array | Float64Array {
  return shareArray(data instanceof Float32Array || data instanceof Float64Array ? data : Float64Array.from(data));
}
