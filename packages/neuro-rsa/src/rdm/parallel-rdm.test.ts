import { resolve } from 'node:path';
import { InvalidArgumentError } from '@conceptlab/core';
import { computeRdm } from './measures.js';
import { computeRdmParallel } from './parallel-rdm.js';
import { PANEL } from '../kernels/pairwise.js';

// Workers load the built module (jest runs the TypeScript sources, which a worker cannot load):
// build first (npx tsc -p tsconfig.build.json).
const WORKER = resolve(__dirname, '..', '..', 'dist', 'rdm', 'rdm-worker.js');

/** MINSTD values in [−0.5, 0.5) (deterministic). */
function patterns(n: number, p: number, seed: number) {
  const data = new Float64Array(n * p);
  let s = seed;
  for (let k = 0; k < data.length; k++) {
    s = (s * 48271) % 2147483647;
    data[k] = s / 2147483647 - 0.5;
  }
  return { rows: n, cols: p, data };
}

// Three panels (uneven), a last chunk of odd width.
const P = patterns(2 * PANEL + 37, 611, 5);

test.each(['euclidean', 'correlation', 'cosine'] as const)('%s: 2 and 3 worker threads give the RDM of computeRdm bit for bit', async (method) => {
  const want = computeRdm(P, method);
  for (const threads of [2, 3]) {
    const got = await computeRdmParallel(P, method, { threads, workerUrl: WORKER });
    expect(got.n).toBe(P.rows);
    expect(Buffer.from(got.vector.buffer).equals(Buffer.from(want.vector.buffer))).toBe(true);
  }
});

test("euclideanSums 'gram': 2 worker threads give computeRdm's RDM bit for bit", async () => {
  const want = computeRdm(P, 'euclidean', { euclideanSums: 'gram' });
  const got = await computeRdmParallel(P, 'euclidean', { threads: 2, euclideanSums: 'gram', workerUrl: WORKER });
  expect(Buffer.from(got.vector.buffer).equals(Buffer.from(want.vector.buffer))).toBe(true);
  expect(Buffer.from(got.vector.buffer).equals(Buffer.from(computeRdm(P, 'euclidean').vector.buffer))).toBe(false);
});

test('float32 patterns and the JavaScript kernel in the workers give computeRdm results too', async () => {
  const f32 = { rows: P.rows, cols: P.cols, data: Float32Array.from(P.data) };
  const want = computeRdm(f32, 'correlation', { kernel: 'js' });
  const got = await computeRdmParallel(f32, 'correlation', { threads: 2, kernel: 'js', workerUrl: WORKER });
  expect(Buffer.from(got.vector.buffer).equals(Buffer.from(want.vector.buffer))).toBe(true);
});

test('threads: 1 runs in this thread; bad threads or a missing worker file are errors', async () => {
  const one = await computeRdmParallel(P, 'cosine', { threads: 1, workerUrl: '/nonexistent/worker.js' });
  expect(one.vector).toEqual(computeRdm(P, 'cosine').vector);
  await expect(computeRdmParallel(P, 'cosine', { threads: 0 })).rejects.toThrow(InvalidArgumentError);
  await expect(computeRdmParallel(P, 'cosine', { threads: 2, workerUrl: '/nonexistent/worker.js' })).rejects.toThrow(/rdm worker failed: .*nonexistent/);
});
