import type { Triplets } from '@conceptlab/core';
import { checkInteger, checkTriplets } from './validate.js';

export interface ReplayOptions {
  /** When given, every index must be below it. */
  readonly nObjects?: number;
}

/**
 * A fixed design: the given sets as they are (a copy, so later edits of either do not leak),
 * after checking that every row holds three distinct non-negative indices (below `nObjects` if given).
 *
 * @throws InvalidArgumentError naming the first bad row.
 */
export function replay(triplets: Triplets, options: ReplayOptions = {}): Triplets {
  const n = options.nObjects === undefined ? undefined : checkInteger('nObjects', options.nObjects, 3);
  checkTriplets('triplets', triplets, n);
  return { count: triplets.count, data: triplets.data.slice() };
}
