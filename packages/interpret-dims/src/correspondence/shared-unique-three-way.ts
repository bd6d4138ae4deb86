import { InvalidArgumentError, type Matrix, type NumericArray } from '@conceptlab/core';
import { adaptedCorrespondenceMatrix, UNEQUAL_DIMS_RULE } from './adapted-matrix.js';

/** The seven row patterns of the authors' Venn diagram: [human LLM MLLM] membership. */
export type ThreeWayPattern = '111' | '110' | '101' | '011' | '100' | '010' | '001';
export const THREE_WAY_PATTERNS: readonly ThreeWayPattern[] = ['111', '110', '101', '011', '100', '010', '001'];

/** One first-free match of the three-way procedure (0-based; `row` is an A dim for ab/ac, a B dim for bc; `position` is used as the column's dim number). */
export interface ThreeWayMatch {
  readonly row: number;
  readonly position: number;
  readonly value: number;
}

/** Shared vs unique dimensions of three embeddings (A = human, B = LLM, C = MLLM), the authors' way. */
export interface ThreeWaySharedUnique {
  readonly method: 'paper';
  readonly description: string;
  readonly threshold: number;
  readonly ab: ThreeWayMatch[];
  readonly ac: ThreeWayMatch[];
  readonly bc: ThreeWayMatch[];
  /** B dims (quirk index space) still free after the A passes, and C dims still free at the end. */
  readonly remainingB: number[];
  readonly remainingC: number[];
  /** Counts of each row pattern over the stacked, non-zero rows [R_A; R_B; R_C]. */
  readonly counts: Readonly<Record<ThreeWayPattern, number>>;
  /** Number of non-zero rows (= the sum of the counts). */
  readonly rows: number;
  readonly unequalDimsRule: string | null;
}

function firstFree(row: readonly number[], dims: readonly number[], threshold: number): number {
  for (const j of dims) if (j < row.length && row[j] >= threshold) return j;
  return -1;
}

/**
 * The authors' three-way shared vs unique dimensions (draw_figure5e_shared_vs_unique_dims.m; item 2 of
 * authors-procedures.md, steps 1–6), 0-based:
 * 1. AB, AC, BC = Cadapt without threshold or top-2 (rows A, A, B in their own order; columns reordered).
 * 2. R_A, R_B, R_C (dims × 3) with their own column set; free lists dimsB = all B dims, dimsC = all C dims.
 * 3. For each A dim i: the first j in the current dimsB with AB(i, j) ≥ threshold → R_A(i, B) = 1,
 *    R_B(j, B) = 0, j removed; then the same with AC / dimsC / R_C.
 * 4. For each i of dimsB as it stands after step 3: the first j of the current dimsC with BC(i, j) ≥ threshold →
 *    R_B(i, C) = 1, R_C(j, C) = 0, j removed.
 * 5–6. Stack, drop all-zero rows, count the seven patterns.
 * The quirks are kept: a column position of a reordered matrix is used as the B or C dim number.
 * Unequal dims: each matrix keeps min(rows, cols) positions ({@link UNEQUAL_DIMS_RULE}); list entries beyond
 * a matrix's positions are never matched.
 *
 * @throws as {@link adaptedCorrespondenceMatrix} (all three must describe the same objects); InvalidArgumentError for a non-finite threshold.
 */
export function sharedUniqueThreeWay(A: Matrix<NumericArray>, B: Matrix<NumericArray>, C: Matrix<NumericArray>, options: { threshold?: number } = {}): ThreeWaySharedUnique {
  const threshold = options.threshold ?? 0.2;
  if (!Number.isFinite(threshold)) throw new InvalidArgumentError('threshold', 'a finite number', threshold);
  const AB = adaptedCorrespondenceMatrix(A, B).adapted;
  const AC = adaptedCorrespondenceMatrix(A, C).adapted;
  const BC = adaptedCorrespondenceMatrix(B, C).adapted;
  const RA = Array.from({ length: A.cols }, () => [1, 0, 0]);
  const RB = Array.from({ length: B.cols }, () => [0, 1, 0]);
  const RC = Array.from({ length: C.cols }, () => [0, 0, 1]);
  const dimsB = Array.from({ length: B.cols }, (_, j) => j);
  const dimsC = Array.from({ length: C.cols }, (_, j) => j);
  const ab: ThreeWayMatch[] = [], ac: ThreeWayMatch[] = [], bc: ThreeWayMatch[] = [];
  for (let i = 0; i < A.cols; i++) {
    let j = firstFree(AB[i], dimsB, threshold);
    if (j >= 0) { RA[i][1] = 1; RB[j][1] = 0; dimsB.splice(dimsB.indexOf(j), 1); ab.push({ row: i, position: j, value: AB[i][j] }); }
    j = firstFree(AC[i], dimsC, threshold);
    if (j >= 0) { RA[i][2] = 1; RC[j][2] = 0; dimsC.splice(dimsC.indexOf(j), 1); ac.push({ row: i, position: j, value: AC[i][j] }); }
  }
  for (const i of [...dimsB]) {
    const j = firstFree(BC[i], dimsC, threshold);
    if (j >= 0) { RB[i][2] = 1; RC[j][2] = 0; dimsC.splice(dimsC.indexOf(j), 1); bc.push({ row: i, position: j, value: BC[i][j] }); }
  }
  const counts = Object.fromEntries(THREE_WAY_PATTERNS.map((p) => [p, 0])) as Record<ThreeWayPattern, number>;
  let rows = 0;
  for (const r of [...RA, ...RB, ...RC]) {
    const key = r.join('');
    if (key === '000') continue;
    counts[key as ThreeWayPattern]++;
    rows++;
  }
  const unequal = A.cols === B.cols && B.cols === C.cols ? null : UNEQUAL_DIMS_RULE;
  return {
    method: 'paper',
    description: 'paper: first-free matching on Cadapt (no threshold/top-2 step), human→LLM and human→MLLM per human dim, then the LLM dims left over → MLLM; positions used as dim numbers (the authors\' quirk)',
    threshold, ab, ac, bc, remainingB: dimsB, remainingC: dimsC, counts, rows, unequalDimsRule: unequal,
  };
}
