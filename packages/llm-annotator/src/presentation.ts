/**
 * The order in which a row's three objects are shown to the model. Each row gets its own seeded
 * permutation, derived from (seed, row) alone, so the order does not depend on which requests finish
 * first, on sharding, on resuming or on batch mode:
 *
 *   rowSeed(seed, row) = SplitMix64 finaliser of (seed·φ64 + row·0xbf58476d1ce4e5b9 + 0x94d049bb133111eb) mod 2^64
 *   order(seed, row)   = createRng(rowSeed(seed, row)).permutation(3)
 *   presented[i]       = input[order[i]]
 *
 * (A per-row `createRng(seed, row)` stream would need `row` 2^64-jumps: too slow for 4.7M rows.)
 */
import { InvalidArgumentError, createRng } from '@conceptlab/core';

const MASK64 = (1n << 64n) - 1n;

/** The 64-bit seed of one row's generator. */
export function rowSeed(seed: number, row: number): bigint {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('seed', 'a non-negative safe integer', seed);
  if (!Number.isSafeInteger(row) || row < 0) throw new InvalidArgumentError('row', 'a non-negative integer', row);
  let z = (BigInt(seed) * 0x9e3779b97f4a7c15n + BigInt(row) * 0xbf58476d1ce4e5b9n + 0x94d049bb133111ebn) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** The permutation of input positions shown at presentation positions 0, 1, 2. */
export function presentationOrder(seed: number, row: number): [number, number, number] {
  const p = createRng(rowSeed(seed, row)).permutation(3);
  return [p[0], p[1], p[2]];
}

/** The presented objects of a row whose input objects are (a, b, c). */
export function presentedObjects(seed: number, row: number, a: number, b: number, c: number): [number, number, number] {
  const o = presentationOrder(seed, row);
  const input = [a, b, c];
  return [input[o[0]], input[o[1]], input[o[2]]];
}
