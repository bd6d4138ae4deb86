import { createProgress, InvalidArgumentError, type ProgressListener, type Triplets } from '@conceptlab/core';
import { choose3, MAX_OBJECTS } from './combinatorics.js';
import { sampleDistinctCodes, type CodeSpace } from './distinct-codes.js';
import { shuffleRows } from './presentation-order.js';
import { resolveRng, type SeedOrRng } from './seed.js';
import { decodeSet } from './set-code.js';
import { checkInteger } from './validate.js';

export interface SampleUniformOptions {
  /** Number of objects; sets are drawn from 0..nObjects−1 (3 ≤ nObjects ≤ 208,063). */
  readonly nObjects: number;
  /** Number of sets. Without duplicates at most C(nObjects, 3). */
  readonly count: number;
  readonly seed: SeedOrRng;
  /** Allow the same unordered set more than once (independent draws). Default false. */
  readonly allowDuplicates?: boolean;
  /** Progress events (task "sample uniform", unit "triplets"). */
  readonly onProgress?: ProgressListener;
}

/** The space of all C(n, 3) unordered sets over n objects. */
export function uniformSpace(n: number): CodeSpace {
  return {
    size: choose3(n),
    draw(rng) {
      const a = rng.nextInt(n);
      let b = rng.nextInt(n - 1);
      if (b >= a) b++;
      const lo = a < b ? a : b, hi = a < b ? b : a;
      let c = rng.nextInt(n - 2);
      if (c >= lo) c++;
      if (c >= hi) c++;
      // Sort (lo < hi known) and encode.
      if (c < lo) return (c * n + lo) * n + hi;
      if (c < hi) return (lo * n + c) * n + hi;
      return (lo * n + hi) * n + c;
    },
    enumerate() {
      const out = new Float64Array(choose3(n));
      let o = 0;
      for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) for (let c = b + 1; c < n; c++) out[o++] = (a * n + b) * n + c;
      return out;
    },
  };
}

/**
 * Uniformly random odd-one-out sets: three distinct objects per row, in random presentation order.
 *
 * Without `allowDuplicates` the rows are `count` distinct unordered sets, a uniformly random
 * `count`-subset of all C(n, 3) sets in random order (sets are encoded as one double each, sorted and
 * deduplicated; memory and time are linear in `count` up to a log factor, never in n³). With
 * `allowDuplicates` the rows are independent uniform draws.
 *
 * Bit-for-bit reproducible for a given seed.
 *
 * @throws InvalidArgumentError for nObjects < 3, a negative or non-integer count, or a count above
 *   C(nObjects, 3) without duplicates.
 */
export function sampleUniform(options: SampleUniformOptions): Triplets {
  const n = checkInteger('nObjects', options.nObjects, 3, MAX_OBJECTS);
  const count = checkInteger('count', options.count, 0);
  const rng = resolveRng(options.seed);
  const allowDuplicates = options.allowDuplicates ?? false;
  const space = uniformSpace(n);
  if (!allowDuplicates && count > space.size) {
    throw new InvalidArgumentError('count', `at most C(${n}, 3) = ${space.size} distinct sets (or allowDuplicates: true)`, count);
  }
  const progress = createProgress('sample uniform', options.onProgress, { total: count, unit: 'triplets' });

  const data = new Int32Array(count * 3);
  if (allowDuplicates) {
    for (let t = 0; t < count; t++) decodeSet(space.draw(rng), n, data, 3 * t);
  } else {
    const codes = sampleDistinctCodes(space, count, rng);
    for (let t = 0; t < count; t++) decodeSet(codes[t], n, data, 3 * t);
  }
  shuffleRows(data, rng);
  progress.end();
  return { count, data };
}
