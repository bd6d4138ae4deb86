import { InvalidArgumentError, ShapeError, type CategoryMatrix, type Matrix, type NumericArray } from '@conceptlab/core';
import { benjaminiHochberg } from '@conceptlab/core/stats';
import { topObjectIndices } from './dimension-summary.js';
import { hypergeometricSf } from './hypergeometric.js';

/** One (dimension, category) enrichment test. */
export interface EnrichmentTest {
  readonly dim: number;
  readonly category: string;
  /** Top objects of the dimension that are in the category. */
  readonly overlap: number;
  /** Objects in the category (of all objects). */
  readonly categorySize: number;
  /** Expected overlap under random draws: top·categorySize/objects. */
  readonly expected: number;
  /** P(overlap ≥ observed), hypergeometric. */
  readonly p: number;
  /** Benjamini–Hochberg adjusted p over all dims × categories. */
  readonly q: number;
}

/** Enrichment results of one dimension, most significant first (only categories with overlap > 0). */
export interface DimensionEnrichment {
  readonly dim: number;
  readonly tests: EnrichmentTest[];
}

/**
 * Category enrichment of each dimension's top-k objects: for dimension d and category c, the number of the
 * k top objects that are in c is tested against the hypergeometric null (k draws without replacement from
 * all objects, |c| of them marked), P(X ≥ overlap) = `scipy.stats.hypergeom.sf(overlap − 1, N, |c|, k)`.
 * p-values of all dims × categories (also those with overlap 0, whose p is 1) are corrected together with
 * Benjamini–Hochberg. An object may be in several categories (each is tested on its own).
 *
 * @throws ShapeError when the category table has another number of rows than the embedding;
 *   InvalidArgumentError for a bad top.
 */
export function categoryEnrichment(embedding: Matrix<NumericArray>, categories: CategoryMatrix, options: { top?: number } = {}): DimensionEnrichment[] {
  const N = embedding.rows, D = embedding.cols;
  const top = options.top ?? 20;
  if (!Number.isInteger(top) || top < 1 || top > N) throw new InvalidArgumentError('top', `an integer in [1, ${N}]`, top);
  const M = categories.membership;
  if (M.rows !== N) throw new ShapeError(`the category table has ${M.rows} objects but the embedding has ${N}`);
  const C = M.cols;
  const size = new Array<number>(C).fill(0);
  for (let i = 0; i < N; i++) for (let c = 0; c < C; c++) size[c] += M.data[i * C + c];
  const raw: Omit<EnrichmentTest, 'q'>[] = [];
  for (let d = 0; d < D; d++) {
    const idx = topObjectIndices(embedding, d, top);
    for (let c = 0; c < C; c++) {
      let overlap = 0;
      for (const i of idx) overlap += M.data[i * C + c];
      raw.push({ dim: d, category: categories.names[c], overlap, categorySize: size[c], expected: (top * size[c]) / N, p: hypergeometricSf(overlap, N, size[c], top) });
    }
  }
  const q = benjaminiHochberg(raw.map((r) => r.p));
  const out: DimensionEnrichment[] = [];
  for (let d = 0; d < D; d++) {
    const tests = raw
      .map((r, t) => ({ ...r, q: q[t] }))
      .filter((r) => r.dim === d && r.overlap > 0)
      .sort((a, b) => a.p - b.p || a.category.localeCompare(b.category));
    out.push({ dim: d, tests });
  }
  return out;
}
