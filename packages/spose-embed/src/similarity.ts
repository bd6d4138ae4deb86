import { isSquaredEuclidean, type SimilarityKind } from './config.js';

/**
 * Similarity of rows a and b (offsets into `w`, length `dims`): the dot product, minus the Euclidean distance
 * (`euclidean-distance`, the SPoSE reference's), or minus the squared distance (`euclidean-squared`).
 */
export function rowSimilarity(w: ArrayLike<number>, a: number, b: number, dims: number, kind: SimilarityKind): number {
  let s = 0;
  if (kind === 'dot') {
    for (let d = 0; d < dims; d++) s += w[a + d] * w[b + d];
    return s;
  }
  for (let d = 0; d < dims; d++) {
    const x = w[a + d] - w[b + d];
    s += x * x;
  }
  return isSquaredEuclidean(kind) ? -s : -Math.sqrt(s);
}
