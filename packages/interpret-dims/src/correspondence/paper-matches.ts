import { InvalidArgumentError } from '@conceptlab/core';
import type { AdaptedMatrix } from './adapted-matrix.js';

/** One surviving entry of the authors' thresholded adapted matrix (0-based). */
export interface PaperMatch {
  /** Reference dim (row). */
  readonly a: number;
  /** Column position in the reordered matrix (what the authors' river plot draws). */
  readonly position: number;
  /** The model dim at that position, si[position] (the original model dim number). */
  readonly b: number;
  /** Cadapt(a, position). */
  readonly value: number;
}

/** Steps 6–7 of the authors' dimension correspondence applied to {@link AdaptedMatrix.adapted}. */
export interface PaperMatches {
  /** Cadapt with entries < threshold set to 0 and, per row, all but the first `maxPerRow` of a stable descending sort zeroed. */
  readonly adapted: number[][];
  /** The non-zero entries, by reference dim, then position (the order of the authors' river plot). */
  readonly matches: PaperMatch[];
  /** diag(Cadapt) after steps 6–7, sorted descending (what the authors' script prints). */
  readonly diagonalSortedDescending: number[];
  readonly threshold: number;
  readonly maxPerRow: number;
}

/**
 * The authors' steps 6–7 (item 1): entries of Cadapt below `threshold` (default 0.4) become 0 (so values ≥ the
 * threshold survive); then each row is sorted descending (stable: ties keep column order) and every entry
 * after the first `maxPerRow` (default 2) sorted positions is zeroed. The non-zero entries are reported with
 * both their position and the original model dim si[position].
 *
 * @throws InvalidArgumentError for a non-finite threshold or maxPerRow not a positive integer.
 */
export function paperMatches(m: AdaptedMatrix, options: { threshold?: number; maxPerRow?: number } = {}): PaperMatches {
  const threshold = options.threshold ?? 0.4;
  const maxPerRow = options.maxPerRow ?? 2;
  if (!Number.isFinite(threshold)) throw new InvalidArgumentError('threshold', 'a finite number', threshold);
  if (!Number.isInteger(maxPerRow) || maxPerRow < 1) throw new InvalidArgumentError('maxPerRow', 'a positive integer', maxPerRow);
  const adapted = m.adapted.map((row) => {
    const out = row.map((v) => (v < threshold ? 0 : v));
    const order = out.map((_, c) => c).sort((x, y) => (out[x] === out[y] ? x - y : out[y] - out[x]));
    for (const c of order.slice(maxPerRow)) out[c] = 0;
    return out;
  });
  const matches: PaperMatch[] = [];
  adapted.forEach((row, a) => row.forEach((value, position) => {
    if (value !== 0) matches.push({ a, position, b: m.si[position], value });
  }));
  const diag = Array.from({ length: Math.min(adapted.length, m.positions) }, (_, t) => adapted[t][t]).sort((x, y) => y - x);
  return { adapted, matches, diagonalSortedDescending: diag, threshold, maxPerRow };
}
