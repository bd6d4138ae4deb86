import { InvalidArgumentError, ShapeError, type Concept, type Matrix, type NumericArray } from '@conceptlab/core';
import { percentileSorted } from '@conceptlab/core/stats';

/** One of a dimension's strongest objects. */
export interface TopObject {
  /** 0-based object index (row of the embedding). */
  readonly index: number;
  /** Concept id (THINGS `uniqueID`) and word, from the concept directory. */
  readonly id: string;
  readonly word: string;
  readonly weight: number;
}

/** What one embedding dimension looks like across all objects. */
export interface DimensionSummary {
  /** 0-based dimension index (column). */
  readonly dim: number;
  readonly top: TopObject[];
  readonly mean: number;
  /** Population standard deviation (numpy `std`, ddof 0). */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  /** Quantiles with numpy's default `linear` method. */
  readonly q25: number;
  readonly median: number;
  readonly q75: number;
  readonly q95: number;
  /** Σ|w| over objects. */
  readonly l1: number;
  /** Sparsity: share of objects whose weight is exactly 0. */
  readonly zeroShare: number;
  /** Share of objects using the dimension: weight > `usageThreshold`. */
  readonly usageShare: number;
  readonly usageThreshold: number;
}

export interface SummarizeOptions {
  /** Top objects per dimension (default 6, as the paper's word-cloud figure). */
  readonly top?: number;
  /** A dimension is "used" by an object whose weight exceeds this (default 0.1, the SPoSE export threshold). */
  readonly usageThreshold?: number;
}

/** Default threshold for "an object uses a dimension" (the SPoSE/paper max-weight threshold). */
export const DEFAULT_USAGE_THRESHOLD = 0.1;

/**
 * Indices of the k largest values of column `dim` (descending weight; equal weights by ascending index).
 * @throws InvalidArgumentError for a bad column or k.
 */
export function topObjectIndices(embedding: Matrix<NumericArray>, dim: number, k: number): number[] {
  const { rows, cols, data } = embedding;
  if (!Number.isInteger(dim) || dim < 0 || dim >= cols) throw new InvalidArgumentError('dim', `an integer in [0, ${cols})`, dim);
  if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError('top', 'a positive integer', k);
  const idx = Array.from({ length: rows }, (_, i) => i);
  idx.sort((a, b) => data[b * cols + dim] - data[a * cols + dim] || a - b);
  return idx.slice(0, Math.min(k, rows));
}

/**
 * Per-dimension summaries of an objects × dims embedding: the top-k objects with names from `concepts`,
 * the weight distribution (mean, sd, min, max, quantiles as numpy's linear method), L1 norm, sparsity
 * (share of exact zeros) and the share of objects with weight > the usage threshold.
 *
 * @throws ShapeError when `concepts` does not have one entry per embedding row; InvalidArgumentError for
 *   bad options or non-finite weights.
 */
export function summarizeDimensions(embedding: Matrix<NumericArray>, concepts: readonly Concept[], options: SummarizeOptions = {}): DimensionSummary[] {
  const { rows, cols, data } = embedding;
  if (concepts.length !== rows) throw new ShapeError(`the embedding has ${rows} objects but the concept directory has ${concepts.length}`);
  if (rows === 0) throw new InvalidArgumentError('embedding', 'at least one object', 0);
  const k = options.top ?? 6;
  const thr = options.usageThreshold ?? DEFAULT_USAGE_THRESHOLD;
  if (!Number.isFinite(thr)) throw new InvalidArgumentError('usageThreshold', 'a finite number', thr);
  for (let t = 0; t < data.length; t++) {
    if (!Number.isFinite(data[t])) throw new InvalidArgumentError(`embedding[${Math.floor(t / cols)}][${t % cols}]`, 'a finite weight', data[t]);
  }
  const out: DimensionSummary[] = [];
  const col = new Float64Array(rows);
  for (let d = 0; d < cols; d++) {
    let sum = 0, l1 = 0, zeros = 0, used = 0;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + d];
      col[i] = v;
      sum += v;
      l1 += Math.abs(v);
      if (v === 0) zeros++;
      if (v > thr) used++;
    }
    const mean = sum / rows;
    let ss = 0;
    for (let i = 0; i < rows; i++) ss += (col[i] - mean) ** 2;
    const sorted = Float64Array.from(col).sort();
    const top = topObjectIndices(embedding, d, k).map((i) => ({ index: i, id: concepts[i].id, word: concepts[i].word, weight: data[i * cols + d] }));
    out.push({
      dim: d,
      top,
      mean,
      sd: Math.sqrt(ss / rows),
      min: sorted[0],
      max: sorted[rows - 1],
      // numpy's linear percentiles (core's percentileSorted); rows ≥ 1 is checked above
      q25: percentileSorted(sorted, 25),
      median: percentileSorted(sorted, 50),
      q75: percentileSorted(sorted, 75),
      q95: percentileSorted(sorted, 95),
      l1,
      zeroShare: zeros / rows,
      usageShare: used / rows,
      usageThreshold: thr,
    });
  }
  return out;
}
