/**
 * Worker-thread entry of {@link searchlightRsa} (core/runtime's `serveWorkerTasks`): holds one
 * {@link SearchlightJob} (its `workerData`, the data in shared memory) and scores the chunks of centres
 * [from, to) it is sent. Not part of the public API.
 */
import { serveWorkerTasks } from '@conceptlab/core/runtime';
import { evaluateSearchlights, type SearchlightJob } from './searchlight-kernel.js';

serveWorkerTasks<readonly [number, number], Float64Array>(
  ([from, to], _emit, workerData) => evaluateSearchlights(workerData as SearchlightJob, from, to),
  { transfer: (values) => [values.buffer as ArrayBuffer] },
);
