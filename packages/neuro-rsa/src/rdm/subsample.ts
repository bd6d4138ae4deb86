import { rdmIndex, rdmLength, type Rdm } from './rdm.js';

/**
 * @internal rsatoolbox's `RDMs.subsample_pattern` for sorted condition picks: the dissimilarity vector
 * over the picked positions p < q (length n(n−1)/2 for n picks), NaN where the same condition was
 * picked twice (rsatoolbox fills the diagonal with NaN before indexing). Writes into `out`.
 */
export function subsampleVector(rdm: Rdm, picks: Int32Array, out: Float64Array): Float64Array {
  const n = picks.length;
  let k = 0;
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      out[k++] = picks[p] === picks[q] ? Number.NaN : rdm.vector[rdmIndex(rdm.n, picks[p]!, picks[q]!)]!;
    }
  }
  return out.length === rdmLength(n) ? out : out.subarray(0, rdmLength(n));
}

