/**
 * `startServerThread`: the same server as {@link startServer}, run on a worker thread of this process, so a
 * client in this process (e.g. `conceptlab demo`'s annotation) and the server each have a core: the observer
 * is built in the thread from its `conceptlab serve --observer` spec (an Observer holds functions, which
 * cannot cross threads). Its answers are the server's own, request for request (the answer's rng is seeded by
 * the request body and the server's seed, never by arrival order).
 */
import { Worker } from 'node:worker_threads';
import { FileError, InvalidArgumentError, ParseError, ShapeError } from '@conceptlab/core';
import type { ObserverSpecOptions } from './observer-spec.js';
import { STAT_CELLS, statsOfCells, type RunningServer, type ServeOptions } from './server.js';

export interface ServerThreadOptions extends Omit<ServeOptions, 'observer'> {
  /** Who answers, as `conceptlab serve --observer` names it (`word-vectors`, `sim:FILE.npy`; see `parseObserverSpec`). */
  readonly observer: string;
  /** Options of the observer spec (temperature, argmax, word-vector files). */
  readonly observerOptions?: ObserverSpecOptions;
  /** The worker module (default: the built `server-thread-worker.js` beside this module; tests of the sources pass the built one). */
  readonly workerUrl?: URL | string;
}

/** @internal What the thread is started with. */
export interface ServerThreadData {
  readonly options: Omit<ServerThreadOptions, 'workerUrl'>;
  /** {@link STAT_CELLS} counters on a SharedArrayBuffer: written by the thread, read by {@link RunningServer.stats}. */
  readonly cells: Float64Array;
}

/** @internal Messages from the thread. */
export type FromServerThread =
  | { readonly type: 'listening'; readonly url: string; readonly port: number }
  | { readonly type: 'error'; readonly message: string; readonly fields: Record<string, unknown> }
  | { readonly type: 'closed' };

const TYPED_ERRORS: Record<string, { prototype: Error }> = { InvalidArgumentError, ShapeError, FileError, ParseError };

/** An error thrown in the thread, as the same typed error here (its `_tag`, message and fields), else a plain Error. */
function errorFromThread(message: string, fields: Record<string, unknown>): Error {
  const type = typeof fields._tag === 'string' ? TYPED_ERRORS[fields._tag] : undefined;
  const e = new Error(message);
  if (type) Object.setPrototypeOf(e, type.prototype);
  Object.assign(e, fields);
  return e;
}

/**
 * Start {@link startServer}'s server on a worker thread (see the module comment). `close()` stops it and ends
 * the thread; `stats()` reads its counters as they stand.
 *
 * @throws what startServer throws (InvalidArgumentError, ShapeError, FileError), and what the observer spec
 *   throws (`parseObserverSpec`), rebuilt from the thread as the same typed errors.
 */
export function startServerThread(options: ServerThreadOptions): Promise<RunningServer> {
  const { workerUrl, ...rest } = options;
  const cells = new Float64Array(new SharedArrayBuffer(STAT_CELLS * Float64Array.BYTES_PER_ELEMENT));
  const data: ServerThreadData = { options: rest, cells };
  const worker = new Worker(workerUrl ?? new URL('./server-thread-worker.js', import.meta.url), { workerData: data });
  return new Promise<RunningServer>((resolve, reject) => {
    let started = false;
    let failure: Error | undefined;
    let closing: Promise<void> | undefined;
    const exited = new Promise<number>((r) => worker.once('exit', r));
    const fail = (e: Error): void => {
      failure ??= e;
      if (!started) reject(e);
    };
    worker.on('error', fail);
    worker.on('message', (m: FromServerThread) => {
      if (m.type === 'error') fail(errorFromThread(m.message, m.fields));
      else if (m.type === 'listening') {
        started = true;
        resolve({
          url: m.url,
          port: m.port,
          stats: () => statsOfCells(cells),
          close() {
            closing ??= (async () => {
              worker.postMessage('close');
              const code = await exited;
              if (failure) throw failure;
              if (code !== 0) throw new Error(`the server thread exited with code ${code}`);
            })();
            return closing;
          },
        });
      }
    });
    void exited.then((code) => {
      if (!started) fail(failure ?? new Error(`the server thread exited with code ${code} before it listened`));
    });
  });
}
