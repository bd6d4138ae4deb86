import { createRng, InvalidArgumentError, type Rng } from '@conceptlab/core';

/**
 * What a stochastic function accepts as its source of randomness: a seed (a non-negative safe
 * integer or a bigint below 2^64, expanded by core's `createRng`) or an `Rng` that the function
 * advances in place (so several calls can share one stream).
 */
export type SeedOrRng = number | bigint | Rng;

function isRng(x: unknown): x is Rng {
  return typeof x === 'object' && x !== null && typeof (x as Rng).nextUint32 === 'function';
}

/** The generator for `seed`: a fresh `createRng(seed)`, or the given `Rng` itself. */
export function resolveRng(seed: SeedOrRng | undefined, argument = 'seed'): Rng {
  if (isRng(seed)) return seed;
  if (typeof seed === 'number' || typeof seed === 'bigint') return createRng(seed);
  throw new InvalidArgumentError(argument, 'a seed (non-negative integer) or an Rng', seed);
}
