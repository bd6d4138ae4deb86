import { createRng } from '@conceptlab/core';
import { rdmFromVector, type Rdm } from '../src/rdm/rdm.js';

/** A seeded RDM over n conditions with uniform [0, 1) dissimilarities. */
export function randomRdm(n: number, seed: number): Rdm {
  const rng = createRng(seed, 3);
  return rdmFromVector(Array.from({ length: (n * (n - 1)) / 2 }, () => rng.nextFloat()));
}

/** `base` plus seeded Gaussian noise of standard deviation `sd` on every dissimilarity. */
export function noisy(base: Rdm, seed: number, sd: number): Rdm {
  const rng = createRng(seed, 4);
  return rdmFromVector(Array.from(base.vector, (v) => v + rng.nextNormal(0, sd)));
}
