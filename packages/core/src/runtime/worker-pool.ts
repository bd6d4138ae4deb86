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

/** Options of {@link createWorkerPool}. */
export interface CreateWorkerPoolOptions {
  /** The worker module (built JavaScript: a worker thread cannot load TypeScript); it calls {@link serveWorkerTasks}. */
  readonly url: URL | string;
  /** Most workers the pool keeps (a run uses at most one per task); a positive integer. */
  readonly threads: number;
  /** What the workers are, for error messages ("kendall: a worker exited with code 1"); default "pool". */
  readonly name?: string;
  /**
   * Milliseconds without a run after which the idle workers are terminated (the next run starts fresh ones),
   * so that a long-lived pool does not hold their memory; default: kept until {@link WorkerPool.close}.
   */
  readonly idleMs?: number;
}

/** Options of one {@link WorkerPool.run}. */
export interface WorkerPoolRunOptions {
  /**
   * This run's `workerData`: the third argument of the worker's handler during this run (typed arrays on a
   * SharedArrayBuffer are shared, not copied; see {@link shareArray}). Sent to each worker of the run once, as a
   * message: the `workerData` a worker module imports from `node:worker_threads` stays undefined.
   */
  readonly workerData?: unknown;
  /** Aborting rejects with `signal.reason` (a queued run never starts; a started one terminates its busy workers). */
  readonly signal?: AbortSignal;
  /** Called with each event a handler `emit`s (e.g. a ProgressEvent) and the index of its task. */
  readonly onEvent?: (event: unknown, task: number) => void;
}

/**
 * A pool of worker threads kept between runs (see {@link createWorkerPool}).
 */
export interface WorkerPool {
  /** Most workers the pool keeps. */
  readonly threads: number;
  /** Worker threads alive now (busy or idle); 0 before the first run and after {@link WorkerPool.close}. */
  readonly size: number;
  /**
   * Runs `tasks` on `min(threads, tasks.length)` of the pool's workers (idle ones reused, missing or dead ones
   * started) and resolves with their results in task order; the same protocol and errors as
   * {@link runWorkerPool}. Runs of one pool do not overlap: a run made while another is in flight is queued and
   * starts when that one settles (first in, first out).
   */
  run<T, R>(tasks: readonly T[], options?: WorkerPoolRunOptions): Promise<R[]>;
  /**
   * Terminates every worker; a run in flight or queued rejects with Error "<name>: the worker pool was closed",
   * as does every later run. Resolves when the workers have exited.
   */
  close(): Promise<void>;
}

type ToWorker = { type: 'task'; index: number; task: unknown } | { type: 'data'; workerData: unknown };
type FromWorker =
  | { type: 'event'; index: number; event: unknown }
  | { type: 'result'; index: number; result: unknown }
  | { type: 'error'; index: number; message: string; fields: Record<string, unknown> };

/**
 * Run `tasks` on a pool of `min(threads, tasks.length)` worker threads and resolve with their results in task
 * order. Each worker module calls {@link serveWorkerTasks} with the function that does one task. Workers are
 * started for the call and terminated when every task is done, when one fails, or on abort (a worker with no
 * task left is terminated at once). {@link createWorkerPool} keeps its workers between runs instead.
 *
 * Rejects with {@link WorkerTaskError} when a task's handler throws (the first failure; the others are dropped),
 * with the worker's own error when a worker fails outside a task (e.g. its module cannot load), with an
 * Error "<name>: a worker exited with code N" when a worker exits before the work is done, and with
 * `signal.reason` on abort.
 *
 * @throws InvalidArgumentError (as a rejection) when `threads` is not a positive integer.
 */
export function runWorkerPool<T, R>(options: WorkerPoolOptions<T>): Promise<R[]> {
  const { url, tasks, threads } = options;
  if (!Number.isInteger(threads) || threads < 1) return Promise.reject(new InvalidArgumentError('threads', 'a positive integer', threads));
  const core = new PoolCore(url, threads, options.name ?? 'pool', { oneShot: true, workerData: options.workerData, idleMs: undefined });
  return core.run<T, R>(tasks, { signal: options.signal, onEvent: options.onEvent });
}

