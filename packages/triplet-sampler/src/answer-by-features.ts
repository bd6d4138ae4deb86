import { InvalidArgumentError, type Triplets } from '@conceptlab/core';
import { checkObjectMatrix, rowDot, type ObjectMatrix } from './choice-probabilities.js';
import { argmax3, writeAnswer } from './pick-pair.js';
import { rowLabel } from './row-label.js';
import { resolveRng, type SeedOrRng } from './seed.js';
import { checkTripletsAgainstRows } from './validate.js';

export interface AnswerByFeaturesOptions {
  /** Breaks exact ties between pairs. */
  readonly seed: SeedOrRng;
}

/**
 * Simulated observer on raw features (e.g. a model's image or text embedding): the pair with the highest
 * cosine similarity is kept and the third object is the odd one out; exact ties at random.
 *
 * Returns answered triplets: the kept pair in presentation order, then the odd one out.
 *
 * @throws ShapeError naming the row for an object without a feature row; InvalidArgumentError for a
 *   zero (or non-finite) feature vector, naming the object and the row.
 */
export function answerByFeatures(sets: Triplets, features: ObjectMatrix, options: AnswerByFeaturesOptions): Triplets {
  checkObjectMatrix('features', features);
  checkTripletsAgainstRows('sets', sets, features.rows, 'features');
  const rng = resolveRng(options.seed);
  const norms = new Float64Array(features.rows).fill(-1); // −1: not computed yet
  const norm = (x: number, t: number): number => {
    let v = norms[x];
    if (v < 0) {
      v = Math.sqrt(rowDot(features, x, x));
      if (!(v > 0) || !Number.isFinite(v)) {
        throw new InvalidArgumentError(`features row ${x}`, `a non-zero, finite vector (object ${x} is in sets ${rowLabel(t)})`, v);
      }
      norms[x] = v;
    }
    return v;
  };
  const d = sets.data;
  const out = new Int32Array(d.length);
  for (let t = 0; t < sets.count; t++) {
    const o = 3 * t;
    const x = d[o], y = d[o + 1], z = d[o + 2];
    const nx = norm(x, t), ny = norm(y, t), nz = norm(z, t);
    const cxy = rowDot(features, x, y) / (nx * ny);
    const cxz = rowDot(features, x, z) / (nx * nz);
    const cyz = rowDot(features, y, z) / (ny * nz);
    writeAnswer(out, o, x, y, z, argmax3(cxy, cxz, cyz, rng));
  }
  return { count: sets.count, data: out };
}
