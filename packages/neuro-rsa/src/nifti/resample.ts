import { InvalidArgumentError } from '@conceptlab/core';
import { invertAffine, multiplyAffines } from './affine.js';
import { gridSize, type Grid } from './volume.js';

/**
 * Nearest-neighbour resampling of one 3-D image onto another grid through the two affines (for masks and
 * label images, whose values must not be blended): target voxel (i, j, k) has world position
 * A_target·(i, j, k, 1); its value is the source voxel whose centre is nearest to that position, i.e. the
 * source index ⌊A_source⁻¹·world + ½⌋ per axis, or 0 when that index is outside the source grid
 * (the semantics of scipy.ndimage's order-0 mapping used by nilearn's `resample_to_img(…, 'nearest')`).
 * @throws InvalidArgumentError when `values` does not hold one value per source voxel, or the source affine is singular.
 */
export function resampleNearest(values: ArrayLike<number>, source: Grid, target: Grid): Float32Array {
  if (values.length !== gridSize(source)) throw new InvalidArgumentError('values', `${gridSize(source)} values (one per source voxel)`, values.length);
  let inv: Float64Array;
  try {
    inv = invertAffine(source.affine);
  } catch {
    throw new InvalidArgumentError('source.affine', 'an invertible affine');
  }
  const m = multiplyAffines(inv, target.affine); // target voxel → source voxel
  const [X, Y, Z] = target.shape;
  const [SX, SY, SZ] = source.shape;
  const out = new Float32Array(X * Y * Z);
  let t = 0;
  for (let k = 0; k < Z; k++) for (let j = 0; j < Y; j++) for (let i = 0; i < X; i++, t++) {
    const si = Math.floor(m[0] * i + m[1] * j + m[2] * k + m[3] + 0.5);
    const sj = Math.floor(m[4] * i + m[5] * j + m[6] * k + m[7] + 0.5);
    const sk = Math.floor(m[8] * i + m[9] * j + m[10] * k + m[11] + 0.5);
    if (si < 0 || sj < 0 || sk < 0 || si >= SX || sj >= SY || sk >= SZ) continue;
    out[t] = values[si + SX * (sj + SY * sk)];
  }
  return out;
}
