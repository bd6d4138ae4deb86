import { createRng, InvalidArgumentError, type Matrix } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { evaluateTriplets } from './evaluate.js';
import { pruneAndSort } from './export.js';
import { fitSpose } from './fit.js';
import { mergeRuns } from './merge.js';
import { refitEmbedding, RefitDivergedError } from './refit.js';

/** A sparse non-negative generating embedding (n × K) and SPoSE-observer answers to uniform sets. */
function simulated(n: number, K: number) {
  const rng = createRng(11, 3);
  const truth = new Float64Array(n * K);
  for (let o = 0; o < n; o++) {
    truth[o * K + rng.nextInt(K)] = 0.5 + 2 * rng.nextFloat();
    for (let k = 0; k < K; k++) if (rng.nextFloat() < 0.2) truth[o * K + k] = 0.5 + 2 * rng.nextFloat();
  }
  const generating: Matrix<Float64Array> = { rows: n, cols: K, data: truth };
  const answer = (count: number, seed: number) => answerByEmbedding(sampleUniform({ nObjects: n, count, seed, allowDuplicates: true }), generating, { seed: seed + 100 });
  return { generating, train: answer(12000, 1), validation: answer(2000, 2), heldOut: answer(4000, 3) };
}

describe('refitEmbedding: a short fit from a merged embedding, dims fixed', () => {
  test('the merged embedding of 3 runs predicts held-out choices worse than a run; 10 refit epochs recover it', async () => {
    const n = 30, K = 4;
    const { train, validation, heldOut } = simulated(n, K);
    const hyper = { nObjects: n, dims: 12, lambda: 0.03 };
    const runs = [];
    for (const seed of [1, 2, 3]) {
      const f = await fitSpose({ train, hyper, seed, epochs: 40, batchSize: 100 });
      runs.push(pruneAndSort(f.weights, n, 12));
    }
    const merged = mergeRuns(runs, { top: 8 }).embedding;
    const runAcc = evaluateTriplets(runs[0], heldOut).accuracy;
    const mergedAcc = evaluateTriplets(merged, heldOut).accuracy;
    const refit = await refitEmbedding({ embedding: merged, train, validation, hyper: { lambda: 0.03 }, seed: 9, epochs: 10, batchSize: 100 });
    const refitAcc = evaluateTriplets(refit.embedding, heldOut).accuracy;
    // The dims stay the merged ones, in order; only their weights moved.
    expect([refit.embedding.rows, refit.embedding.cols]).toEqual([merged.rows, merged.cols]);
    expect(refit.fit.records).toHaveLength(10);
    expect(refit.fit.config.init).toMatch(/^warm start: the given weights \(float32 sha256 [0-9a-f]{64}\)$/);
    expect(refitAcc).toBeGreaterThan(mergedAcc);
    expect(refitAcc).toBeGreaterThanOrEqual(runAcc - 0.01);
    expect(Math.min(...refit.embedding.data)).toBeGreaterThanOrEqual(0);
  }, 60_000);

  test('the start is the given weights: with a vanishing learning rate they come back unchanged (negatives at 0)', async () => {
    const { train } = simulated(30, 4);
    const data = Float32Array.from({ length: 30 * 3 }, (_, i) => (i % 7 === 0 ? -0.25 : 0.1 + (i % 5) * 0.2));
    const r = await refitEmbedding({ embedding: { rows: 30, cols: 3, data }, train, hyper: { lambda: 0, lr: 1e-12 }, seed: 0, epochs: 1, batchSize: 1000 });
    for (let i = 0; i < data.length; i++) expect(Math.abs(r.embedding.data[i] - Math.max(0, data[i]))).toBeLessThan(1e-9);
  });

  test('bad embeddings are typed errors; a diverging refit throws RefitDivergedError', async () => {
    const { train } = simulated(30, 4);
    await expect(refitEmbedding({ embedding: { rows: 30, cols: 0, data: new Float32Array(0) }, train, seed: 0 })).rejects.toThrow(InvalidArgumentError);
    const nan = new Float32Array(60).fill(0.5);
    nan[7] = NaN;
    await expect(refitEmbedding({ embedding: { rows: 30, cols: 2, data: nan }, train, seed: 0 })).rejects.toThrow(/initialWeights: expected finite values.*object 3, dim 1/);
    await expect(refitEmbedding({ embedding: { rows: 30, cols: 2, data: new Float32Array(60).fill(0.5) }, train, hyper: { lr: 1e30 }, seed: 0, epochs: 3 })).rejects.toThrow(RefitDivergedError);
  });
});
