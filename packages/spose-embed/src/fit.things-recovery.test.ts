import { join } from 'node:path';
import { createMatrix, dataDirForTests, readNpyMatrix, selectTriplets } from '@conceptlab/core';
import { answerByEmbedding, sampleUniform } from '@conceptlab/triplet-sampler';
import { evaluateTriplets } from './evaluate.js';
import { fitSpose } from './fit.js';
import { pruneAndSort } from './export.js';
import { columnCorrelations } from '@conceptlab/core/stats';

// Recovery on real human structure, small: 200 THINGS objects (every 9th), their dims of the human VICE
// embedding, 200k training + 20k held-out triplets answered by the SPoSE observer (T = 1); fit with the
// paper's settings (D 100, batch 100, Adam 1e-3, λ 0.008) for 120 epochs.
const data = dataDirForTests(__dirname, 'SPoSE recovery of the human VICE embedding (200 objects)');

(data ? test : test.skip)(
  'SPoSE recovers a 200-object slice of the human embedding: accuracy within 1 point, median best-match r ≥ 0.8',
  async () => {
    const vice = readNpyMatrix(join(data!, 'things', 'human_embedding_vice42.npy'));
    const rows = Array.from({ length: 200 }, (_, i) => i * 9);
    const cols: number[] = [];
    for (let d = 0; d < vice.cols; d++) if (rows.some((r) => vice.data[r * vice.cols + d] > 0.1)) cols.push(d);
    const gen = createMatrix(200, cols.length);
    rows.forEach((r, i) => cols.forEach((d, j) => (gen.data[i * cols.length + j] = vice.data[r * vice.cols + d])));

    const sets = sampleUniform({ nObjects: 200, count: 220_000, seed: 5 });
    const answered = answerByEmbedding(sets, gen, { seed: 1, temperature: 1 });
    const train = selectTriplets(answered, Int32Array.from({ length: 200_000 }, (_, i) => i));
    const heldOut = selectTriplets(answered, Int32Array.from({ length: 20_000 }, (_, i) => 200_000 + i));

    const fit = await fitSpose({ train, hyper: { nObjects: 200, dims: 100, lambda: 0.008 }, seed: 1, epochs: 120, batchSize: 100 });
    const emb = pruneAndSort(fit.weights, 200, 100);
    const accGen = evaluateTriplets(gen, heldOut, { seed: 0 }).accuracy;
    const accFit = evaluateTriplets(emb, heldOut, { seed: 0 }).accuracy;
    const c = columnCorrelations(gen, emb);
    const best = Array.from({ length: c.rows }, (_, i) => Math.max(...Array.from(c.data.subarray(i * c.cols, (i + 1) * c.cols)).filter((x) => !Number.isNaN(x))));
    best.sort((a, b) => a - b);
    const median = best.length % 2 ? best[(best.length - 1) / 2] : (best[best.length / 2 - 1] + best[best.length / 2]) / 2;
    // eslint-disable-next-line no-console
    console.log(`recovery (200 objects): generating ${(100 * accGen).toFixed(2)}%, fitted ${(100 * accFit).toFixed(2)}%, ${emb.cols} dims, median best r ${median.toFixed(3)} over ${gen.cols} generating dims`);
    expect(Math.abs(accFit - accGen)).toBeLessThan(0.01);
    expect(median).toBeGreaterThanOrEqual(0.8);
  },
  240_000,
);
