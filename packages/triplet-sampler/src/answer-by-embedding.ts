import { InvalidArgumentError, type Triplets } from '@conceptlab/core';
import { checkObjectMatrix, checkTemperature, rowDot, type ObjectMatrix } from './choice-probabilities.js';
import { answerRows, oddOneOut, type Observer } from './observer.js';
import { resolveRng, type SeedOrRng } from './seed.js';
import { checkTripletsAgainstRows } from './validate.js';

export interface EmbeddingObserverOptions {
  /** Softmax temperature T > 0 (default 1). Ignored with `argmax`. */
  readonly temperature?: number;
  /** Always keep the most similar pair (ties at random) instead of sampling. Default false. */
  readonly argmax?: boolean;
}

export interface AnswerByEmbeddingOptions extends EmbeddingObserverOptions {
  readonly seed: SeedOrRng;
}

/**
 * The SPoSE choice rule as an {@link Observer}: for a presented triplet (x, y, z) the kept pair is drawn with
 * p(pair) = softmax(s/T) over the three pair similarities s = dot products of embedding rows (see
 * {@link choiceProbabilities}); with `argmax` the most similar pair is kept (exact ties at random). One uniform
 * double per choice when sampling (none with argmax, except to break ties). Named `sim(T=…)` or `sim(argmax)`.
 *
 * @throws InvalidArgumentError for a bad temperature; from `choose`, for indices outside the embedding or
 *   non-finite similarities.
 */
export function embeddingObserver(embedding: ObjectMatrix, options: EmbeddingObserverOptions = {}): Observer {
  checkObjectMatrix('embedding', embedding);
  const argmax = options.argmax ?? false;
  const temperature = argmax ? undefined : checkTemperature(options.temperature ?? 1);
  const rows = embedding.rows;
  return {
    name: argmax ? 'sim(argmax)' : `sim(T=${temperature})`,
    objects: rows,
    choose(objects, rng) {
      for (const v of objects) {
        if (!Number.isInteger(v) || v < 0 || v >= rows) throw new InvalidArgumentError('objects', `indices in [0, ${rows - 1}]`, v);
      }
      const [x, y, z] = objects;
      const sxy = rowDot(embedding, x, y), sxz = rowDot(embedding, x, z), syz = rowDot(embedding, y, z);
      if (!Number.isFinite(sxy + sxz + syz)) {
        throw new InvalidArgumentError('objects', 'finite similarities (check the embedding for NaN/Infinity)', `${sxy}, ${sxz}, ${syz}`);
      }
      return oddOneOut(sxy, sxz, syz, rng, temperature);
    },
  };
}

/**
 * Simulated observer with the SPoSE choice rule ({@link embeddingObserver}) answering every presented set.
 *
 * Returns answered triplets: the kept pair in presentation order, then the odd one out.
 * Draws one uniform double per row when sampling (none with argmax, except to break ties).
 *
 * @throws ShapeError naming the row for an object without an embedding row; InvalidArgumentError for
 *   repeated or negative objects, a bad temperature, or non-finite similarities.
 */
export function answerByEmbedding(sets: Triplets, embedding: ObjectMatrix, options: AnswerByEmbeddingOptions): Triplets {
  checkObjectMatrix('embedding', embedding);
  checkTripletsAgainstRows('sets', sets, embedding.rows, 'embedding');
  const rng = resolveRng(options.seed);
  const observer = embeddingObserver(embedding, options);
  return answerRows(sets, observer, rng);
}
