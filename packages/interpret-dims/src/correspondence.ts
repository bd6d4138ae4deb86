import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { columnCorrelations } from '@conceptlab/spose-embed';
import { linearSumAssignment } from './hungarian.js';

/** A matched pair of dimensions: `a` of the reference embedding, `b` of the other, with their Pearson r. */
export interface DimPair {
  readonly a: number;
  readonly b: number;
  readonly r: number;
}

export interface CorrespondenceOptions {
  /** Threshold of the paper's adapted matrix (default 0.4). */
  readonly adaptedThreshold?: number;
  /** At most this many matches per reference row in the adapted matrix (default 2). */
  readonly maxPerRow?: number;
  /** Threshold for shared vs unique dimensions (default 0.2). */
  readonly sharedThreshold?: number;
}

/** Dimension correspondence between a reference embedding (e.g. human) and another (e.g. an LLM's). */
export interface Correspondence {
  /** corr[i][j] = Pearson r between reference dim i and other dim j over objects (NaN for a constant column). */
  readonly corr: number[][];
  /** For each reference dim, its best-correlated other dim. */
  readonly bestForA: DimPair[];
  /** For each other dim, its best-correlated reference dim. */
  readonly bestForB: DimPair[];
  /**
   * The paper's adapted matrix c − (corr(ref, ref) − I), only when both embeddings have the same number of
   * dims (the formula subtracts a ref × ref matrix from the ref × other matrix); null otherwise.
   */
  readonly adapted: number[][] | null;
  /** Per reference dim, up to `maxPerRow` other dims with adapted value ≥ threshold, largest first ([] when adapted is null). */
  readonly adaptedMatches: { a: number; matches: { b: number; value: number }[] }[];
  /** Optimal one-to-one matching maximising the summed r (Hungarian). */
  readonly optimal: DimPair[];
  /** Greedy reference → other matching at the shared threshold: pairs with r ≥ threshold. */
  readonly shared: DimPair[];
  /** Reference dims without a shared partner, and other dims without one. */
  readonly uniqueA: number[];
  readonly uniqueB: number[];
  readonly thresholds: { adapted: number; maxPerRow: number; shared: number };
}

function argmaxFinite(values: number[]): number {
  let best = -1, bv = -Infinity;
  values.forEach((v, j) => {
    if (Number.isFinite(v) && v > bv) { bv = v; best = j; }
  });
  return best;
}

/**
 * Dimension correspondence of two embeddings of the same objects (Du et al. 2025, "dimension correspondence"):
 * - c = corr(reference dims, other dims) (Pearson over objects, as numpy `corrcoef`);
 * - best matches in both directions (argmax r; a constant column has no match and is left out);
 * - the paper's adapted matrix c − (corr(ref, ref) − I), entries ≥ 0.4 kept, at most 2 per row (when the
 *   embeddings have equally many dims);
 * - an optimal one-to-one matching maximising Σr (Hungarian, same optimum as
 *   `scipy.optimize.linear_sum_assignment(c, maximize=True)`; NaN r counts as −1 there);
 * - shared vs unique dims at 0.2: reference dims in order each take their best not-yet-taken other dim when
 *   r ≥ 0.2 (greedy, as the paper's human → LLM matching).
 *
 * @throws ShapeError when the embeddings have different numbers of objects; InvalidArgumentError for bad options.
 */
export function dimensionCorrespondence(reference: Matrix<NumericArray>, other: Matrix<NumericArray>, options: CorrespondenceOptions = {}): Correspondence {
  if (reference.rows !== other.rows) throw new ShapeError(`the embeddings have ${reference.rows} and ${other.rows} objects; they must describe the same objects`);
  const adaptedThr = options.adaptedThreshold ?? 0.4;
  const maxPerRow = options.maxPerRow ?? 2;
  const sharedThr = options.sharedThreshold ?? 0.2;
  if (!Number.isFinite(adaptedThr)) throw new InvalidArgumentError('adaptedThreshold', 'a finite number', adaptedThr);
  if (!Number.isInteger(maxPerRow) || maxPerRow < 1) throw new InvalidArgumentError('maxPerRow', 'a positive integer', maxPerRow);
  if (!Number.isFinite(sharedThr)) throw new InvalidArgumentError('sharedThreshold', 'a finite number', sharedThr);
  const A = reference.cols, B = other.cols;
  const cm = columnCorrelations(reference, other);
  const corr = Array.from({ length: A }, (_, i) => Array.from(cm.data.subarray(i * B, (i + 1) * B)));
  const bestForA: DimPair[] = [];
  corr.forEach((row, i) => {
    const j = argmaxFinite(row);
    if (j >= 0) bestForA.push({ a: i, b: j, r: row[j] });
  });
  const bestForB: DimPair[] = [];
  for (let j = 0; j < B; j++) {
    const i = argmaxFinite(corr.map((row) => row[j]));
    if (i >= 0) bestForB.push({ a: i, b: j, r: corr[i][j] });
  }
  let adapted: number[][] | null = null;
  const adaptedMatches: Correspondence['adaptedMatches'] = [];
  if (A === B) {
    const rr = columnCorrelations(reference);
    adapted = corr.map((row, i) => row.map((c, j) => c - (rr.data[i * A + j] - (i === j ? 1 : 0))));
    adapted.forEach((row, i) => {
      const matches = row
        .map((value, b) => ({ b, value }))
        .filter((x) => x.value >= adaptedThr)
        .sort((x, y) => y.value - x.value || x.b - y.b)
        .slice(0, maxPerRow);
      adaptedMatches.push({ a: i, matches });
    });
  }
  const filled = { rows: A, cols: B, data: Float64Array.from(cm.data, (v) => (Number.isNaN(v) ? -1 : v)) };
  const lsa = linearSumAssignment(filled, true);
  const optimal = lsa.rows.map((a, t) => ({ a, b: lsa.cols[t], r: corr[a][lsa.cols[t]] }));
  const taken = new Uint8Array(B);
  const shared: DimPair[] = [];
  const uniqueA: number[] = [];
  corr.forEach((row, i) => {
    let best = -1, bv = -Infinity;
    row.forEach((v, j) => {
      if (!taken[j] && Number.isFinite(v) && v > bv) { bv = v; best = j; }
    });
    if (best >= 0 && bv >= sharedThr) {
      taken[best] = 1;
      shared.push({ a: i, b: best, r: bv });
    } else uniqueA.push(i);
  });
  const uniqueB = Array.from({ length: B }, (_, j) => j).filter((j) => !taken[j]);
  return { corr, bestForA, bestForB, adapted, adaptedMatches, optimal, shared, uniqueA, uniqueB, thresholds: { adapted: adaptedThr, maxPerRow, shared: sharedThr } };
}
