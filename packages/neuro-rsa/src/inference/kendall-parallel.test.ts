import { resolve } from 'node:path';
import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { compareRdms } from './compare.js';
import { compareRdmsParallel } from './compare-parallel.js';
import { kendallTau, type KendallVariant } from './kendall.js';
import { kendallTauParallel } from './kendall-parallel.js';
import { lcg, vectors } from '../../test/kendall-vectors.js';

// The worker loads the built module (jest runs the TypeScript sources, which a worker cannot load):
// build first (npx tsc -p tsconfig.build.json).
const WORKER = resolve(__dirname, '..', '..', 'dist', 'inference', 'kendall-worker.js');
const two = { threads: 2, workerUrl: WORKER };

/** Both variants on two threads, bit for bit the one-thread kendallTau (NaN as NaN). */
async function expectSameAsSync(x: ArrayLike<number>, y: ArrayLike<number>) {
  for (const variant of ['a', 'b'] as KendallVariant[]) {
    const got = await kendallTauParallel(x, y, variant, two);
    expect(Object.is(got, kendallTau(x, y, variant))).toBe(true);
  }
}

test('hand-computed tau-a and tau-b on two threads (4 values, one discordant pair; and with ties)', async () => {
  // 6 pairs, 1 discordant (2↔3): tau-a = (5 − 1)/6.
  expect(await kendallTauParallel([1, 2, 3, 4], [1, 3, 2, 4], 'a', two)).toBe(4 / 6);
  // Pairs (1,2) tied in x, (2,3) tied in y, the other 4 concordant: tau-a = 4/6, tau-b = 4/√(5·5).
  expect(await kendallTauParallel([1, 1, 2, 3], [1, 2, 2, 3], 'a', two)).toBe(4 / 6);
  expect(await kendallTauParallel([1, 1, 2, 3], [1, 2, 2, 3], 'b', two)).toBeCloseTo(4 / 5, 15);
  // x splits into {1, 2} and {3, 4}, so four of the pairs cross the split. Reversed: all 6 discordant.
  expect(await kendallTauParallel([1, 2, 3, 4], [4, 3, 2, 1], 'a', two)).toBe(-1);
  // y = [2, 1, 2, 1]: (1,2), (1,4), (3,4) discordant, (2,3) concordant, (1,3) and (2,4) tied in y (both cross the
  // split, with an equal rank on each side): tau-a = (1 − 3)/6.
  expect(await kendallTauParallel([1, 2, 3, 4], [2, 1, 2, 1], 'a', two)).toBe(-2 / 6);
});

test.each([
  // seed, m, levels: long vectors, odd lengths, heavy ties (5 levels), nearly all distinct.
  [1, 70001, 1_000_000],
  [2, 70000, 30],
  [3, 30001, 5],
  [4, 9999, 1_000_000],
])('seed %i, m = %i, %i levels: identical to the one-thread count', async (seed, m, levels) => {
  const [x, y] = vectors(seed, m, levels);
  await expectSameAsSync(x, y);
});

test('tiny and degenerate inputs: identical to the one-thread count (NaN where it is NaN)', async () => {
  const cases: [number[], number[]][] = [
    [[], []],
    [[1], [2]],
    [[1, 2], [2, 1]],
    [[1, 2, 3], [3, 1, 2]],
    [[5, 5, 5, 5, 5], [1, 2, 3, 4, 5]], // x constant: one thread gets all of x
    [[1, 2, 3, 4, 5], [7, 7, 7, 7, 7]], // y constant: tau-b NaN
    [[-0, 0, 1, -1, Infinity, -Infinity, 2], [0, -0, 3, 3, 1, -Infinity, Infinity]], // −0 = +0, infinities
    [[2, 1, 2, 1, 2, 1, 2], [1, 1, 2, 2, 1, 1, 2]],
  ];
  for (const [x, y] of cases) await expectSameAsSync(x, y);
  expect(await kendallTauParallel([1], [2], 'a', two)).toBeNaN();
});

test('40 random short vectors with ties, odd and even lengths: identical to the one-thread count', async () => {
  const u = lcg(11, 4000);
  let at = 0;
  for (let t = 0; t < 40; t++) {
    const m = 2 + Math.floor(u[at++]! * 60);
    const levels = 1 + Math.floor(u[at++]! * 8);
    const x = Array.from({ length: m }, () => Math.floor(u[at++ % u.length]! * levels));
    const y = Array.from({ length: m }, () => Math.floor(u[at++ % u.length]! * levels));
    await expectSameAsSync(x, y);
  }
});

