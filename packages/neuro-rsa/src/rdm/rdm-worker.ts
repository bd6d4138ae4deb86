/**
 * Worker-thread entry of {@link computeRdmParallel} (core/runtime's `serveWorkerTasks`): each task is a list of
 * column panels; the worker adds their raw pairwise sums into the shared outputs of its `workerData`.
 * Not part of the public API.
 */
import { serveWorkerTasks } from '@conceptlab/core/runtime';
import { pairwiseSums } from '../kernels/pairwise.js';
import type { RdmWorkerData } from './parallel-rdm.js';

serveWorkerTasks<readonly number[], null>((panels, _emit, workerData) => {
  const job = workerData as RdmWorkerData;
  pairwiseSums(job.input, job.kind, job.kernel, panels, job.vector, job.diag);
  return null;
});
