import { createMatrix, createRng, type Matrix } from '@conceptlab/core';

/**
 * A planted sparse embedding for fit/merge tests: n objects, each mostly on dim i % d (1.5 + U(0, 1)) with a
 * little of the next dim (0.3·U(0, 1)), drawn from createRng(seed).
 */
export function plantedEmbedding(n: number, d: number, seed: number): Matrix<Float64Array> {
  const rng = createRng(seed);
  const w = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    w[i * d + (i % d)] = 1.5 + rng.nextFloat();
    w[i * d + ((i + 1) % d)] = 0.3 * rng.nextFloat();
  }
  return createMatrix(n, d, w);
}
