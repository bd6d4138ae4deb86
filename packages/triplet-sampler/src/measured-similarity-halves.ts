import type { Triplets } from '@conceptlab/core';
import { measuredSimilarity, type MeasuredSimilarity, type MeasuredSimilarityOptions } from './measured-similarity.js';
import { checkTripletsShape } from './validate.js';

/** The measured similarity of all answers and of the two halves of the answer list. */
export interface MeasuredSimilarityHalves {
  readonly full: MeasuredSimilarity;
  /** Rows 0 … ⌊count/2⌋ − 1, in list order. */
  readonly firstHalf: MeasuredSimilarity;
  /** Rows ⌊count/2⌋ … count − 1. */
  readonly secondHalf: MeasuredSimilarity;
  /** How the list was split: `file-order` = first ⌊count/2⌋ rows vs the rest (the authors' split). */
  readonly split: 'file-order';
  /** Rows in each half. */
  readonly halfCounts: readonly [number, number];
}

/**
 * {@link measuredSimilarity} of the whole answer list and of its split halves, as the authors'
 * get_measured_similarity_matrix_from_full_sampling_of_48_objects_*.py: the first ⌊n/2⌋ rows in file order
 * vs the remaining rows (no shuffling). The halves give the split-half reliability of a measured RDM
 * (human consistency, r_mm and r_hh).
 *
 * @throws InvalidArgumentError as measuredSimilarity.
 */
export function measuredSimilarityHalves(answered: Triplets, nObjects: number, options: MeasuredSimilarityOptions = {}): MeasuredSimilarityHalves {
  checkTripletsShape('answered', answered);
  const full = measuredSimilarity(answered, nObjects, options);
  const mid = Math.floor(answered.count / 2);
  const first: Triplets = { count: mid, data: answered.data.subarray(0, 3 * mid) };
  const second: Triplets = { count: answered.count - mid, data: answered.data.subarray(3 * mid, 3 * answered.count) };
  return {
    full,
    firstHalf: measuredSimilarity(first, nObjects, options),
    secondHalf: measuredSimilarity(second, nObjects, options),
    split: 'file-order',
    halfCounts: [first.count, second.count],
  };
}
