/**
 * Worker-thread entry of {@link kendallTauParallel} (core/runtime's `serveWorkerTasks`): its one task sorts x
 * in two parts, hands the lower one to the main thread and counts the upper one (kernels/kendall-wasm-split.ts). Not part of the public API.
 */
import { serveWorkerTasks } from '@conceptlab/core/runtime';
import { kendallSplitWorker, type KendallSplitShared, type KendallSplitWorkerCounts } from '../kernels/kendall-wasm-split.js';

serveWorkerTasks<null, KendallSplitWorkerCounts>((_task, _emit, workerData) => kendallSplitWorker(workerData as KendallSplitShared));
