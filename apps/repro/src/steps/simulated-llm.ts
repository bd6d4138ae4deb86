import { join } from 'node:path';
import { readNoiseCeilingTsv, readNpyMatrix, type Matrix, type ProgressListener } from '@conceptlab/core';
import { columnCorrelations, median, pearson } from '@conceptlab/core/stats';
import { evaluateTriplets, fitSeeds, mergeRuns, predictedSimilarity, writeEmbedding } from '@conceptlab/spose-embed';
import { answerByEmbedding, sampleUniform, splitTriplets } from '@conceptlab/triplet-sampler';
import { checkAtLeast, checkClose, type Check } from '../check.js';
import { reproReference, similaritySubset, upperTriangleByColumn } from '../reference.js';
import type { ReproScale } from '../scale.js';

/** What steps 3 and 4 measured. */
export interface SimulatedLlmResult {
  readonly scale: ReproScale;
  readonly train: number;
  readonly validation: number;
  /** Odd-one-out accuracy (%) on the real human noise-ceiling triplets. */
  readonly accuracy: { readonly generating: number; readonly merged: number; readonly seeds: readonly number[] };
  readonly dims: { readonly generating: number; readonly merged: number; readonly seeds: readonly number[] };
  /** The merge: columns pooled from the seeds, left after pruning, and kept by reproducibility (top k). */
  readonly merge: { readonly pooled: number; readonly afterPruning: number; readonly top: number; readonly kept: number };
  /** Per generating dim, the largest Pearson r with a merged dim; and their median. */
  readonly recovery: { readonly median: number; readonly perDim: readonly number[] };
  /**
   * Pearson r between the merged embedding's predicted similarity and the generating embedding's, computed by
   * numpy (reference/repro_reference.py), over the pairs of a fixed subset of objects (every 19th: 98 objects,
   * 4,753 pairs; context all 1,854 objects).
   */
  readonly similarityRsa: number;
  /** Largest |difference| between conceptlab's predicted similarity of the generating embedding and numpy's, on that subset. */
  readonly similarityMaxDiff: number;
  readonly seconds: { readonly fit: number; readonly similarity: number };
  readonly checks: Check[];
}

/**
 * Steps 3–4: LLM-scale behaviour without an API. A simulated observer — the human VICE embedding
 * (1,854 × 42) under the SPoSE choice rule (T = 1) — answers a THINGS-sized uniform triplet set; SPoSE with
 * the paper's settings (100 dims, λ 0.008, batch 100, lr 0.001; epochs scaled to the budget) is fitted with
 * several seeds and merged with the paper's procedure; the merged embedding is scored on the real human
 * noise-ceiling triplets against the generating embedding and the noise ceiling, its dims are matched to the
 * generating dims, and its predicted similarity is compared with the generating one's.
 * Every reference is computed outside conceptlab (numpy, reference/repro_reference.py) or is a fixed bound:
 * the generating embedding's accuracy and predicted similarity come from numpy, and conceptlab's own
 * computation of them is checked against numpy first.
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
  const merged = mergeRuns(runs.map((r) => r.embedding), { top: scale.top });
  writeEmbedding(join(outDir, 'merged-embedding'), merged.embedding);

  const ref = reproReference();
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
  const subset = similaritySubset(n, ref.similarity_subset.step);
  const numpySim = ref.similarity_subset.values;
  const ours = (e: Matrix<Float32Array | Float64Array>) => upperTriangleByColumn(predictedSimilarity(e, { objects: subset }));
  const genSim = ours(generating);
  let similarityMaxDiff = genSim.length === numpySim.length ? 0 : Infinity;
  for (let t = 0; t < genSim.length; t++) similarityMaxDiff = Math.max(similarityMaxDiff, Math.abs(genSim[t]! - numpySim[t]!));
  const similarityRsa = pearson(ours(merged.embedding), numpySim);
  const similaritySeconds = (performance.now() - t1) / 1000;

  const result = {
    scale,
    train: train.count,
    validation: validation.count,
    accuracy,
    dims: { generating: generating.cols, merged: merged.embedding.cols, seeds: runs.map((r) => r.embedding.cols) },
    merge: { pooled: merged.pooled, afterPruning: merged.afterPruning, top: scale.top, kept: merged.embedding.cols },
    recovery: { median: median(perDim), perDim },
    similarityRsa,
    similarityMaxDiff,
    seconds: { fit: fitSeconds, similarity: similaritySeconds },
  };
  return {
    ...result,
    checks: [
      checkClose('generating embedding: accuracy on the human noise-ceiling triplets (%)', accuracy.generating, ref.nc_accuracy.percent, 1e-9, `numpy (reference/repro_reference.py): ${ref.nc_accuracy.correct} of ${ref.nc_accuracy.count}`),
      checkClose('generating embedding: predicted similarity, max |conceptlab − numpy| over 4,753 pairs', similarityMaxDiff, 0, 1e-12, 'numpy (reference/repro_reference.py), context all 1,854 objects'),
      checkAtLeast('merged SPoSE accuracy on the human noise-ceiling triplets (%)', accuracy.merged, ref.nc_accuracy.percent, scale.accuracyTolerance, `numpy: the generating embedding's ${ref.nc_accuracy.percent.toFixed(3)}%, minus the ${scale.name}-scale tolerance`, true),
      checkAtLeast('merge: dims left after pruning exceed the top k (the top-k selection selects)', merged.afterPruning, scale.top + 1, 0, `top k = ${scale.top} at the ${scale.name} scale`, true),
      checkAtLeast('median best r of the generating dims with the merged dims', result.recovery.median, scale.minRecovery, 0, `recovery bound, ${scale.name} scale`, true),
      checkAtLeast('Pearson r of merged vs generating predicted similarity (98 objects, 4,753 pairs)', similarityRsa, scale.minSimilarityRsa, 0, `the generating similarity computed by numpy; bound for the ${scale.name} scale`, true),
    ],
  };
}
