import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { columnCorrelations } from '@conceptlab/core/stats';

/** How unequal dimension counts are handled by the authors' adapted matrix (their scripts need equal counts). */
export const UNEQUAL_DIMS_RULE =
  'the adapted matrix keeps the first min(reference dims, model dims) reordered model positions: with more model dims, '
  + 'the dropped positions are the last of the reorder, which are all unmatched duplicates (at most reference-dims distinct '
  + 'matches exist); with more reference dims, every reference row is kept and only the first model-dims columns of '
  + 'corr(reference) − I are subtracted';

/**
 * The authors' reorder and adapted matrix (Du et al. 2025, draw_figure5d_correlation_matrix_*.m; item 1 of
 * authors-procedures.md, steps 1–5), all indices 0-based.
 */
export interface AdaptedMatrix {
  /** C = corr(reference, model): rows reference dims, columns model dims (Pearson over objects). */
  readonly corr: number[][];
  /**
   * ii: for each model dim j, the first reference dim with the largest C(·, j); null where an earlier model dim
   * already took that reference dim (the scripts' sentinel "100", which sorts after every reference dim).
   */
  readonly firstMatch: (number | null)[];
  /** si: the stable ascending argsort of ii — position k of the reordered matrix holds model dim si[k]. */
  readonly si: number[];
  /** Reordered positions kept: min(reference dims, model dims). */
  readonly positions: number;
  /**
   * Cadapt = C(:, si) − (corr(reference) − I), without threshold: reference dims × `positions`. The subtraction is
   * by position (the scripts' quirk, kept): column k loses corr(reference_r, reference_k) whatever reference dim
   * model dim si[k] matched.
   */
  readonly adapted: number[][];
  /** Model dims reordered to positions ≥ `positions` and so left out of `adapted` (only with more model dims). */
  readonly droppedModelDims: number[];
  /** null for equal dimension counts, else {@link UNEQUAL_DIMS_RULE}. */
  readonly unequalDimsRule: string | null;
}

function constantColumn(m: Matrix<NumericArray>): number {
  for (let c = 0; c < m.cols; c++) {
    const v0 = m.data[c];
    let constant = true;
    for (let r = 1; r < m.rows && constant; r++) if (m.data[r * m.cols + c] !== v0) constant = false;
    if (constant) return c;
  }
  return -1;
}

/**
 * Check two embeddings for a correspondence: the same objects (≥ 3), at least one dim each, no constant dim
 * (its Pearson r is undefined) and only finite values. `names` name the two in the errors (e.g. their files).
 *
 * @throws ShapeError / InvalidArgumentError as described.
 */
export function checkCorrespondenceInputs(reference: Matrix<NumericArray>, model: Matrix<NumericArray>, names: [string, string] = ['reference', 'model']): void {
  if (reference.rows !== model.rows) throw new ShapeError(`the embeddings have ${reference.rows} and ${model.rows} objects; they must describe the same objects`);
  if (reference.rows < 3) throw new InvalidArgumentError(names[0], 'at least 3 objects for a correlation', reference.rows);
  [reference, model].forEach((m, k) => {
    if (m.cols < 1) throw new InvalidArgumentError(names[k], 'at least one dimension', m.cols);
    for (let t = 0; t < m.data.length; t++) if (!Number.isFinite(m.data[t])) throw new InvalidArgumentError(names[k], 'finite values', m.data[t]);
    const c = constantColumn(m);
    if (c >= 0) throw new InvalidArgumentError(`${names[k]} dimension ${c} (0-based)`, 'a dimension that varies over objects (a constant one has no correlation)', 'a constant column');
  });
}

/**
 * Steps 1–5 of the authors' dimension correspondence: C = corr(reference, model); ii(j) = first argmax over
 * rows of column j; later duplicates set to a sentinel that sorts last; si = stable ascending argsort of ii;
 * Cadapt = C(:, si) − (corr(reference) − I), by position. Unequal dimension counts: {@link UNEQUAL_DIMS_RULE}.
 *
 * @throws ShapeError for different object counts; InvalidArgumentError for a constant or non-finite dimension.
 */
export function adaptedCorrespondenceMatrix(reference: Matrix<NumericArray>, model: Matrix<NumericArray>): AdaptedMatrix {
  checkCorrespondenceInputs(reference, model);
  const dA = reference.cols, dB = model.cols;
  const cm = columnCorrelations(reference, model);
  const corr = Array.from({ length: dA }, (_, i) => Array.from(cm.data.subarray(i * dB, (i + 1) * dB)));
  const ii: number[] = [];
  for (let j = 0; j < dB; j++) {
    let best = 0;
    for (let i = 1; i < dA; i++) if (corr[i][j] > corr[best][j]) best = i; // first index on ties
    ii.push(best);
  }
  const SENTINEL = Infinity;
  for (let j = 1; j < dB; j++) {
    for (let t = 0; t < j; t++) if (ii[t] === ii[j]) { ii[j] = SENTINEL; break; }
  }
  const si = Array.from({ length: dB }, (_, j) => j).sort((x, y) => (ii[x] === ii[y] ? x - y : ii[x] < ii[y] ? -1 : 1));
  const k = Math.min(dA, dB);
  const rr = columnCorrelations(reference); // exact-1 diagonal
  const adapted = corr.map((row, r) => Array.from({ length: k }, (_, p) => row[si[p]] - (rr.data[r * dA + p] - (r === p ? 1 : 0))));
  return {
    corr,
    firstMatch: ii.map((v) => (v === SENTINEL ? null : v)),
    si,
    positions: k,
    adapted,
    droppedModelDims: si.slice(k),
    unequalDimsRule: dA === dB ? null : UNEQUAL_DIMS_RULE,
  };
}
