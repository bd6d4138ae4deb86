/// <reference types="node" preserve="true" />
/**
 * `@conceptlab/core/runtime` — the shared runtime helpers of the Node packages and apps (Node ≥ 20 only: worker
 * threads, Buffer). One implementation each:
 *
 * - `runWorkerPool({ url, tasks, threads, workerData?, signal?, onEvent?, name? })` → `Promise<R[]>`: runs the
 *   tasks on min(threads, tasks) worker threads, one task at a time per worker, results in task order. The
 *   worker module calls `serveWorkerTasks((task, emit, workerData) => result, { transfer? })`. A task that throws
 *   rejects the pool with `WorkerTaskError` (`task` index, `originalMessage`, `originalTag`, `fields`); a worker
 *   that crashes or exits early rejects with an Error; abort rejects with `signal.reason`. Every worker is
 *   terminated at the end. Callers keep their own one-thread path (threads = 1 → run in this thread).
 *   A caller that also computes on this thread starts the pool, computes, then awaits it.
 * - `createWorkerPool({ url, threads, name?, idleMs? })` → a `WorkerPool` kept between runs: `run(tasks, { workerData?,
 *   signal?, onEvent? })` (same worker module, protocol and errors as `runWorkerPool`; the run's `workerData`
 *   reaches the handler's third argument), `close()`, `threads`, `size`. Workers start on the first run that
 *   needs them and are reused; idle ones are `unref()`ed (they never keep the process alive); a crashed or
 *   terminated one (a failed or aborted run terminates its busy workers) is replaced on the next run. Runs of one
 *   pool are queued (first in, first out), never concurrent. `idleMs`: idle workers are terminated after that long
 *   without a run (default: kept until `close()`).
 * - `shareArray(typedArray)`: the array on a SharedArrayBuffer (itself when already shared, else one copy of the
 *   same type), to give workers one copy of large inputs or one output they all write.
 * - `lazyWasmModule(base64)` → a getter of the compiled WebAssembly module (compiled once, null where WebAssembly
 *   or SIMD is unavailable); `instantiateWasm<E>(module, imports?)` → the exports of a fresh instance;
 *   `WASM_PAGE` (65,536) and the `WasmMemory` type (`buffer`, `grow(pages)`).
 * - `formatProgress(event)`: one human line for a `ProgressEvent` — counts, total and percent, rate, ETA or
 *   elapsed, details (`task: 1,200/4,700 triplets (25.5%) 3,400/s ETA 1s`); `formatDuration(ms)` (`3m05s`).
 */
export {
  runWorkerPool,
  createWorkerPool,
  serveWorkerTasks,
  WorkerTaskError,
  type WorkerPoolOptions,
  type CreateWorkerPoolOptions,
  type WorkerPool,
  type WorkerPoolRunOptions,
  type ServeWorkerTasksOptions,
} from './worker-pool.js';
export { shareArray, type ShareableArray } from './shared-memory.js';
export { lazyWasmModule, instantiateWasm, WASM_PAGE, type WasmMemory } from './wasm.js';
export { formatProgress, formatDuration } from './progress-format.js';
