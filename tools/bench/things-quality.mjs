// Shared by the SPoSE benches that simulate THINGS from the human embedding (spose-time-to-quality, adaptive-design):
// where the data is, and the quality of a fitted embedding against the generator and the human noise-ceiling answers.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNoiseCeilingTsv, readNpyMatrix } from '@conceptlab/core';
import { columnCorrelations, median } from '@conceptlab/core/stats';
import { evaluateTriplets } from '@conceptlab/spose-embed';

export const THINGS_OBJECTS = 1854;

/**
 * The generating embedding (human_embedding_vice42.npy) and the human noise-ceiling triplets, from $CONCEPTLAB_DATA
 * or ../shared/data. Without them, prints the bench's `skipped` JSON line and exits 0.
 */
export function thingsBenchData(bench) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dataDir = process.env.CONCEPTLAB_DATA ?? resolve(root, '..', 'shared', 'data');
  const vice = join(dataDir, 'things', 'human_embedding_vice42.npy');
  const ncFile = join(dataDir, 'things', 'human_noise_ceiling_triplets.tsv');
  if (!existsSync(vice) || !existsSync(ncFile)) {
    console.log(JSON.stringify({ bench, skipped: `no THINGS data under ${dataDir} (set CONCEPTLAB_DATA)` }));
    process.exit(0);
  }
  return { root, dataDir, vice, gen: readNpyMatrix(vice), nc: readNoiseCeilingTsv(ncFile, { nObjects: THINGS_OBJECTS }).answered };
}

/** A percentage with two decimals. */
export const pct = (x) => Math.round(x * 10000) / 100;

/**
 * NC-triplet accuracy (ties at random, seed 0), dims, and the median over the generator's dims of the best Pearson r
 * with a dim of `emb` (a pruned embedding, objects × dims).
 */
export function embeddingQuality(emb, gen, nc) {
  const c = columnCorrelations(gen, emb);
  const best = [];
  for (let i = 0; i < c.rows; i++) {
    let m = -Infinity;
    for (let j = 0; j < c.cols; j++) if (c.data[i * c.cols + j] > m) m = c.data[i * c.cols + j];
    best.push(m);
  }
  return { ncAccuracyPercent: pct(evaluateTriplets(emb, nc, { seed: 0 }).accuracy), dims: emb.cols, medianBestMatchR: Math.round(median(Float64Array.from(best)) * 1000) / 1000 };
}
