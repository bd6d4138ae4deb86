import type { Triplets } from '@conceptlab/core';
import { MAX_OBJECTS } from './combinatorics.js';
import { ORDERS_3 } from './presentation-order.js';
import { resolveRng, type SeedOrRng } from './seed.js';
import { sampleUniform } from './sample-uniform.js';
import { checkInteger } from './validate.js';

export interface RepeatedSetsOptions {
  readonly nObjects: number;
  /** Number of distinct sets k (at most C(nObjects, 3)). */
  readonly sets: number;
  /** Presentations per set r (≥ 1). */
  readonly repeats: number;
  readonly seed: SeedOrRng;
}

export interface RepeatedSets {
  /** k·r rows, in random order. */
  readonly triplets: Triplets;
  /** For each row, which of the k sets it presents (0..k−1). */
  readonly setIndex: Int32Array;
}

/**
 * A design for noise ceilings: k distinct uniformly random sets, each presented r times.
 *
 * The presentations of one set use different orders while r ≤ 6 (r distinct orders of the six,
 * chosen at random); beyond six, every block of six presentations uses all six orders once, in random
 * order. All k·r rows are then shuffled, so repeats are not adjacent; `setIndex` says which set each
 * row shows. Sets are numbered in the order they were drawn.
 */
export function repeatedSets(options: RepeatedSetsOptions): RepeatedSets {
  const n = checkInteger('nObjects', options.nObjects, 3, MAX_OBJECTS);
  const k = checkInteger('sets', options.sets, 0);
  const r = checkInteger('repeats', options.repeats, 1);
  const rng = resolveRng(options.seed);
  const base = sampleUniform({ nObjects: n, count: k, seed: rng });

  const total = k * r;
  const rowOrder = rng.permutation(total); // presentation p of set s goes to row rowOrder[s·r + p]
  const data = new Int32Array(total * 3);
  const setIndex = new Int32Array(total);
  const orders = new Int32Array(6);
  for (let s = 0; s < k; s++) {
    const v = [base.data[3 * s], base.data[3 * s + 1], base.data[3 * s + 2]];
    for (let p = 0; p < r; p++) {
      if (p % 6 === 0) {
        for (let q = 0; q < 6; q++) orders[q] = q;
        rng.shuffle(orders);
      }
      const order = ORDERS_3[orders[p % 6]];
      const row = rowOrder[s * r + p];
      data[3 * row] = v[order[0]];
      data[3 * row + 1] = v[order[1]];
      data[3 * row + 2] = v[order[2]];
      setIndex[row] = s;
    }
  }
  return { triplets: { count: total, data }, setIndex };
}
