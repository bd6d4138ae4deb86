import { resolve } from 'node:path';
import { createProgress, type ProgressEvent } from '../progress.js';
import { formatDuration, formatProgress, instantiateWasm, lazyWasmModule, runWorkerPool, shareArray, WASM_PAGE, WorkerTaskError } from './index.js';

// The worker runs the built package (dist), as every worker-thread test here.
const WORKER = resolve(__dirname, '../../test/fixtures/pool-worker.mjs');

describe('runWorkerPool / serveWorkerTasks', () => {
  test('results in task order, events with their task index, shared memory written by the workers', async () => {
    const shared = shareArray(new Int32Array(1));
    const events: [unknown, number][] = [];
    const tasks = [1, 2, 3, 4, 5].map((x) => ({ x }));
    const out = await runWorkerPool<{ x: number }, { square: number; values: Float64Array }>({
      url: WORKER, tasks, threads: 2, workerData: { shared }, onEvent: (e, i) => events.push([e, i]),
    });
    expect(out.map((r) => r.square)).toEqual([1, 4, 9, 16, 25]);
    expect(out.map((r) => r.values[0])).toEqual([1, 2, 3, 4, 5]);
    expect(events.sort((a, b) => a[1] - b[1])).toEqual(tasks.map((t, i) => [{ at: t.x }, i]));
    expect(shared[0]).toBe(15);
  });

  test('a throwing task rejects with WorkerTaskError carrying the original tag and fields', async () => {
    const err = await runWorkerPool({ url: WORKER, tasks: [{ x: 1 }, { x: 7, fail: true }], threads: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerTaskError);
    const w = err as WorkerTaskError;
    expect(w.task).toBe(1);
    expect(w.originalTag).toBe('InvalidArgumentError');
    expect(w.fields.argument).toBe('x');
    expect(w.originalMessage).toBe('x: expected a good task, got 7');
  });

  test('a worker that exits early, a missing module, an abort and a bad thread count reject', async () => {
    await expect(runWorkerPool({ url: WORKER, tasks: [{ x: 1, exit: true }], threads: 1, name: 'test' })).rejects.toThrow('test: a worker exited with code 3');
    await expect(runWorkerPool({ url: '/nonexistent/worker.mjs', tasks: [{}], threads: 1 })).rejects.toThrow();
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(runWorkerPool({ url: WORKER, tasks: [{ x: 1 }], threads: 1, signal: ac.signal })).rejects.toThrow('stop');
    await expect(runWorkerPool({ url: WORKER, tasks: [{ x: 1 }], threads: 0 })).rejects.toThrow(/threads/);
    await expect(runWorkerPool({ url: WORKER, tasks: [], threads: 1 })).resolves.toEqual([]);
  });
});

describe('shareArray', () => {
  test('copies onto a SharedArrayBuffer once, same type and values; a shared array is returned as it is', () => {
    const a = Float32Array.of(1.5, -2, 3);
    const s = shareArray(a);
    expect(s).toBeInstanceOf(Float32Array);
    expect(s.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(s)).toEqual([1.5, -2, 3]);
    expect(s).not.toBe(a);
    expect(shareArray(s)).toBe(s);
    expect(shareArray(Int32Array.of(4)).buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('lazyWasmModule / instantiateWasm', () => {
  // (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
  const ADD = 'AGFzbQEAAAABBwFgAn9/AX8DAgEABwcBA2FkZAAACgkBBwAgACABags=';
  test('compiles once, instantiates with typed exports', () => {
    const get = lazyWasmModule(ADD);
    const mod = get();
    expect(mod).not.toBeNull();
    expect(get()).toBe(mod);
    const { add } = instantiateWasm<{ add: (a: number, b: number) => number }>(mod!);
    expect(add(2, 3)).toBe(5);
    expect(WASM_PAGE).toBe(65536);
  });
  test('bytes that do not compile give null, not an error', () => {
    expect(lazyWasmModule('AAAA')()).toBeNull();
  });
});

describe('formatProgress / formatDuration', () => {
  const base: ProgressEvent = { task: 'annotate', phase: 'update', done: 1200, total: 4700, unit: 'triplets', elapsedMs: 500, rate: 3400.4, etaMs: 1029 };
  test('counts, percent, rate and ETA; the end says how long it took; details as key=value', () => {
    expect(formatProgress(base)).toBe('annotate: 1,200/4,700 triplets (25.5%) 3,400/s ETA 1s');
    expect(formatProgress({ ...base, phase: 'end', done: 4700, elapsedMs: 125_000 })).toBe('annotate: 4,700/4,700 triplets (100.0%) 3,400/s in 2m05s');
    expect(formatProgress({ task: 'fit', phase: 'start', done: 0, unit: 'epochs', elapsedMs: 0, rate: 0, detail: { loss: 0.123456, engine: 'cpu' } })).toBe('fit: 0 epochs loss=0.1235 engine=cpu');
  });
  test('durations', () => {
    expect(formatDuration(42_400)).toBe('42s');
    expect(formatDuration(185_000)).toBe('3m05s');
    expect(formatDuration(7_620_000)).toBe('2h07m');
  });
  test('renders the events createProgress emits', () => {
    let t = 0;
    const lines: string[] = [];
    const p = createProgress('sample', (e) => lines.push(formatProgress(e)), { total: 10, unit: 'sets', now: () => t, minIntervalMs: 0 });
    t = 1000;
    p.update(5);
    t = 2000;
    p.end();
    expect(lines).toEqual(['sample: 0/10 sets (0.0%)', 'sample: 5/10 sets (50.0%) 5/s ETA 1s', 'sample: 10/10 sets (100.0%) 5/s in 2s']);
  });
});
