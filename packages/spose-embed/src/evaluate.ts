import { createRng, InvalidArgumentError, ShapeError, type Matrix, type Triplets } from '@conceptlab/core';
import type { SimilarityKind } from './config.js';
import { rowSimilarity } from './similarity.js';

export interface EvaluateOptions {
  /** Seed for breaking ties between equally similar pairs at random (default 0). */
  readonly seed?: number;
  readonly temperature?: number;
  readonly similarity?: SimilarityKind;
}

export interface Evaluation {
  /** Share of triplets whose odd one out (last) is predicted: the first two objects have the largest similarity. */
  readonly accuracy: number;
  /** Mean −log p(first two are the pair) under the SPoSE choice rule. */
  readonly crossEntropy: number;
  readonly count: number;
  /** Per-triplet 1/0 correctness (after tie-breaks), for CIs over objects or triplets. */
  readonly correct: Uint8Array;
}

/**
 * Odd-one-out accuracy and cross-entropy of an embedding on answered triplets (odd one out last).
 * The predicted pair is the one with the largest similarity; exact ties are broken uniformly at random
 * with the seed (as the paper's evaluation), so accuracy is reproducible.
 */
export function evaluateTriplets(embedding: Matrix<Float32Array | Float64Array>, triplets: Triplets, options: EvaluateOptions = {}): Evaluation {
  const T = options.temperature ?? 1;
  const kind = options.similarity ?? 'dot';
  if (!(T > 0)) throw new InvalidArgumentError('temperature', 'a positive number', T);
  const n = embedding.rows, D = embedding.cols, w = embedding.data;
  const d = triplets.data;
  const rng = createRng(options.seed ?? 0);
  const correct = new Uint8Array(triplets.count);
  let ce = 0, hits = 0;
  for (let t = 0; t < triplets.count; t++) {
    const i = d[3 * t], j = d[3 * t + 1], k = d[3 * t + 2];
    if (i < 0 || j < 0 || k < 0 || i >= n || j >= n || k >= n) {
      throw new ShapeError(`triplet row ${t} holds an object index outside the embedding's ${n} rows: ${i} ${j} ${k}`);
    }
    const sij = rowSimilarity(w, i * D, j * D, D, kind);
    const sik = rowSimilarity(w, i * D, k * D, D, kind);
    const sjk = rowSimilarity(w, j * D, k * D, D, kind);
    const m = Math.max(sij, sik, sjk);
    const z = Math.exp((sij - m) / T) + Math.exp((sik - m) / T) + Math.exp((sjk - m) / T);
    ce += -((sij - m) / T - Math.log(z));
    let ok = 0;
    if (sij === m) {
      const ties = 1 + (sik === m ? 1 : 0) + (sjk === m ? 1 : 0);
      ok = ties === 1 || rng.nextInt(ties) === 0 ? 1 : 0;
    }
    correct[t] = ok;
    hits += ok;
  }
  const count = triplets.count;
  return { accuracy: count ? hits / count : NaN, crossEntropy: count ? ce / count : NaN, count, correct };
}
