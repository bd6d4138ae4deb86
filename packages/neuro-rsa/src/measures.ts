import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { rdmLength, type Rdm } from './rdm.js';

/** Dissimilarity measures of {@link computeRdm}. */
export type RdmMethod = 'euclidean' | 'correlation' | 'cosine';

/**
 * The RDM of a conditions × channels pattern matrix (rsatoolbox's `calc_rdm`, one pattern per row).
 *
 * - `'euclidean'`: squared Euclidean distance divided by the number of channels, as rsatoolbox's
 *   `calc_rdm_euclidean` (`_extract_triu_(rdm) / measurements.shape[1]`).
 * - `'correlation'`: 1 − Pearson r between the two condition patterns (rsatoolbox's
 *   `calc_rdm_correlation`). A constant pattern gives NaN.
 * - `'cosine'`: 1 − cosine similarity between the two patterns (scipy's `pdist(…, 'cosine')`;
 *   rsatoolbox's `calc_rdm` has no cosine measure). A zero pattern gives NaN.
 */
export function computeRdm(patterns: Matrix<NumericArray>, method: RdmMethod): Rdm {
  const { rows: n, cols: p, data } = patterns;
  if (data.length !== n * p) throw new ShapeError(`patterns data has ${data.length} elements, expected ${n}×${p}`);
  if (n < 2) throw new ShapeError(`patterns must have at least 2 conditions (rows), got ${n}`);
  if (p < 1) throw new ShapeError(`patterns must have at least 1 channel (column), got ${p}`);
  // Work on a copy: centred rows for correlation, raw rows otherwise.
  const x = Float64Array.from(data);
  if (method === 'correlation') {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += x[i * p + c]!;
      const mean = s / p;
      for (let c = 0; c < p; c++) x[i * p + c]! -= mean;
    }
  } else if (method !== 'euclidean' && method !== 'cosine') {
    throw new InvalidArgumentError('method', "'euclidean', 'correlation' or 'cosine'", method);
  }
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < p; c++) s += x[i * p + c]! ** 2;
    norms[i] = Math.sqrt(s);
  }
  const vector = new Float64Array(rdmLength(n));
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (method === 'euclidean') {
        let s = 0;
        for (let c = 0; c < p; c++) {
          const d = x[i * p + c]! - x[j * p + c]!;
          s += d * d;
        }
        vector[k++] = s / p;
      } else {
        let dot = 0;
        for (let c = 0; c < p; c++) dot += x[i * p + c]! * x[j * p + c]!;
        const denom = norms[i]! * norms[j]!;
        vector[k++] = denom > 0 ? 1 - dot / denom : Number.NaN;
      }
    }
  }
  return { n, vector };
}
