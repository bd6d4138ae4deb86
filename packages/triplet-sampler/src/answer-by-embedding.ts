import { InvalidArgumentError, type Triplets } from '@conceptlab/core';
import { checkObjectMatrix, checkTemperature, rowDot, softmax3, type ObjectMatrix } from './choice-probabilities.js';
import { argmax3, writeAnswer } from './pick-pair.js';
import { rowLabel } from './row-label.js';
import { resolveRng, type SeedOrRng } from './seed.js';
import { checkTripletsAgainstRows } from './validate.js';

export interface AnswerByEmbeddingOptions {
  readonly seed: SeedOrRng;
  /** Softmax temperature T > 0 (default 1). Ignored with `argmax`. */
  readonly temperature?: number;
  /** Always keep the most similar pair (ties at random) instead of sampling. Default false. */
  readonly argmax?: boolean;
}

/**
 * Simulated observer with the SPoSE choice rule: for each presented set (x, y, z) the kept pair is drawn
 * with p(pair) = softmax(s/T) over the three pair similarities s = dot products of embedding rows
 * (see {@link choiceProbabilities}); with `argmax` the most similar pair is kept (exact ties at random).
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
  const argmax = options.argmax ?? false;
  const temperature = argmax ? 1 : checkTemperature(options.temperature ?? 1);
  const d = sets.data;
  const out = new Int32Array(d.length);
  const p = new Float64Array(3);
  for (let t = 0; t < sets.count; t++) {
    const o = 3 * t;
    const x = d[o], y = d[o + 1], z = d[o + 2];
    const sxy = rowDot(embedding, x, y), sxz = rowDot(embedding, x, z), syz = rowDot(embedding, y, z);
    if (!Number.isFinite(sxy + sxz + syz)) {
      throw new InvalidArgumentError(`sets ${rowLabel(t)}`, 'finite similarities (check the embedding for NaN/Infinity)', `${sxy}, ${sxz}, ${syz}`);
    }
    let pair: number;
    if (argmax) {
      pair = argmax3(sxy, sxz, syz, rng);
    } else {
      softmax3(sxy, sxz, syz, temperature, p);
      const u = rng.nextFloat();
      pair = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
    }
    writeAnswer(out, o, x, y, z, pair);
  }
  return { count: sets.count, data: out };
}
