import { createRng, InvalidArgumentError } from '@conceptlab/core';

/** One train/test split of the conditions 0…n−1 (both ascending). */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** Options of {@link kFolds}. */
export interface KFoldOptions {
  /** Shuffle the conditions before cutting them into folds (default false: contiguous folds, as sklearn's `KFold()`). */
  readonly shuffle?: boolean;
  /** Seed of the shuffle (default 0); the same seed gives the same folds. */
  readonly seed?: number;
}

/** Random stream of fold shuffles (keeps them apart from other draws of the same seed). */
const FOLD_STREAM = 41;
/** Random stream of train/test splits. */
const SPLIT_STREAM = 42;

function complement(n: number, test: Int32Array): Int32Array {
  const inTest = new Uint8Array(n);
  for (const i of test) inTest[i] = 1;
  const train = new Int32Array(n - test.length);
  let t = 0;
  for (let i = 0; i < n; i++) if (!inTest[i]) train[t++] = i;
  return train;
}

/**
 * K-fold cross-validation splits of `n` conditions, as sklearn's `KFold(k)`: the first n mod k folds hold
 * ⌊n/k⌋ + 1 conditions, the rest ⌊n/k⌋; with `shuffle`, the conditions are permuted first by a seeded
 * generator (`createRng(seed, 41)`; not sklearn's permutation). Each fold's test set and its complement (train).
 *
 * @throws InvalidArgumentError when k is not an integer in [2, n] or the seed is not a non-negative integer.
 */
export function kFolds(n: number, k: number, options: KFoldOptions = {}): Split[] {
  if (!Number.isInteger(n) || n < 2) throw new InvalidArgumentError('n', 'at least 2 conditions', n);
  if (!Number.isInteger(k) || k < 2 || k > n) throw new InvalidArgumentError('folds', `an integer in [2, ${n}] (the number of conditions)`, k);
  const order = options.shuffle ? createRng(options.seed ?? 0, FOLD_STREAM).permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  const base = Math.floor(n / k), extra = n % k;
  const out: Split[] = [];
  let at = 0;
  for (let f = 0; f < k; f++) {
    const size = base + (f < extra ? 1 : 0);
    const test = order.slice(at, at + size).sort();
    at += size;
    out.push({ train: complement(n, test), test });
  }
  return out;
}

/**
 * A seeded random train/test split: round(fraction·n) conditions (at least 1, at most n − 2) drawn without
 * replacement for testing (`createRng(seed, 42)`), the rest for training.
 *
 * @throws InvalidArgumentError when `fraction` is not in (0, 1) or n < 3.
 */
export function trainTestSplit(n: number, fraction: number, seed = 0): Split {
  if (!Number.isInteger(n) || n < 3) throw new InvalidArgumentError('n', 'at least 3 conditions', n);
  if (!(fraction > 0 && fraction < 1)) throw new InvalidArgumentError('test fraction', 'a number in (0, 1)', fraction);
  const size = Math.min(n - 2, Math.max(1, Math.round(fraction * n)));
  const test = createRng(seed, SPLIT_STREAM).sampleWithoutReplacement(n, size).sort();
  return { train: complement(n, test), test };
}

/**
 * The split that tests on the given condition indices and trains on the rest.
 *
 * @throws InvalidArgumentError when an index is out of [0, n), repeated, or leaves fewer than 2 training conditions.
 */
export function splitFromTest(n: number, testIndices: ArrayLike<number>): Split {
  const seen = new Uint8Array(n);
  for (let q = 0; q < testIndices.length; q++) {
    const i = testIndices[q]!;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new InvalidArgumentError('test indices', `condition indices in [0, ${n - 1}]`, i);
    if (seen[i]) throw new InvalidArgumentError('test indices', 'distinct condition indices', i);
    seen[i] = 1;
  }
  if (testIndices.length === 0) throw new InvalidArgumentError('test indices', 'at least one test condition', 0);
  if (n - testIndices.length < 2) throw new InvalidArgumentError('test indices', 'at least 2 conditions left for training', n - testIndices.length);
  const test = Int32Array.from(testIndices).sort();
  return { train: complement(n, test), test };
}
