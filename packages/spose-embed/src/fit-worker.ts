/**
 * Worker-thread entry of {@link fitSeeds}: fits the seed jobs it is sent, one at a time, posting progress events
 * and results back (core's worker pool protocol). Not part of the public API.
 */
import type { ProgressEvent } from '@conceptlab/core';
import { serveWorkerTasks } from '@conceptlab/core/runtime';
import { runSeed, type SeedJob } from './run-seed.js';

serveWorkerTasks<SeedJob, unknown>((job, emit) => runSeed(job, (event: ProgressEvent) => emit(event)));
