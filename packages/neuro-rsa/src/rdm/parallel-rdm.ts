import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InvalidArgumentError, type Matrix, type NumericArray } from '@conceptlab/core';
import { allPanels, finishDistances, PANEL, paddedRows, pairwiseSums, rowMeans, type KernelChoice, type PairSum, type PairwiseInput } from '../kernels/pairwise.js';
import { checkRdmInput, computeRdm, type ComputeRdmOptions, type RdmMethod } from './measures.js';
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

/** What one worker computes (internal; exported for the worker module). */
export interface RdmWorkerJob {
  readonly input: PairwiseInput;
  readonly kind: PairSum;
  readonly kernel: KernelChoice;
  readonly panels: readonly number[];
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
  if (threads === 1 || panelsAll.length === 1) return computeRdm(patterns, method, { kernel });

  const input: PairwiseInput = { n, p, data: shareData(data), means: method === 'correlation' ? rowMeans(n, p, data) : null };
  const vector = new Float64Array(new SharedArrayBuffer(8 * rdmLength(n)));
  const diag = new Float64Array(new SharedArrayBuffer(8 * n));
  const kind: PairSum = method === 'euclidean' ? 'sqdist' : 'dot';
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
  const jobs = parts.filter((panels) => panels.length > 0).map((panels): RdmWorkerJob => ({ input, kind, kernel, panels, vector, diag }));
  // threads − 1 workers; this thread computes the first share meanwhile.
  const running = jobs.slice(1).map((job) => runWorker(url, job));
  try {
    pairwiseSums(input, kind, kernel, jobs[0]!.panels, vector, diag);
  } finally {
    await Promise.allSettled(running);
  }
  await Promise.all(running);
  finishDistances(method, n, p, vector, diag);
  return { n, vector: Float64Array.from(vector) };
}

function runWorker(url: URL | string, job: RdmWorkerJob): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const w = new Worker(url, { workerData: job });
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      void w.terminate();
      if (err) reject(err);
      else resolve();
    };
    w.on('message', (msg: { type: string; message?: string }) => settle(msg.type === 'done' ? undefined : new Error(`rdm worker: ${msg.message}`)));
    w.on('error', (err) => settle(new Error(`rdm worker failed: ${err?.message ?? String(err)}`)));
    w.on('exit', (code) => settle(new Error(`an rdm worker exited with code ${code} before finishing`)));
  });
}

/** The patterns in shared memory: as they are when already shared, else one copy (float32 stays float32). */
function shareData(data: ArrayLike<number>): Float32Array | Float64Array {
  if ((data instanceof Float64Array || data instanceof Float32Array) && data.buffer instanceof SharedArrayBuffer) return data;
  const out = data instanceof Float32Array ? new Float32Array(new SharedArrayBuffer(4 * data.length)) : new Float64Array(new SharedArrayBuffer(8 * data.length));
  for (let k = 0; k < data.length; k++) out[k] = data[k]!;
  return out;
}
