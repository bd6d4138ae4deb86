import { createMatrix, InvalidArgumentError, type Matrix, type Triplets } from '@conceptlab/core';
import { checkInteger, checkTriplets } from './validate.js';

/**
 * What a pair never shown together gets: `zero` (the authors' scripts,
 * get_measured_similarity_matrix_from_full_sampling_of_48_objects_*.py: 0) or `nan` (marks the pair as
 * unmeasured, so a comparison can leave it out).
 */
export type UnmeasuredPairs = 'zero' | 'nan';

export interface MeasuredSimilarityOptions {
  /** Restrict to these objects (distinct indices); row/column r of the result is objects[r]. */
  readonly objects?: Int32Array | readonly number[];
  /** Value of pairs never shown together (default `zero`, as the authors). */
  readonly unmeasured?: UnmeasuredPairs;
}

export interface MeasuredSimilarity {
  /**
   * S_ij = (sets in which i and j were kept as the pair) / (sets holding both i and j);
   * 0 (or NaN with `unmeasured: 'nan'`) for pairs never shown together; 1 on the diagonal. Symmetric.
   */
  readonly similarity: Matrix<Float64Array>;
  /** How pairs never shown together were filled (the method used). */
  readonly unmeasured: UnmeasuredPairs;
  /** Off-diagonal pairs (i < j) never shown together. */
  readonly unmeasuredPairs: number;
  /** Off the diagonal: sets holding both i and j. On the diagonal: sets holding i. Symmetric. */
  readonly counts: Matrix<Float64Array>;
}

/**
 * The behavioural similarity matrix of answered triplets (the "measured" similarity of Hebart et al.
 * 2020): the probability that i and j stay together, estimated over the sets that held both.
 * Sets that hold only one of the selected objects add to nothing off the diagonal. As the authors'
 * script: each row adds 1 to the kept pair's count and 1 to the co-occurrence of all three pairs; a pair
 * never shown together is 0 by default (`unmeasured: 'nan'` marks it NaN instead); the diagonal is 1.
 *
 * @throws InvalidArgumentError for rows outside [0, nObjects) or a bad `objects` list.
 */
export function measuredSimilarity(answered: Triplets, nObjects: number, options: MeasuredSimilarityOptions = {}): MeasuredSimilarity {
  // An Int32Array of one slot per object, at most 2^31 − 1 long.
  const n = checkInteger('nObjects', nObjects, 1, 2 ** 31 - 1);
  const unmeasured = options.unmeasured ?? 'zero';
  if (unmeasured !== 'zero' && unmeasured !== 'nan') throw new InvalidArgumentError('unmeasured', "'zero' or 'nan'", unmeasured);
  const fill = unmeasured === 'zero' ? 0 : NaN;
  checkTriplets('answered', answered, n);
  const slot = new Int32Array(n).fill(-1);
  let m = n;
  if (options.objects === undefined) {
    for (let i = 0; i < n; i++) slot[i] = i;
  } else {
    const objs = options.objects;
    m = objs.length;
    for (let r = 0; r < m; r++) {
      const x = objs[r];
      if (!Number.isInteger(x) || x < 0 || x >= n) throw new InvalidArgumentError(`objects[${r}]`, `an object index in [0, ${n - 1}]`, x);
      if (slot[x] !== -1) throw new InvalidArgumentError(`objects[${r}]`, 'distinct object indices', `${x} again`);
      slot[x] = r;
    }
  }
  const kept = new Float64Array(m * m);
  const counts = createMatrix(m, m);
  const c = counts.data;
  const d = answered.data;
  for (let t = 0; t < answered.count; t++) {
    const i = slot[d[3 * t]], j = slot[d[3 * t + 1]], k = slot[d[3 * t + 2]];
    if (i >= 0) c[i * m + i]++;
    if (j >= 0) c[j * m + j]++;
    if (k >= 0) c[k * m + k]++;
    if (i >= 0 && j >= 0) {
      c[i * m + j]++; c[j * m + i]++;
      kept[i * m + j]++; kept[j * m + i]++;
    }
    if (i >= 0 && k >= 0) { c[i * m + k]++; c[k * m + i]++; }
    if (j >= 0 && k >= 0) { c[j * m + k]++; c[k * m + j]++; }
  }
  const similarity = createMatrix(m, m);
  const s = similarity.data;
  let never = 0;
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < m; q++) {
      const idx = p * m + q;
      s[idx] = p === q ? 1 : c[idx] > 0 ? kept[idx] / c[idx] : fill;
      if (p < q && !(c[idx] > 0)) never++;
    }
  }
  return { similarity, counts, unmeasured, unmeasuredPairs: never };
}
