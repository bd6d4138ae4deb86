/**
 * Worker-thread entry of {@link computeRdmParallel}: computes the raw pairwise sums of the column
 * panels in its `workerData` (patterns and outputs in shared memory), then posts `{ type: 'done' }`
 * or `{ type: 'error', message }`. Not part of the public API.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pairwiseSums } from '../kernels/pairwise.js';
import type { RdmWorkerJob } from './parallel-rdm.js';

if (!parentPort) throw new Error('rdm-worker.js must run in a worker thread');
const job = workerData as RdmWorkerJob;
try {
  pairwiseSums(job.input, job.kind, job.kernel, job.panels, job.vector, job.diag);
  parentPort.postMessage({ type: 'done' });
} catch (err) {
  parentPort.postMessage({ type: 'error', message: (err as Error)?.message ?? String(err) });
}
