import { createRng, InvalidArgumentError } from '@conceptlab/core';

/** Mean and standard deviation of the initial weights (the reference: nn.init.normal_(mean=0.1, std=0.01)). */
export const INIT_MEAN = 0.1;
export const INIT_SD = 0.01;

/**
 * Initial SPoSE weights: nObjects × dims values drawn from N(0.1, 0.01²), row-major (object o's row is
 * `[o·dims, (o+1)·dims)`), from `createRng(seed, 0)` in that order (one Box–Muller deviate per weight).
 * Bit-for-bit reproducible for a given seed.
 */
export function initWeights(nObjects: number, dims: number, seed: number): Float32Array {
  if (!Number.isInteger(nObjects) || nObjects < 1) throw new InvalidArgumentError('nObjects', 'a positive integer', nObjects);
  if (!Number.isInteger(dims) || dims < 1) throw new InvalidArgumentError('dims', 'a positive integer', dims);
  const rng = createRng(seed, 0);
  const w = new Float32Array(nObjects * dims);
  for (let i = 0; i < w.length; i++) w[i] = rng.nextNormal(INIT_MEAN, INIT_SD);
  return w;
}
