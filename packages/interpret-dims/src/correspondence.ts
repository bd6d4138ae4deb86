import { InvalidArgumentError, type Matrix, type NumericArray } from '@conceptlab/core';
import { columnCorrelations } from '@conceptlab/core/stats';
import { linearSumAssignment } from './hungarian.js';
import { adaptedCorrespondenceMatrix, checkCorrespondenceInputs, type AdaptedMatrix } from './correspondence/adapted-matrix.js';
import { paperMatches, type PaperMatches } from './correspondence/paper-matches.js';
import { sharedUniqueBestFree, sharedUniquePaper, type SharedUnique, type SharedUniqueMethod } from './correspondence/shared-unique.js';

/** A matched pair of dimensions: `a` of the reference embedding, `b` of the other, with their Pearson r. */
export interface DimPair {
  readonly a: number;
  readonly b: number;
  readonly r: number;
}

/** Which correspondence procedure ran. */
export type CorrespondenceMethod = 'paper' | 'hungarian';

export const CORRESPONDENCE_METHODS: Readonly<Record<CorrespondenceMethod, string>> = {
  paper: 'paper: C = corr(reference, model); model dims reordered by their first best reference dim (later duplicates last); Cadapt = C(:, si) − (corr(reference) − I) by position; entries ≥ 0.4 kept, at most 2 per reference row (Du et al. 2025, draw_figure5d)',
  hungarian: 'conceptlab hungarian: optimal one-to-one matching maximising the summed Pearson r (linear_sum_assignment)',
};

export interface CorrespondenceOptions {
  /** 'paper' (default): the authors' reorder + adapted matrix; 'hungarian': an optimal one-to-one matching. */
  readonly method?: CorrespondenceMethod;
  /** Threshold of the paper's adapted matrix (default 0.4). */
  readonly adaptedThreshold?: number;
  /** At most this many matches per reference row in the adapted matrix (default 2). */
  readonly maxPerRow?: number;
  /** 'paper' (default): first free position on Cadapt; 'best-free': best free dim on raw r. */
  readonly sharedMethod?: SharedUniqueMethod;
  /** Threshold for shared vs unique dimensions (default 0.2). */
  readonly sharedThreshold?: number;
}

/** Dimension correspondence between a reference embedding (rows, e.g. human) and a model's (columns). */
export interface Correspondence {
  readonly method: CorrespondenceMethod;
  readonly description: string;
  readonly referenceDims: number;
  readonly modelDims: number;
  /** corr[i][j] = Pearson r between reference dim i and model dim j over objects. */
  readonly corr: number[][];
  /** For each reference dim, its best-correlated model dim (first on ties). */
  readonly bestForA: DimPair[];
  /** For each model dim, its best-correlated reference dim (first on ties). */
  readonly bestForB: DimPair[];
  /** method 'paper': the reorder (ii, si), Cadapt without threshold, and the thresholded top-2 matches. */
  readonly paper: (Omit<AdaptedMatrix, 'corr' | 'adapted'> & { readonly adaptedRaw: number[][] } & PaperMatches) | null;
  /** method 'hungarian': the optimal one-to-one matching. */
  readonly optimal: DimPair[] | null;
  /** Shared vs unique dims (its own `method`). */
  readonly shared: SharedUnique;
}

/**
 * Dimension correspondence of two embeddings of the same objects (Du et al. 2025): the reference (e.g. human)
 * gives the rows, the model the columns.
 * - `method: 'paper'` (default) — the authors' procedure ({@link adaptedCorrespondenceMatrix} then
 *   {@link paperMatches}): reorder by first best match, Cadapt = C(:, si) − (corr(ref) − I) by position,
 *   ≥ 0.4, at most 2 per row, matches reported with positions and original model dims.
 * - `method: 'hungarian'` — an optimal one-to-one matching maximising Σr (same optimum as
 *   `scipy.optimize.linear_sum_assignment(c, maximize=True)`).
 * Shared vs unique at 0.2: `sharedMethod: 'paper'` (default, first free on Cadapt) or `'best-free'`.
 *
 * @throws ShapeError when the embeddings have different numbers of objects; InvalidArgumentError for a constant
 *   or non-finite dimension or bad options.
 */
export function dimensionCorrespondence(reference: Matrix<NumericArray>, model: Matrix<NumericArray>, options: CorrespondenceOptions = {}): Correspondence {
  const method = options.method ?? 'paper';
  const sharedMethod = options.sharedMethod ?? 'paper';
  if (method !== 'paper' && method !== 'hungarian') throw new InvalidArgumentError('method', "'paper' or 'hungarian'", method);
  if (sharedMethod !== 'paper' && sharedMethod !== 'best-free') throw new InvalidArgumentError('sharedMethod', "'paper' or 'best-free'", sharedMethod);
  checkCorrespondenceInputs(reference, model);
  const A = reference.cols, B = model.cols;
  const cm = columnCorrelations(reference, model);
  const corr = Array.from({ length: A }, (_, i) => Array.from(cm.data.subarray(i * B, (i + 1) * B)));
  const bestForA: DimPair[] = corr.map((row, i) => {
    let j = 0;
    for (let t = 1; t < B; t++) if (row[t] > row[j]) j = t;
    return { a: i, b: j, r: row[j] };
  });
  const bestForB: DimPair[] = Array.from({ length: B }, (_, j) => {
    let i = 0;
    for (let t = 1; t < A; t++) if (corr[t][j] > corr[i][j]) i = t;
    return { a: i, b: j, r: corr[i][j] };
  });
  let paper: Correspondence['paper'] = null;
  let optimal: DimPair[] | null = null;
  if (method === 'paper') {
    const m = adaptedCorrespondenceMatrix(reference, model);
    const pm = paperMatches(m, { threshold: options.adaptedThreshold, maxPerRow: options.maxPerRow });
    paper = { firstMatch: m.firstMatch, si: m.si, positions: m.positions, droppedModelDims: m.droppedModelDims, unequalDimsRule: m.unequalDimsRule, adaptedRaw: m.adapted, ...pm };
  } else {
    const lsa = linearSumAssignment(cm, true);
    optimal = lsa.rows.map((a, t) => ({ a, b: lsa.cols[t], r: corr[a][lsa.cols[t]] }));
  }
  const sharedOpts = { threshold: options.sharedThreshold };
  const shared = sharedMethod === 'paper' ? sharedUniquePaper(reference, model, sharedOpts) : sharedUniqueBestFree(reference, model, sharedOpts);
  return { method, description: CORRESPONDENCE_METHODS[method], referenceDims: A, modelDims: B, corr, bestForA, bestForB, paper, optimal, shared };
}
