import { join } from 'node:path';
import { readNoiseCeilingTsv, readNpyMatrix, type Matrix, type ProgressListener } from '@conceptlab/core';
import { compareRdms, rdmFromSimilarity } from '@conceptlab/neuro-rsa';
import { columnCorrelations, evaluateTriplets, fitSeeds, mergeRuns, predictedSimilarity, writeEmbedding } from '@conceptlab/spose-embed';
import { answerByEmbedding, sampleUniform, splitTriplets } from '@conceptlab/triplet-sampler';
import { checkAtLeast, type Check } from '../check.js';
import type { ReproScale } from '../scale.js';

/** What steps 3 and 4 measured. */
export interface SimulatedLlmResult {
  readonly scale: ReproScale;
  readonly train: number;
  readonly validation: number;
  /** Odd-one-out accuracy (%) on the real human noise-ceiling triplets. */
  readonly accuracy: { readonly generating: number; readonly merged: number; readonly seeds: readonly number[] };
  readonly dims: { readonly generating: number; readonly merged: number; readonly seeds: readonly number[] };
  /** Per generating dim, the largest Pearson r with a merged dim; and their median. */
  readonly recovery: { readonly median: number; readonly perDim: readonly number[] };
  /** Pearson r between the merged and the generating embedding's predicted similarity (upper triangles). */
  readonly similarityRsa: number;
  readonly seconds: { readonly fit: number; readonly similarity: number };
  readonly checks: Check[];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Steps 3–4: LLM-scale behaviour without an API. A simulated observer — the human VICE embedding
 * (1,854 × 42) under the SPoSE choice rule (T = 1) — answers a THINGS-sized uniform triplet set; SPoSE with
 * the paper's settings (100 dims, λ 0.008, batch 100, lr 0.001; epochs scaled to the budget) is fitted with
 * several seeds and merged with the paper's procedure; the merged embedding is scored on the real human
 * noise-ceiling triplets against the generating embedding and the noise ceiling, its dims are matched to the
 * generating dims, and its predicted 1,854 × 1,854 similarity is compared with the generating one's.
 */
export async function simulatedLlm(dataDir: string, outDir: string, scale: ReproScale, onProgress?: ProgressListener): Promise<SimulatedLlmResult> {
  const generating = readNpyMatrix(join(dataDir, 'things', 'human_embedding_vice42.npy'));
  const n = generating.rows;
  const sets = sampleUniform({ nObjects: n, count: scale.triplets, seed: 1 });
  const split = splitTriplets(sets, { fractions: { train: 0.9, validation: 0.1 }, seed: 1 });
  const train = answerByEmbedding(split.train, generating, { seed: 2 });
  const validation = answerByEmbedding(split.validation, generating, { seed: 3 });

  const t0 = performance.now();
  const runs = await fitSeeds({
    train,
    validation,
    hyper: { nObjects: n, dims: 100, lambda: 0.008 },
    seeds: scale.seeds,
    epochs: scale.epochs,
    batchSize: 100,
    threads: scale.threads,
    outDir: join(outDir, 'fit'),
    resume: true,
    checkpointEvery: Math.max(1, Math.ceil(scale.epochs / 5)),
    onProgress,
  });
  const fitSeconds = (performance.now() - t0) / 1000;
  const merged = mergeRuns(runs.map((r) => r.embedding), { top: 66 });
  writeEmbedding(join(outDir, 'merged-embedding'), merged.embedding);

  const nc = readNoiseCeilingTsv(join(dataDir, 'things', 'human_noise_ceiling_triplets.tsv'), { nObjects: n }).answered;
  const acc = (e: Matrix<Float32Array | Float64Array>) => 100 * evaluateTriplets(e, nc, { seed: 0 }).accuracy;
  const accuracy = { generating: acc(generating), merged: acc(merged.embedding), seeds: runs.map((r) => acc(r.embedding)) };

  const corr = columnCorrelations(generating, merged.embedding);
  const perDim = Array.from({ length: corr.rows }, (_, i) => {
    let best = -Infinity;
    for (let j = 0; j < corr.cols; j++) best = Math.max(best, corr.data[i * corr.cols + j]!);
    return best;
  });

  const t1 = performance.now();
  const sGen = predictedSimilarity(generating);
  const sMerged = predictedSimilarity(merged.embedding);
  const similarityRsa = compareRdms(rdmFromSimilarity(sMerged), rdmFromSimilarity(sGen), 'corr');
  const similaritySeconds = (performance.now() - t1) / 1000;

  const result = {
    scale,
    train: train.count,
    validation: validation.count,
    accuracy,
    dims: { generating: generating.cols, merged: merged.embedding.cols, seeds: runs.map((r) => r.embedding.cols) },
    recovery: { median: median(perDim), perDim },
    similarityRsa,
    seconds: { fit: fitSeconds, similarity: similaritySeconds },
  };
  return {
    ...result,
    checks: [
      checkAtLeast('merged SPoSE accuracy on the human noise-ceiling triplets (%)', accuracy.merged, accuracy.generating, scale.accuracyTolerance, `the generating embedding's accuracy on the same triplets, ${scale.name} scale`),
      checkAtLeast('median best r of the generating dims with the merged dims', result.recovery.median, scale.minRecovery, 0, `recovery bound, ${scale.name} scale`),
      checkAtLeast('RSA (Pearson r) of merged vs generating predicted similarity, 1,854 objects', similarityRsa, scale.minSimilarityRsa, 0, `recovery bound, ${scale.name} scale`),
    ],
  };
}
