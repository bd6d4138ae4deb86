import { createRng, type Matrix } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { evaluateTriplets } from './evaluate.js';
import { pruneAndSort } from './export.js';
import { fitSpose } from './fit.js';
import { pearson } from '@conceptlab/core/stats';

const column = (m: Matrix<Float32Array | Float64Array>, c: number) => Array.from({ length: m.rows }, (_, o) => m.data[o * m.cols + c]);

test('recovers a sparse non-negative embedding from 40k simulated odd-one-out choices', async () => {
  // Generating embedding: 60 objects × 6 dims, each entry non-zero with probability 0.3 (at least one
  // per object), values U(0.5, 2.5).
  const n = 60, K = 6;
  const rng = createRng(42, 3);
  const truth = new Float64Array(n * K);
  for (let o = 0; o < n; o++) {
    let any = false;
    for (let k = 0; k < K; k++) {
      if (rng.nextFloat() < 0.3) {
        truth[o * K + k] = 0.5 + 2 * rng.nextFloat();
        any = true;
      }
    }
    if (!any) truth[o * K + rng.nextInt(K)] = 0.5 + 2 * rng.nextFloat();
  }
  const generating = { rows: n, cols: K, data: truth };
  // The SPoSE observer (softmax of dot products, T = 1) on uniform sets; C(60, 3) = 34,220 < 40,000, so sets may repeat.
  const train = answerByEmbedding(sampleUniform({ nObjects: n, count: 40000, seed: 1, allowDuplicates: true }), generating, { seed: 2 });
  const heldOut = answerByEmbedding(sampleUniform({ nObjects: n, count: 10000, seed: 3, allowDuplicates: true }), generating, { seed: 4 });

  // λ = 0.03 suits 60 objects and ~670 triplets per object (THINGS: λ ≈ 0.008 for 1,854 objects).
  const fit = await fitSpose({ train, hyper: { nObjects: n, dims: 20, lambda: 0.03 }, seed: 5, epochs: 50, batchSize: 100 });
  const embedding = pruneAndSort(fit.weights, n, 20);

  const generatingAcc = evaluateTriplets(generating, heldOut).accuracy;
  const fittedAcc = evaluateTriplets(embedding, heldOut).accuracy;
  expect(Math.abs(fittedAcc - generatingAcc)).toBeLessThanOrEqual(0.02);
  expect(embedding.cols).toBeGreaterThanOrEqual(K);
  expect(embedding.cols).toBeLessThan(20); // the L1 penalty pruned dimensions

  const best = Array.from({ length: K }, (_, k) => {
    let b = -1;
    for (let c = 0; c < embedding.cols; c++) b = Math.max(b, pearson(column(generating, k), column(embedding, c)));
    return b;
  }).sort((a, b) => a - b);
  const median = (best[K / 2 - 1] + best[K / 2]) / 2;
  expect(median).toBeGreaterThanOrEqual(0.8);
});
