import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createMatrix, createRng, readNpyMatrix } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { fitSeeds, readSeedOrder, seedDir, WorkerError } from './fit-seeds.js';
import { readShardRecords } from './seed-shard.js';

// Workers load the built module (jest runs the TypeScript sources, which a worker cannot load).
const WORKER = resolve(__dirname, '..', 'dist', 'fit-worker.js');

function problem() {
  const n = 30, d = 4;
  const rng = createRng(3);
  const w = new Float64Array(n * d);
  for (let i = 0; i < n; i++) w[i * d + (i % d)] = 1 + rng.nextFloat();
  const sets = sampleUniform({ nObjects: n, count: 3000, seed: 1 });
  const train = answerByEmbedding(sets, createMatrix(n, d, w), { seed: 2 });
  return { n, train };
}

describe('fitSeeds', () => {
  const { n, train } = problem();
  const common = { train, hyper: { nObjects: n, dims: 8, lambda: 0.01 }, epochs: 3, batchSize: 50 };

  test('worker threads give the same embeddings as running in this thread, in seed order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-seeds-'));
    const inline = await fitSeeds({ ...common, seeds: [5, 6, 7], threads: 1 });
    const parallel = await fitSeeds({ ...common, seeds: [5, 6, 7], threads: 2, workerUrl: WORKER, outDir: dir });
    expect(parallel.map((r) => r.seed)).toEqual([5, 6, 7]);
    for (let i = 0; i < 3; i++) {
      expect(Buffer.from(parallel[i].fit.weights.buffer).equals(Buffer.from(inline[i].fit.weights.buffer))).toBe(true);
      expect(parallel[i].embedding.cols).toBe(inline[i].embedding.cols);
    }
    expect(Buffer.from(inline[0].fit.weights.buffer).equals(Buffer.from(inline[1].fit.weights.buffer))).toBe(false);
    for (const s of [5, 6, 7]) {
      const e = readNpyMatrix(join(seedDir(dir, s), 'embedding.npy'));
      expect(e.rows).toBe(n);
      expect(existsSync(join(seedDir(dir, s), 'results.json'))).toBe(true);
    }
  });

  test('the seed order is recorded in seeds.json (the merge pools in this order); later calls append new seeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-seeds-order-'));
    expect(readSeedOrder(dir)).toBeNull();
    await fitSeeds({ ...common, epochs: 1, seeds: [7, 5], threads: 1, outDir: dir });
    expect(readSeedOrder(dir)).toEqual([7, 5]);
    await fitSeeds({ ...common, epochs: 1, seeds: [6, 5], threads: 1, outDir: dir, overwrite: true });
    expect(readSeedOrder(dir)).toEqual([7, 5, 6]);
  });

  test('a shard runs its share of the seeds, records the full list in seeds.json and its share in shard-k-of-n.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-seeds-shard-'));
    const one = await fitSeeds({ ...common, epochs: 1, seeds: [4, 8, 9], threads: 1 });
    const shard2 = await fitSeeds({ ...common, epochs: 1, seeds: [4, 8, 9], shard: { k: 2, n: 2 }, threads: 1, outDir: dir });
    const shard1 = await fitSeeds({ ...common, epochs: 1, seeds: [4, 8, 9], shard: { k: 1, n: 2 }, threads: 2, workerUrl: WORKER, outDir: dir });
    expect(shard1.map((r) => r.seed)).toEqual([4, 9]);
    expect(shard2.map((r) => r.seed)).toEqual([8]);
    for (const r of [...shard1, ...shard2]) expect(Buffer.from(r.fit.weights.buffer).equals(Buffer.from(one.find((o) => o.seed === r.seed)!.fit.weights.buffer))).toBe(true);
    expect(readSeedOrder(dir)).toEqual([4, 8, 9]);
    expect(readShardRecords(dir).map((r) => [r.shard, r.seeds, r.ran])).toEqual([
      [{ k: 1, n: 2 }, [4, 8, 9], [4, 9]],
      [{ k: 2, n: 2 }, [4, 8, 9], [8]],
    ]);
    await expect(fitSeeds({ ...common, seeds: [1, 2], shard: { k: 1, n: 3 } })).rejects.toThrow(/shard\.n: expected at most 2/);
  });

  test('a worker error comes back typed, naming the seed', async () => {
    const bad = { count: 1, data: Int32Array.from([0, 1, n]) };
    await expect(fitSeeds({ ...common, train: bad, batchSize: 1, seeds: [1, 2], threads: 2, workerUrl: WORKER })).rejects.toThrow(WorkerError);
  });

  test('argument checks', async () => {
    await expect(fitSeeds({ ...common, seeds: [] })).rejects.toThrow(/at least one seed/);
    await expect(fitSeeds({ ...common, seeds: [1, 1] })).rejects.toThrow(/distinct/);
    await expect(fitSeeds({ ...common, seeds: [1], threads: 0 })).rejects.toThrow(/threads/);
  });
});
