import { InvalidArgumentError, selectTriplets, type Triplets } from '@conceptlab/core';
import { resolveRng, type SeedOrRng } from './seed.js';
import { checkTripletsShape } from './validate.js';

/** Split fractions: `[train, validation]`, `[train, validation, test]` or named. */
export type SplitFractions =
  | readonly [number, number]
  | readonly [number, number, number]
  | { readonly train: number; readonly validation: number; readonly test?: number };

export interface SplitOptions {
  readonly fractions: SplitFractions;
  readonly seed: SeedOrRng;
}

export interface TripletSplit {
  readonly train: Triplets;
  readonly validation: Triplets;
  readonly test: Triplets;
  /** The rows of the input that went to each part (ascending). */
  readonly indices: { readonly train: Int32Array; readonly validation: Int32Array; readonly test: Int32Array };
}

const TOLERANCE = 1e-9;

function normalise(fractions: SplitFractions): [number, number, number] {
  let train: number, validation: number, test: number | undefined;
  if (Array.isArray(fractions)) {
    if (fractions.length !== 2 && fractions.length !== 3) {
      throw new InvalidArgumentError('fractions', '[train, validation] or [train, validation, test]', fractions);
    }
    [train, validation, test] = fractions as readonly number[];
  } else if (typeof fractions === 'object' && fractions !== null) {
    ({ train, validation, test } = fractions as { train: number; validation: number; test?: number });
  } else {
    throw new InvalidArgumentError('fractions', '[train, validation] or { train, validation, test? }', fractions);
  }
  for (const [name, v] of [['train', train], ['validation', validation], ['test', test]] as const) {
    if (v === undefined && name === 'test') continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
      throw new InvalidArgumentError(`fractions.${name}`, 'a number in [0, 1]', v);
    }
  }
  if (test === undefined) {
    test = 1 - train - validation;
    if (test < -TOLERANCE) throw new InvalidArgumentError('fractions', 'train + validation ≤ 1', train + validation);
    test = Math.max(0, test);
  } else if (Math.abs(train + validation + test - 1) > TOLERANCE) {
    throw new InvalidArgumentError('fractions', 'train + validation + test = 1', train + validation + test);
  }
  return [train, validation, test];
}

/**
 * A random partition of the rows of `t` into train, validation and test.
 *
 * Sizes (N = t.count): validation = ⌊validation·N⌋, test = ⌊test·N⌋ and train = N − validation − test,
 * so train takes the rows left over by rounding down and every row lands in exactly one part. When
 * `test` is not given it is 1 − train − validation; given, the three must sum to 1 (±1e-9). Which rows
 * go where is a uniform random permutation from `seed`; within each part rows keep their original
 * relative order.
 *
 * @throws InvalidArgumentError for fractions outside [0, 1] or not summing to 1.
 */
export function splitTriplets(t: Triplets, options: SplitOptions): TripletSplit {
  checkTripletsShape('triplets', t);
  const [, fv, ft] = normalise(options.fractions);
  const rng = resolveRng(options.seed);
  const N = t.count;
  // The tolerance keeps e.g. 0.1·30 = 3.0000000000000004 or 0.7·10 = 6.999999999999999 from rounding the wrong way.
  const nVal = Math.floor(fv * N + TOLERANCE);
  const nTest = Math.min(N - nVal, Math.floor(ft * N + TOLERANCE));
  const nTrain = N - nVal - nTest;
  const perm = rng.permutation(N);
  const part = (from: number, to: number): Int32Array => perm.slice(from, to).sort();
  const indices = { train: part(0, nTrain), validation: part(nTrain, nTrain + nVal), test: part(nTrain + nVal, N) };
  return {
    train: selectTriplets(t, indices.train),
    validation: selectTriplets(t, indices.validation),
    test: selectTriplets(t, indices.test),
    indices,
  };
}
