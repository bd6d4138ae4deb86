import { createRng, InvalidArgumentError, type Matrix, type NumericArray } from '@conceptlab/core';
import { UMAP } from 'umap-js';
import type { Map2d } from './tsne.js';

/**
 * A 2-D UMAP (McInnes et al. 2018) of the embedding rows with `umap-js` (Euclidean distance, 15 neighbours,
 * min_dist 0.1 unless given), its random numbers drawn from `createRng(seed, 1)` so the map is reproducible.
 *
 * @throws InvalidArgumentError for fewer than 3 objects or a bad neighbour count.
 */
export function umapMap(embedding: Matrix<NumericArray>, options: { seed?: number; nNeighbors?: number; minDist?: number } = {}): Map2d {
  const n = embedding.rows, D = embedding.cols;
  if (n < 3) throw new InvalidArgumentError('embedding', 'at least 3 objects for UMAP', n);
  const nNeighbors = options.nNeighbors ?? Math.min(15, n - 1);
  if (!Number.isInteger(nNeighbors) || nNeighbors < 2 || nNeighbors >= n) throw new InvalidArgumentError('nNeighbors', `an integer in [2, ${n})`, nNeighbors);
  const rng = createRng(options.seed ?? 0, 1);
  const umap = new UMAP({ nComponents: 2, nNeighbors, minDist: options.minDist ?? 0.1, random: () => rng.nextFloat() });
  const rows = Array.from({ length: n }, (_, i) => Array.from(embedding.data.subarray(i * D, (i + 1) * D)));
  const out = umap.fit(rows);
  const data = new Float64Array(n * 2);
  out.forEach((p, i) => { data[2 * i] = p[0]; data[2 * i + 1] = p[1]; });
  return { coordinates: { rows: n, cols: 2, data }, method: `UMAP (umap-js; ${nNeighbors} neighbours)` };
}
