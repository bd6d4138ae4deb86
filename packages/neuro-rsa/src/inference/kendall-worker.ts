/**
 * Worker-thread entry of {@link kendallTauParallel} (core/runtime's `serveWorkerTasks`): its one task ranks x,
 * reports the cut (an event), then counts the second segment (kernels/kendall-wasm-split.ts). Not part of the
 * public API.
 */
import { serveWorkerTasks } from '@conceptlab/core/runtime';
import { kendallSplitWorker, type KendallSplitShared, type KendallSplitWorkerCounts } from '../kernels/kendall-wasm-split.js';


serveWorkerTasks<null, KendallSplitWorkerCounts>((_task, emit, workerData) => kendallSplitWorker(workerData as KendallSplitShared, emit));
