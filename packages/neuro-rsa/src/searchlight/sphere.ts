import { InvalidArgumentError } from '@conceptlab/core';

/**
 * A searchlight neighbourhood shape as voxel offsets (di, dj, dk) from the centre, stored flat:
 * offset m is (`offsets[3m]`, `offsets[3m+1]`, `offsets[3m+2]`). The centre (0, 0, 0) is always one of them.
 */
export interface Neighbourhood {
  /** Number of offsets. */
  readonly count: number;
  /** 3·count integers. */
  readonly offsets: Int32Array;
}

/**
 * The offsets of a searchlight sphere of `radius` voxels: every (di, dj, dk) with
 * √(di² + dj² + dk²) < radius — strictly less, as rsatoolbox's `_get_searchlight_neighbors`
 * (`util/searchlight.py`), so radius 1 is the centre alone, radius 1.5 has 19 voxels (the 3×3×3 cube less its
 * 8 corners), radius 2 the whole 3×3×3 cube (27), radius 3 has 93 and radius 4 has 251. Offsets are in NIfTI order (di fastest).
 *
 * @throws InvalidArgumentError when `radius` is not a finite number > 0.
 */
export function sphereOffsets(radius: number): Neighbourhood {
  if (!Number.isFinite(radius) || radius <= 0) throw new InvalidArgumentError('radius', 'a finite number of voxels > 0', radius);
  const reach = Math.ceil(radius) - 1;
  const r2 = radius * radius;
  const out: number[] = [];
  for (let dk = -reach; dk <= reach; dk++) {
    for (let dj = -reach; dj <= reach; dj++) {
      for (let di = -reach; di <= reach; di++) {
        if (di * di + dj * dj + dk * dk < r2) out.push(di, dj, dk);
      }
    }
  }
  return { count: out.length / 3, offsets: Int32Array.from(out) };
}

/**
 * The offsets of a searchlight cube of `side` × `side` × `side` voxels centred on the voxel
 * (the paper's searchlight: 7×7×7). `side` must be odd so the cube has a centre.
 *
 * @throws InvalidArgumentError when `side` is not an odd positive integer.
 */
export function cubeOffsets(side: number): Neighbourhood {
  if (!Number.isInteger(side) || side < 1 || side % 2 === 0) throw new InvalidArgumentError('side', 'an odd positive integer', side);
  const h = (side - 1) / 2;
  const out: number[] = [];
  for (let dk = -h; dk <= h; dk++) for (let dj = -h; dj <= h; dj++) for (let di = -h; di <= h; di++) out.push(di, dj, dk);
  return { count: out.length / 3, offsets: Int32Array.from(out) };
}