/**
 * A pool of at most `threads` worker threads of the module `url`, kept between runs: a worker is started on the
 * first run that needs it and reused by the next ones (no start-up cost after the first), so repeated short
 * runs are cheaper than {@link runWorkerPool}. Idle workers are `unref()`ed: they never keep the process alive,
 * so {@link WorkerPool.close} is optional. A worker that crashed, exited or was terminated (a failed or aborted
 * run terminates its busy workers) is replaced by a fresh one on the next run. Runs of one pool are queued,
 * never concurrent. The worker module is the same as {@link runWorkerPool}'s ({@link serveWorkerTasks}); each
 * run's `workerData` reaches the handler as its third argument.
 *
 * @throws InvalidArgumentError when `threads` is not a positive integer.
 */
export function createWorkerPool(options: CreateWorkerPoolOptions): WorkerPool {
  const { url, threads } = options;
  if (!Number.isInteger(threads) || threads < 1) throw new InvalidArgumentError('threads', 'a positive integer', threads);
  const { idleMs } = options;
  if (idleMs !== undefined && !(idleMs >= 0 && idleMs <= 2 ** 31 - 1)) throw new InvalidArgumentError('idleMs', 'a number of milliseconds from 0 to 2147483647', idleMs);
  const core = new PoolCore(url, threads, options.name ?? 'pool', { oneShot: false, workerData: undefined, idleMs });
  return {
    threads,
    get size() {
      return core.size;
    },
    run: <T, R>(tasks: readonly T[], runOptions: WorkerPoolRunOptions = {}) => core.run<T, R>(tasks, runOptions),
    close: () => core.close(),
  };
}

/** A worker of a {@link PoolCore}: `run` is the run it works for (undefined when idle between runs). */
interface Slot {
  readonly worker: Worker;
  run: RunState | undefined;
  /** A task of `run` is in flight. */
  busy: boolean;
  /** Exited, crashed, or being terminated: never given work again. */
  dead: boolean;
}

interface RunState {
  message(slot: Slot, msg: FromWorker): void;
  /** The worker of `slot` failed (an 'error' event) or exited: fails the run when it still works for it. */
  lost(slot: Slot, err: unknown): void;
}

/**
 * The one implementation behind {@link runWorkerPool} (`oneShot`: workers started with the run's `workerData`
 * and terminated at its end) and {@link createWorkerPool} (workers kept, unref()ed while idle; each run's
 * `workerData` sent as a message).
 */
