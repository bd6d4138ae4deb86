import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '../errors.js';
import { createWorkerPool, runWorkerPool, WorkerTaskError } from './index.js';

// The worker runs the built package (dist), as every worker-thread test here (runtime.test.ts tests runWorkerPool).
const WORKER = resolve(__dirname, '../../test/fixtures/pool-worker.mjs');
type Out = { square: number; threadId: number; tag: unknown };

describe('createWorkerPool', () => {
  test('workers are kept between runs (same thread ids), each run sees its own workerData, events arrive', async () => {
    const pool = createWorkerPool({ url: WORKER, threads: 2 });
    try {
      expect(pool.size).toBe(0);
      const events: [unknown, number][] = [];
      const a = await pool.run<{ x: number }, Out>([1, 2, 3, 4].map((x) => ({ x })), { workerData: { tag: 'a' }, onEvent: (e, i) => events.push([e, i]) });
      expect(a.map((r) => r.square)).toEqual([1, 4, 9, 16]);
      expect(a.map((r) => r.tag)).toEqual(['a', 'a', 'a', 'a']);
      expect(events.sort((p, q) => p[1] - q[1])).toEqual([1, 2, 3, 4].map((x, i) => [{ at: x }, i]));
      expect(pool.size).toBe(2);
      const first = new Set(a.map((r) => r.threadId));
      const b = await pool.run<{ x: number }, Out>([5, 6, 7].map((x) => ({ x })), { workerData: { tag: 'b' } });
      expect(b.map((r) => r.square)).toEqual([25, 36, 49]);
      expect(b.map((r) => r.tag)).toEqual(['b', 'b', 'b']);
      for (const r of b) expect(first.has(r.threadId)).toBe(true);
      // No workerData: the previous run's is not seen.
      const c = await pool.run<{ x: number }, Out>([{ x: 8 }]);
      expect(c[0]!.tag).toBeUndefined();
      expect(first.has(c[0]!.threadId)).toBe(true);
      expect(pool.size).toBe(2);
      await expect(pool.run([])).resolves.toEqual([]);
    } finally {
      await pool.close();
    }
  });

  test('a throwing task rejects with the same WorkerTaskError as runWorkerPool; the worker stays in the pool', async () => {
    const pool = createWorkerPool({ url: WORKER, threads: 1 });
    try {
      const tasks = [{ x: 1 }, { x: 7, fail: true }];
      const [err, oneShot] = await Promise.all([pool.run(tasks).catch((e: unknown) => e), runWorkerPool({ url: WORKER, tasks, threads: 1 }).catch((e: unknown) => e)]);
      expect(err).toBeInstanceOf(WorkerTaskError);
      const w = err as WorkerTaskError;
      const o = oneShot as WorkerTaskError;
      expect([w.task, w.originalTag, w.originalMessage, w.message, w.fields]).toEqual([o.task, o.originalTag, o.originalMessage, o.message, o.fields]);
      expect([w.task, w.originalTag, w.fields.argument]).toEqual([1, 'InvalidArgumentError', 'x']);
      const before = (await pool.run<{ x: number }, Out>([{ x: 2 }]))[0]!.threadId;
      await expect(pool.run([{ x: 7, fail: true }])).rejects.toBeInstanceOf(WorkerTaskError);
      expect((await pool.run<{ x: number }, Out>([{ x: 3 }]))[0]!.threadId).toBe(before);
    } finally {
      await pool.close();
    }
  });

  test('a worker that exited (crashed) or was terminated by an abort is replaced on the next run', async () => {
    const pool = createWorkerPool({ url: WORKER, threads: 1, name: 'test' });
    try {
      const first = (await pool.run<{ x: number }, Out>([{ x: 1 }]))[0]!.threadId;
      await expect(pool.run([{ x: 1, exit: true }])).rejects.toThrow('test: a worker exited with code 3');
      const second = (await pool.run<{ x: number }, Out>([{ x: 2 }]))[0]!;
      expect(second.square).toBe(4);
      expect(second.threadId).not.toBe(first);
      // Abort while the task is in flight: the busy worker is terminated, a fresh one does the next run.
      const ac = new AbortController();
      const running = pool.run([{ x: 3 }], { signal: ac.signal });
      ac.abort(new Error('stop'));
      await expect(running).rejects.toThrow('stop');
      const third = (await pool.run<{ x: number }, Out>([{ x: 4 }]))[0]!;
      expect(third.square).toBe(16);
      expect(third.threadId).not.toBe(second.threadId);
      expect(pool.size).toBe(1);
    } finally {
      await pool.close();
    }
  });

  test('concurrent runs are queued and each gets its results; a queued run can be aborted; a bad module rejects', async () => {
    const pool = createWorkerPool({ url: WORKER, threads: 2 });
    try {
      const ac = new AbortController();
      const runs = [
        pool.run<{ x: number }, Out>([{ x: 1 }, { x: 2 }], { workerData: { tag: 1 } }),
        pool.run<{ x: number }, Out>([{ x: 3 }], { signal: ac.signal }),
        pool.run<{ x: number }, Out>([{ x: 4 }, { x: 5 }, { x: 6 }], { workerData: { tag: 3 } }),
      ];
      ac.abort(new Error('dropped'));
      const [one, two, three] = await Promise.allSettled(runs);
      expect(one.status === 'fulfilled' && one.value.map((r) => [r.square, r.tag])).toEqual([[1, 1], [4, 1]]);
      expect(two.status === 'rejected' && (two.reason as Error).message).toBe('dropped');
      expect(three.status === 'fulfilled' && three.value.map((r) => [r.square, r.tag])).toEqual([[16, 3], [25, 3], [36, 3]]);
      const ids = new Set([...(one.status === 'fulfilled' ? one.value : []), ...(three.status === 'fulfilled' ? three.value : [])].map((r) => r.threadId));
      expect(ids.size).toBe(2);
    } finally {
      await pool.close();
    }
    const bad = createWorkerPool({ url: '/nonexistent/worker.mjs', threads: 1 });
    await expect(bad.run([{}])).rejects.toThrow();
    await bad.close();
    expect(() => createWorkerPool({ url: WORKER, threads: 0 })).toThrow(InvalidArgumentError);
  });

  test('close() terminates the workers, rejects the run in flight and every later run', async () => {
    const pool = createWorkerPool({ url: WORKER, threads: 2, name: 'test' });
    await pool.run([{ x: 1 }, { x: 2 }]);
    expect(pool.size).toBe(2);
    const inFlight = pool.run([{ x: 3 }]).catch((e: unknown) => e);
    await pool.close();
    expect(pool.size).toBe(0);
    expect(((await inFlight) as Error).message).toBe('test: the worker pool was closed');
    await expect(pool.run([{ x: 1 }])).rejects.toThrow('test: the worker pool was closed');
  });

  test('idle workers do not keep a process alive: a script that never calls close() exits on its own', async () => {
    const runtime = pathToFileURL(resolve(__dirname, '../../dist/runtime/index.js')).href;
    const script = [
      `import { createWorkerPool } from ${JSON.stringify(runtime)};`,
      `const pool = createWorkerPool({ url: ${JSON.stringify(WORKER)}, threads: 2 });`,
      `const a = await pool.run([{ x: 2 }, { x: 3 }]);`,
      `const b = await pool.run([{ x: 4 }]);`,
      // One string: console.log colours a number argument when FORCE_COLOR is set (as under nx/jest in CI).
      `console.log(JSON.stringify([...a, ...b].map((r) => r.square)) + ' ' + pool.size);`,
    ].join('\n');
    // A file, not `--input-type=module -e`: workers inherit execArgv, and --input-type refuses a worker's file.
    const dir = mkdtempSync(join(tmpdir(), 'conceptlab-pool-'));
    const file = join(dir, 'pool-unref.mjs');
    writeFileSync(file, script);
    const out = await new Promise<{ code: number | null; stdout: string; killed: boolean }>((done) => {
      const child = execFile(process.execPath, [file], { timeout: 30_000 }, (err, stdout) => {
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, killed: child.killed });
      });
    });
    expect(out.killed).toBe(false);
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe('[4,9,16] 2');
    rmSync(dir, { recursive: true, force: true });
  }, 40_000);
});

describe('createWorkerPool idleMs', () => {
  test('idle workers are terminated after idleMs without a run; the next run starts a fresh one', async () => {
    const pool = createWorkerPool({ url: WORKER, threads: 1, idleMs: 50 });
    try {
      const first = (await pool.run<{ x: number }, Out>([{ x: 1 }]))[0]!.threadId;
      // A run within idleMs reuses the worker.
      expect((await pool.run<{ x: number }, Out>([{ x: 2 }]))[0]!.threadId).toBe(first);
      expect(pool.size).toBe(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(pool.size).toBe(0);
      const again = (await pool.run<{ x: number }, Out>([{ x: 3 }]))[0]!;
      expect(again.square).toBe(9);
      expect(again.threadId).not.toBe(first);
    } finally {
      await pool.close();
    }
    expect(() => createWorkerPool({ url: WORKER, threads: 1, idleMs: -1 })).toThrow(InvalidArgumentError);
  });
});
