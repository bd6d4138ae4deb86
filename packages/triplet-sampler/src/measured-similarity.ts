import { createMatrix, InvalidArgumentError, type Matrix, type Triplets } from '@conceptlab/core';
import { checkInteger, checkTriplets } from './validate.js';

export interface MeasuredSimilarityOptions {
  /** Restrict to these objects (distinct indices); row/column r of the result is objects[r]. */
  readonly objects?: Int32Array | readonly number[];
}

export interface MeasuredSimilarity {
  /**
   * S_ij = (sets in which i and j were kept as the pair) / (sets holding both i and j);
   * NaN for pairs never shown together; 1 on the diagonal. Symmetric.
   */
  readonly similarity: Matrix<Float64Array>;
  /** Off the diagonal: sets holding both i and j. On the diagonal: sets holding i. Symmetric. */
  readonly counts: Matrix<Float64Array>;
}

/**
 * The behavioural similarity matrix of answered triplets (the "measured" similarity of Hebart et al.
 * 2020): the probability that i and j stay together, estimated over the sets that held both.
 * Sets that hold only one of the selected objects add to nothing off the diagonal.
 *
 * @throws InvalidArgumentError for rows outside [0, nObjects) or a bad `objects` list.
 */
export function measuredSimilarity(answered: Triplets, nObjects: number, options: MeasuredSimilarityOptions = {}): MeasuredSimilarity {
  const n = checkInteger('nObjects', nObjects, 1);
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
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < m; q++) {
      const idx = p * m + q;
      s[idx] = p === q ? 1 : c[idx] > 0 ? kept[idx] / c[idx] : NaN;
    }
  }
  return { similarity, counts };
}