class PoolCore {
  private slots: Slot[] = [];
  private active = false;
  private readonly queue: Array<{ start: () => void; cancel: (err: unknown) => void }> = [];
  private closed = false;
  private readonly abortActive = new Set<(err: unknown) => void>();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly url: URL | string,
    private readonly threads: number,
    private readonly name: string,
    private readonly mode: { readonly oneShot: boolean; readonly workerData: unknown; readonly idleMs: number | undefined },
  ) {}

  get size(): number {
    return this.slots.length;
  }

  run<T, R>(tasks: readonly T[], options: WorkerPoolRunOptions): Promise<R[]> {
    const { signal } = options;
    if (this.closed) return Promise.reject(this.closedError());
    const results = new Array<R>(tasks.length);
    if (tasks.length === 0) return Promise.resolve(results);
    return new Promise<R[]>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
      const entry = { start: () => this.start(tasks, results, options, resolve, reject), cancel: reject };
      if (!this.active) {
        this.active = true;
        entry.start();
        return;
      }
      this.queue.push(entry);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.queue.indexOf(entry);
          if (at < 0) return;
          this.queue.splice(at, 1);
          reject(signal.reason ?? new Error('aborted'));
        },
        { once: true },
      );
    });
  }

  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const err = this.closedError();
    for (const entry of this.queue.splice(0)) entry.cancel(err);
    for (const abort of [...this.abortActive]) abort(err);
    const exits = this.slots.map((s) => this.kill(s));
    this.slots = [];
    return Promise.all(exits).then(() => undefined);
  }

  private closedError(): Error {
    return new Error(`${this.name}: the worker pool was closed`);
  }

  /** Marks the slot dead, drops it from the pool and terminates its worker. */
  private kill(slot: Slot): Promise<unknown> {
    this.drop(slot);
    return slot.worker.terminate().catch(() => undefined);
  }

  private drop(slot: Slot): void {
    slot.dead = true;
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
  }

  private spawn(): Slot {
    const worker = new Worker(this.url, { workerData: this.mode.workerData });
    const slot: Slot = { worker, run: undefined, busy: false, dead: false };
    worker.on('message', (msg: FromWorker) => slot.run?.message(slot, msg));
    worker.on('error', (err) => {
      const run = slot.run;
      this.drop(slot);
      run?.lost(slot, err);
    });
    worker.on('exit', (code) => {
      const run = slot.run;
      const expected = slot.dead;
      this.drop(slot);
      if (!expected) run?.lost(slot, new Error(`${this.name}: a worker exited with code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }

  /** The next queued run, if any (called when a run settles). */
  private next(): void {
    const entry = this.queue.shift();
    if (entry) return entry.start();
    this.active = false;
    const { idleMs } = this.mode;
    if (idleMs === undefined || this.closed || this.slots.length === 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.active) return;
      for (const slot of [...this.slots]) void this.kill(slot);
    }, idleMs);
    this.idleTimer.unref();
  }

  private start<T, R>(
    tasks: readonly T[],
    results: R[],
    options: WorkerPoolRunOptions,
    resolve: (results: R[]) => void,
    reject: (err: unknown) => void,
  ): void {
    const { signal, onEvent } = options;
    const { oneShot } = this.mode;
    clearTimeout(this.idleTimer);
    const mine: Slot[] = [];
    let next = 0;
    let done = 0;
    let finished = false;
    const finish = (err: unknown, ok: boolean) => {
      if (finished) return;
      finished = true;
      signal?.removeEventListener('abort', onAbort);
      this.abortActive.delete(fail);
      for (const slot of mine) {
        slot.run = undefined;
        if (slot.dead) continue;
        if (oneShot || slot.busy) void this.kill(slot);
        else {
          // Drop this run's workerData in the worker, and let the idle worker not hold the process.
          slot.worker.postMessage({ type: 'data', workerData: undefined } satisfies ToWorker);
          slot.worker.unref();
        }
        slot.busy = false;
      }
      if (ok) resolve(results);
      else reject(err);
      this.next();
    };
    const fail = (err: unknown) => finish(err, false);
    const onAbort = () => fail(signal?.reason ?? new Error('aborted'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.abortActive.add(fail);

    const feed = (slot: Slot) => {
      if (finished) return;
      if (next >= tasks.length) {
        slot.busy = false;
        // runWorkerPool's workers end as soon as no task is left for them.
        if (oneShot) void this.kill(slot);
        return;
      }
      const index = next++;
      slot.busy = true;
      slot.worker.postMessage({ type: 'task', index, task: tasks[index] } satisfies ToWorker);
    };
    const run: RunState = {
      message: (slot, msg) => {
        if (finished) return;
        if (msg.type === 'event') onEvent?.(msg.event, msg.index);
        else if (msg.type === 'result') {
          slot.busy = false;
          results[msg.index] = msg.result as R;
          if (++done === tasks.length) finish(undefined, true);
          else feed(slot);
        } else if (msg.type === 'error') {
          // The worker caught the error and is idle, fit for another run.
          slot.busy = false;
          fail(new WorkerTaskError(msg.index, msg.message, msg.fields));
        }
      },
      lost: (_slot, err) => fail(err),
    };
    try {
      const count = Math.min(this.threads, tasks.length);
      for (let i = 0; i < count && !finished; i++) {
        const slot = this.slots.find((s) => !s.dead && s.run === undefined) ?? this.spawn();
        slot.run = run;
        mine.push(slot);
        if (!oneShot) {
          slot.worker.ref();
          slot.worker.postMessage({ type: 'data', workerData: options.workerData } satisfies ToWorker);
        }
        feed(slot);
      }
    } catch (err) {
      fail(err);
    }
  }
}

/** Options of {@link serveWorkerTasks}. */
export interface ServeWorkerTasksOptions<R> {
  /** Buffers of a result to transfer rather than copy (e.g. `[values.buffer]`). */
  readonly transfer?: (result: R) => readonly Transferable[];
}

/**
 * The worker side of {@link runWorkerPool} and {@link createWorkerPool}: call once at the top level of the worker
 * module. Each task the pool sends is passed to `handler` with an `emit` for events (delivered to the pool's
 * `onEvent`) and the `workerData` (runWorkerPool's, or the current run's of a {@link WorkerPool}); its result (or thrown error, with its `_tag` and fields) goes back to the pool. Tasks of one
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
  // The constructor's workerData (runWorkerPool), or the current run's (createWorkerPool sends it as a message).
  let data: unknown = initialWorkerData;
  port.on('message', (msg: ToWorker) => {
    if (msg?.type === 'data') data = msg.workerData;
    if (msg?.type !== 'task') return;
    const { index } = msg;
    const runData = data;
    const emit = (event: unknown) => port.postMessage({ type: 'event', index, event } satisfies FromWorker);
    Promise.resolve()
      .then(() => handler(msg.task as T, emit, runData))
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
