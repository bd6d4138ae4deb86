import { openNifti, type NiftiStreamOptions } from './stream.js';
import type { NiftiHeader } from './header.js';

/** Summary statistics of all voxel values of an image (all frames), NaN values left out of min/max/mean/sd. */
export interface VoxelStats {
  /** Number of values (all voxels of all frames). */
  readonly count: number;
  readonly nanCount: number;
  /** Values ≠ 0 (NaN counts as nonzero, as numpy's `count_nonzero`). */
  readonly nonzero: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Population standard deviation (ddof 0, numpy's `nanstd` default). */
  readonly sd: number;
}

/**
 * Voxel-value statistics of a NIfTI image, computed while streaming (memory: a few chunks). Mean and
 * variance are combined block by block with Chan et al.'s pairwise update (each block two-pass), so they stay
 * accurate for large images. Values are scaled (scl_slope/scl_inter) and rounded to float32 for non-float64
 * sources, as {@link readNifti} returns them. An all-NaN image has min/max/mean/sd NaN.
 * @throws FileError/NiftiError from the reader.
 */
export async function niftiStats(file: string, options: NiftiStreamOptions = {}): Promise<{ header: NiftiHeader; stats: VoxelStats }> {
  const s = await openNifti(file, options);
  let n = 0, mean = 0, m2 = 0, min = Infinity, max = -Infinity, nan = 0, nonzero = 0, count = 0;
  for await (const b of s.blocks()) {
    const v = b.values;
    count += v.length;
    let bn = 0, bsum = 0;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== 0) nonzero++;
      if (x !== x) { nan++; continue; }
      bn++;
      bsum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (bn === 0) continue;
    const bmean = bsum / bn;
    let bm2 = 0;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x === x) bm2 += (x - bmean) * (x - bmean);
    }
    const tot = n + bn;
    const delta = bmean - mean;
    mean += (delta * bn) / tot;
    m2 += bm2 + (delta * delta * n * bn) / tot;
    n = tot;
  }
  const stats: VoxelStats = n === 0
    ? { count, nanCount: nan, nonzero, min: NaN, max: NaN, mean: NaN, sd: NaN }
    : { count, nanCount: nan, nonzero, min, max, mean, sd: Math.sqrt(m2 / n) };
  return { header: s.header, stats };
}
