import { InvalidArgumentError, type Matrix, type NumericArray } from '@conceptlab/core';
import { adaptedCorrespondenceMatrix, checkCorrespondenceInputs } from './adapted-matrix.js';
import { columnCorrelations } from '@conceptlab/core/stats';

/** Which shared-vs-unique procedure ran. */
export type SharedUniqueMethod = 'paper' | 'best-free';

export const SHARED_UNIQUE_METHODS: Readonly<Record<SharedUniqueMethod, string>> = {
  paper: 'paper: Cadapt (reorder + position-wise subtraction, no 0.4 threshold, no top-2); each reference dim in order takes the FIRST still-free position with Cadapt ≥ threshold; the position is then used as the model dim number (the authors\' index quirk)',
  'best-free': 'conceptlab best-free: raw Pearson r; each reference dim in order takes its BEST not-yet-taken model dim when r ≥ threshold',
};

/** A shared pair (0-based). For `paper`, `b` is the position used as a model dim number (the quirk); `bAtPosition` = si[position] is the model dim whose value was tested. */
export interface SharedPair {
  readonly a: number;
  readonly b: number;
  readonly value: number;
  readonly position?: number;
  readonly bAtPosition?: number;
}

/** Shared vs unique dimensions of two embeddings: the counts of the row patterns [1 1], [1 0], [0 1]. */
export interface SharedUnique {
  readonly method: SharedUniqueMethod;
  readonly description: string;
  readonly threshold: number;
  readonly pairs: SharedPair[];
  /** Reference dims without a partner ([1 0]). */
  readonly uniqueA: number[];
  /** Model dims left free ([0 1]); for `paper` these are dim numbers in the quirk's index space. */
  readonly uniqueB: number[];
  readonly counts: { readonly shared: number; readonly uniqueA: number; readonly uniqueB: number };
  readonly unequalDimsRule: string | null;
}

function checkThreshold(threshold: number): void {
  if (!Number.isFinite(threshold)) throw new InvalidArgumentError('threshold', 'a finite number', threshold);
}

/** for j = dims (ascending, the current list): the first j with row[j] ≥ threshold; positions beyond the row are skipped. */
function firstFree(row: readonly number[], dims: readonly number[], threshold: number): number {
  for (const j of dims) if (j < row.length && row[j] >= threshold) return j;
  return -1;
}

/**
 * Shared vs unique dimensions, two-way, the authors' way (draw_figure5e_shared_vs_unique_dims.m restricted to
 * a reference A and a model B; item 2 of authors-procedures.md): AB = Cadapt without threshold or top-2;
 * for each reference dim i in order, scan the still-free list of B (ascending) and take the FIRST j with
 * AB(i, j) ≥ threshold (default 0.2); j (a position in the reordered matrix) is removed from the list as if it
 * were a B dim number. Rows [R_A; R_B] with matched B rows blanked → counts of [1 1], [1 0], [0 1].
 * Unequal dims: AB has min(dA, dB) positions; list entries beyond them are never matched.
 *
 * @throws as {@link adaptedCorrespondenceMatrix}; InvalidArgumentError for a non-finite threshold.
 */
export function sharedUniquePaper(reference: Matrix<NumericArray>, model: Matrix<NumericArray>, options: { threshold?: number } = {}): SharedUnique {
  const threshold = options.threshold ?? 0.2;
  checkThreshold(threshold);
  const m = adaptedCorrespondenceMatrix(reference, model);
  const dims = Array.from({ length: model.cols }, (_, j) => j);
  const pairs: SharedPair[] = [];
  const uniqueA: number[] = [];
  m.adapted.forEach((row, i) => {
    const j = firstFree(row, dims, threshold);
    if (j < 0) { uniqueA.push(i); return; }
    dims.splice(dims.indexOf(j), 1);
    pairs.push({ a: i, b: j, position: j, bAtPosition: m.si[j], value: row[j] });
  });
  return {
    method: 'paper', description: SHARED_UNIQUE_METHODS.paper, threshold, pairs, uniqueA, uniqueB: dims,
    counts: { shared: pairs.length, uniqueA: uniqueA.length, uniqueB: dims.length }, unequalDimsRule: m.unequalDimsRule,
  };
}

/**
 * Shared vs unique dimensions, conceptlab's earlier rule (`best-free`): on the raw Pearson r, reference dims in
 * order each take their best not-yet-taken model dim when r ≥ threshold (default 0.2).
 *
 * @throws as {@link checkCorrespondenceInputs}; InvalidArgumentError for a non-finite threshold.
 */
export function sharedUniqueBestFree(reference: Matrix<NumericArray>, model: Matrix<NumericArray>, options: { threshold?: number } = {}): SharedUnique {
  const threshold = options.threshold ?? 0.2;
  checkThreshold(threshold);
  checkCorrespondenceInputs(reference, model);
  const B = model.cols;
  const c = columnCorrelations(reference, model).data;
  const taken = new Uint8Array(B);
  const pairs: SharedPair[] = [];
  const uniqueA: number[] = [];
  for (let i = 0; i < reference.cols; i++) {
    let best = -1, bv = -Infinity;
    for (let j = 0; j < B; j++) if (!taken[j] && c[i * B + j] > bv) { bv = c[i * B + j]; best = j; }
    if (best >= 0 && bv >= threshold) { taken[best] = 1; pairs.push({ a: i, b: best, value: bv }); } else uniqueA.push(i);
  }
  const uniqueB = Array.from({ length: B }, (_, j) => j).filter((j) => !taken[j]);
  return {
    method: 'best-free', description: SHARED_UNIQUE_METHODS['best-free'], threshold, pairs, uniqueA, uniqueB,
    counts: { shared: pairs.length, uniqueA: uniqueA.length, uniqueB: uniqueB.length }, unequalDimsRule: null,
  };
}
