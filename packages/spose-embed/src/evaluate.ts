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
  /**
   * Per-triplet predicted pair after tie-breaks: 0 = (first, second) (correct), 1 = (first, third),
   * 2 = (second, third) — the authors' `pred` − 1, for the chance level (accuracyChance).
   */
  readonly predicted: Uint8Array;
}

/**
 * Odd-one-out accuracy and cross-entropy of an embedding on answered triplets (odd one out last).
 * The predicted pair is the one with the largest similarity; exact ties are broken uniformly at random
 * with the seed (createRng(seed, 0)), as the authors' figure 2h script: one draw among the tied positions
 * whenever the maximum is tied (whether or not the answered pair is among them), none otherwise. The
 * accuracy is reproducible for a seed (MATLAB's `randi` stream itself is not reproduced).
 * For its CIs see {@link accuracyCi}; for the chance level {@link accuracyChance}.
 *
 * @throws InvalidArgumentError for no triplets or a bad temperature; ShapeError for an index outside the embedding.
 */
export function evaluateTriplets(embedding: Matrix<Float32Array | Float64Array>, triplets: Triplets, options: EvaluateOptions = {}): Evaluation {
  const T = options.temperature ?? 1;
  const kind = options.similarity ?? 'dot';
  if (!(T > 0)) throw new InvalidArgumentError('temperature', 'a positive number', T);
  const n = embedding.rows, D = embedding.cols, w = embedding.data;
  const d = triplets.data;
  const rng = createRng(options.seed ?? 0);
  if (triplets.count === 0) throw new InvalidArgumentError('triplets', 'at least one triplet', 0);
  const correct = new Uint8Array(triplets.count);
  const predicted = new Uint8Array(triplets.count);
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
    const ties = (sij === m ? 1 : 0) + (sik === m ? 1 : 0) + (sjk === m ? 1 : 0);
    let pred: number;
    if (ties === 1) {
      pred = sij === m ? 0 : sik === m ? 1 : 2;
    } else {
      // The draw-th tied position, in the order (ij, ik, jk).
      let draw = rng.nextInt(ties);
      pred = -1;
      for (const [pos, s] of [[0, sij], [1, sik], [2, sjk]] as const) {
        if (s === m && draw-- === 0) {
          pred = pos;
          break;
        }
      }
    }
    predicted[t] = pred;
    const ok = pred === 0 ? 1 : 0;
    correct[t] = ok;
    hits += ok;
  }
  const count = triplets.count;
  return { accuracy: hits / count, crossEntropy: ce / count, count, correct, predicted };
}