test('compareRdmsParallel: tau-a / tau-b drop NaN pairs as compareRdms and give its value bit for bit; other methods too', async () => {
  const n = 120;
  const [x, y] = vectors(5, (n * (n - 1)) / 2, 40);
  for (let k = 0; k < x.length; k += 37) x[k] = Number.NaN;
  for (let k = 5; k < y.length; k += 53) y[k] = Number.NaN;
  const a = { n, vector: x };
  const b = { n, vector: y };
  for (const method of ['tau-a', 'tau-b', 'kendall', 'spearman', 'corr'] as const) {
    expect(Object.is(await compareRdmsParallel(a, b, method, two), compareRdms(a, b, method))).toBe(true);
  }
  const allNaN = { n: 3, vector: new Float64Array([Number.NaN, 1, Number.NaN]) };
  expect(await compareRdmsParallel(allNaN, { n: 3, vector: new Float64Array([1, 2, 3]) }, 'tau-a', two)).toBeNaN();
});

test('bad input: the typed one-line errors of the one-thread functions, as rejections', async () => {
  const oneLine = async (p: Promise<unknown>, type: new (...args: never[]) => Error) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).not.toContain('\n');
  };
  await oneLine(kendallTauParallel([1, 2, 3], [1, 2], 'a', two), ShapeError);
  await oneLine(kendallTauParallel([1, Number.NaN, 3], [1, 2, 3], 'a', two), InvalidArgumentError);
  await oneLine(kendallTauParallel([1, 2, 3], [1, 2, Number.NaN], 'b', two), InvalidArgumentError);
  await oneLine(kendallTauParallel([1, 2, 3], [1, 2, 3], 'c' as KendallVariant, two), InvalidArgumentError);
  for (const threads of [0, 1.5, -1, Number.NaN]) await oneLine(kendallTauParallel([1, 2, 3], [1, 2, 3], 'a', { threads }), InvalidArgumentError);
  await oneLine(compareRdmsParallel({ n: 3, vector: new Float64Array(3) }, { n: 4, vector: new Float64Array(6) }, 'tau-a', two), ShapeError);
  await oneLine(compareRdmsParallel({ n: 3, vector: new Float64Array(3) }, { n: 3, vector: new Float64Array(3) }, 'tau-c' as never, two), InvalidArgumentError);
  // The same message as the one-thread function.
  const parallelError = await kendallTauParallel([1, Number.NaN], [1, 2], 'a', two).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(() => kendallTau([1, Number.NaN], [1, 2], 'a')).toThrow(parallelError!.message);
});

test('threads: 1 counts in this thread (no worker); a missing worker file is an error', async () => {
  const [x, y] = vectors(6, 5001, 100);
  expect(await kendallTauParallel(x, y, 'a', { threads: 1, workerUrl: '/nonexistent/worker.js' })).toBe(kendallTau(x, y, 'a'));
  await expect(kendallTauParallel(x, y, 'a', { threads: 2, workerUrl: '/nonexistent/worker.js' })).rejects.toThrow(/kendall worker failed: .*nonexistent/);
  // The kept pool of that module replaces its failed worker at the next call, which fails the same way.
  await expect(kendallTauParallel(x, y, 'b', { threads: 2, workerUrl: '/nonexistent/worker.js' })).rejects.toThrow(/kendall worker failed: .*nonexistent/);
  // The next call still works (the lent instance was given back).
  expect(await kendallTauParallel(x, y, 'b', two)).toBe(kendallTau(x, y, 'b'));
});

test('back-to-back and concurrent calls of one length (shared arrays and instances reused or lent) stay exact', async () => {
  const pairs = [1, 2, 3, 4].map((seed) => vectors(seed + 20, 20001, seed * 7));
  for (const [x, y] of pairs) expect(await kendallTauParallel(x, y, 'a', two)).toBe(kendallTau(x, y, 'a'));
  const together = await Promise.all(pairs.map(([x, y]) => kendallTauParallel(x, y, 'b', two)));
  expect(together).toEqual(pairs.map(([x, y]) => kendallTau(x, y, 'b')));
});
