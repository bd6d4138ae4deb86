import { parentPort, Worker, workerData as initialWorkerData, type Transferable } from 'node:worker_threads';
import { ConceptlabError, InvalidArgumentError } from '../errors.js';

/**
 * An error thrown by a worker's task handler, carried back to the pool: the task's index, the original message
 * and, when it was a conceptlab error, its `_tag` and fields (file, line, argument, …).
 */
export class WorkerTaskError extends ConceptlabError {
  readonly _tag = 'WorkerTaskError' as const;
  /** Index of the failed task in `tasks`. */
  readonly task: number;
  /** The message of the error in the worker, as thrown. */
  readonly originalMessage: string;
  /** The `_tag` of the error in the worker (e.g. "ParseError"), when it was a conceptlab error. */
  readonly originalTag: string | undefined;
  /** The error's own string/number/boolean fields (its `_tag` included). */
  readonly fields: Readonly<Record<string, unknown>>;
  constructor(task: number, message: string, fields: Record<string, unknown>) {
    super(`task ${task}: ${message}`);
    this.name = 'WorkerTaskError';
    this.task = task;
    this.originalMessage = message;
    this.originalTag = typeof fields._tag === 'string' ? fields._tag : undefined;
    this.fields = fields;
  }
}

/** Options of {@link runWorkerPool}. */
export interface WorkerPoolOptions<T> {
  /** The worker module (built JavaScript: a worker thread cannot load TypeScript); it calls {@link serveWorkerTasks}. */
  readonly url: URL | string;
  /** The tasks, handed out in order, one at a time to whichever worker is free. */
  readonly tasks: readonly T[];
  /** Workers to start (at most one per task); a positive integer. */
  readonly threads: number;
  /** `workerData` of every worker (typed arrays on a SharedArrayBuffer are shared, not copied; see {@link shareArray}). */
  readonly workerData?: unknown;
  /** Aborting terminates every worker and rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** Called with each event a handler `emit`s (e.g. a ProgressEvent) and the index of its task. */
  readonly onEvent?: (event: unknown, task: number) => void;
  /** What the workers are, for error messages ("fit: a worker exited with code 1"); default "pool". */
  readonly name?: string;
}

type ToWorker = { type: 'task'; index: number; task: unknown };
type FromWorker =
  | { type: 'event'; index: number; event: unknown }
  | { type: 'result'; index: number; result: unknown }
  | { type: 'error'; index: number; message: string; fields: Record<string, unknown> };

/**
 * Run `tasks` on a pool of `min(threads, tasks.length)` worker threads and resolve with their results in task
 * order. Each worker module calls {@link serveWorkerTasks} with the function that does one task. Workers are
 * terminated when every task is done, when one fails, or on abort.
 *
 * Rejects with {@link WorkerTaskError} when a task's handler throws (the first failure; the others are dropped),
 * with the worker's own error when a worker fails outside a task (e.g. its module cannot load), with an
 * Error "<name>: a worker exited with code N" when a worker exits before the work is done, and with
 * `signal.reason` on abort.
 *
 * @throws InvalidArgumentError (as a rejection) when `threads` is not a positive integer.
 */
export function runWorkerPool<T, R>(options: WorkerPoolOptions<T>): Promise<R[]> {
  const { url, tasks, threads, signal, onEvent } = options;
  const name = options.name ?? 'pool';
  if (!Number.isInteger(threads) || threads < 1) return Promise.reject(new InvalidArgumentError('threads', 'a positive integer', threads));
  const results = new Array<R>(tasks.length);
  if (tasks.length === 0) return Promise.resolve(results);
  const workers: Worker[] = [];
  return new Promise<R[]>((resolve, reject) => {
    let next = 0;
    let done = 0;
    let finished = false;
    const retired = new Set<Worker>();
    const stop = () => {
      finished = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
    };
    const fail = (err: unknown) => {
      if (finished) return;
      stop();
      reject(err);
    };
    const onAbort = () => fail(signal?.reason ?? new Error('aborted'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });

    const feed = (w: Worker) => {
      if (finished) return;
      if (next >= tasks.length) {
        retired.add(w);
        void w.terminate();
        return;
      }
      const index = next++;
      w.postMessage({ type: 'task', index, task: tasks[index] } satisfies ToWorker);
    };
    const count = Math.min(threads, tasks.length);
    for (let i = 0; i < count; i++) {
      const w = new Worker(url, { workerData: options.workerData });
      workers.push(w);
      w.on('message', (msg: FromWorker) => {
        if (finished) return;
        if (msg.type === 'event') onEvent?.(msg.event, msg.index);
        else if (msg.type === 'result') {
          results[msg.index] = msg.result as R;
          if (++done === tasks.length) {
            stop();
            resolve(results);
          } else feed(w);
        } else if (msg.type === 'error') fail(new WorkerTaskError(msg.index, msg.message, msg.fields));
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (!finished && !retired.has(w)) fail(new Error(`${name}: a worker exited with code ${code}`));
      });
      feed(w);
    }
  });
}

/** Options of {@link serveWorkerTasks}. */
export interface ServeWorkerTasksOptions<R> {
  /** Buffers of a result to transfer rather than copy (e.g. `[values.buffer]`). */
  readonly transfer?: (result: R) => readonly Transferable[];
}

/**
 * The worker side of {@link runWorkerPool}: call once at the top level of the worker module. Each task the pool
 * sends is passed to `handler` with an `emit` for events (delivered to the pool's `onEvent`) and this worker's
 * `workerData`; its result (or thrown error, with its `_tag` and fields) goes back to the pool. Tasks of one
 * worker run one at a time.
 *
 * @throws Error when not called in a worker thread.
 */
export function serveWorkerTasks<T, R>(
  handler: (task: T, emit: (event: unknown) => void, workerData: unknown) => R | Promise<R>,
  options: ServeWorkerTasksOptions<R> = {},
): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerTasks must run in a worker thread');
  port.on('message', (msg: ToWorker) => {
    if (msg?.type !== 'task') return;
    const { index } = msg;
    const emit = (event: unknown) => port.postMessage({ type: 'event', index, event } satisfies FromWorker);
    Promise.resolve()
      .then(() => handler(msg.task as T, emit, initialWorkerData))
      .then((result) => port.postMessage({ type: 'result', index, result } satisfies FromWorker, options.transfer ? [...options.transfer(result)] : undefined))
      .catch((err: unknown) => port.postMessage({ type: 'error', index, ...describeError(err) } satisfies FromWorker));
  });
}

function describeError(err: unknown): { message: string; fields: Record<string, unknown> } {
  const e = err as (Error & Record<string, unknown>) | undefined;
  const fields: Record<string, unknown> = {};
  if (e && typeof e === 'object') {
    for (const [k, v] of Object.entries(e)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
  }
  return { message: typeof e?.message === 'string' ? e.message : String(err), fields };
}
