import { InvalidArgumentError, type Triplets } from '@conceptlab/core';
import { checkObjectMatrix, rowDot, type ObjectMatrix } from './choice-probabilities.js';
import { answerRows, oddOneOut, type Observer } from './observer.js';
import { rowLabel } from './row-label.js';
import { resolveRng, type SeedOrRng } from './seed.js';
import { checkTripletsAgainstRows } from './validate.js';

export interface AnswerByFeaturesOptions {
  /** Breaks exact ties between pairs. */
  readonly seed: SeedOrRng;
}

/** Norms of the rows of `features`, computed when first asked for (−1: not yet). */
function lazyNorms(features: ObjectMatrix): (x: number) => number {
  const norms = new Float64Array(features.rows).fill(-1);
  return (x) => {
    let v = norms[x];
    if (v < 0) {
      v = Math.sqrt(rowDot(features, x, x));
      if (v > 0 && Number.isFinite(v)) norms[x] = v;
    }
    return v;
  };
}

const usable = (norm: number): boolean => norm > 0 && Number.isFinite(norm);

/**
 * The observer on raw features (e.g. a model's image or text embedding) as an {@link Observer}: the pair with
 * the highest cosine similarity is kept and the third object is the odd one out; exact ties at random.
 * Named `features(cosine)`.
 *
 * @throws InvalidArgumentError from `choose`, for indices outside the features or a zero (or non-finite)
 *   feature vector.
 */
export function featureObserver(features: ObjectMatrix): Observer {
  checkObjectMatrix('features', features);
  const rows = features.rows;
  const norm = lazyNorms(features);
  return {
    name: 'features(cosine)',
    objects: rows,
    choose(objects, rng) {
      for (const v of objects) {
        if (!Number.isInteger(v) || v < 0 || v >= rows) throw new InvalidArgumentError('objects', `indices in [0, ${rows - 1}]`, v);
        if (!usable(norm(v))) throw new InvalidArgumentError('objects', `a non-zero, finite feature vector for object ${v}`, norm(v));
      }
      const [x, y, z] = objects;
      const nx = norm(x), ny = norm(y), nz = norm(z);
      const cxy = rowDot(features, x, y) / (nx * ny);
      const cxz = rowDot(features, x, z) / (nx * nz);
      const cyz = rowDot(features, y, z) / (ny * nz);
      return oddOneOut(cxy, cxz, cyz, rng);
    },
  };
}

/**
 * Simulated observer on raw features ({@link featureObserver}) answering every presented set.
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
  // Name the first zero vector by its object and row before answering (the observer names only the object).
  const norm = lazyNorms(features);
  const d = sets.data;
  for (let t = 0; t < sets.count; t++) {
    for (let k = 0; k < 3; k++) {
      const x = d[3 * t + k];
      const v = norm(x);
      if (!usable(v)) throw new InvalidArgumentError(`features row ${x}`, `a non-zero, finite vector (object ${x} is in sets ${rowLabel(t)})`, v);
    }
  }
  return answerRows(sets, featureObserver(features), rng);
}
