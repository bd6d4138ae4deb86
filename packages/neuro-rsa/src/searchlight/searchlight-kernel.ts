/**
 * The per-centre work of a searchlight, shared by the in-thread path and the worker threads so both give
 * bit-identical values. Not part of the public API.
 */
import { compareVectors, type CompareMethod } from '../inference/compare.js';
import { computeRdm, type RdmMethod } from '../rdm/measures.js';

/** Everything needed to score a range of searchlight centres (structured-cloneable). */
export interface SearchlightJob {
  /** The 4-D data in NIfTI order: condition c's value at voxel v is `data[c·voxels + v]`. */
  readonly data: Float32Array | Float64Array;
  /** Voxels per volume (X·Y·Z). */
  readonly voxels: number;
  /** Conditions (volumes). */
  readonly conditions: number;
  /** CSR offsets into `members`: centre m's voxels are `members[start[m] … start[m+1])`. */
  readonly start: Int32Array;
  /** Linear voxel indices of every centre's neighbourhood. */
  readonly members: Int32Array;
  /** The model RDM vectors (each of length conditions·(conditions−1)/2). */
  readonly models: readonly Float64Array[];
  readonly measure: RdmMethod;
  readonly method: CompareMethod;
}

/**
 * Scores of centres [from, to): a (to − from) × models block, row-major, value (m, k) =
 * compare(RDM of centre m's patterns, model k).
 */
export function evaluateSearchlights(job: SearchlightJob, from: number, to: number): Float64Array {
  const { data, voxels, conditions: n, start, members, models, measure, method } = job;
  const k = models.length;
  const out = new Float64Array((to - from) * k);
  for (let m = from; m < to; m++) {
    const a = start[m]!, b = start[m + 1]!;
    const p = b - a;
    const patterns = new Float64Array(n * p);
    for (let c = 0; c < n; c++) {
      const base = c * voxels;
      const row = c * p;
      for (let s = 0; s < p; s++) patterns[row + s] = data[base + members[a + s]!]!;
    }
    const rdm = computeRdm({ rows: n, cols: p, data: patterns }, measure);
    for (let q = 0; q < k; q++) out[(m - from) * k + q] = compareVectors(rdm.vector, models[q]!, method);
  }
  return out;
}
