/**
 * The spatial vocabulary shared by the image, mask, searchlight and encoding modules.
 *
 * Voxel order is NIfTI's: voxel (i, j, k) of a grid with shape (X, Y, Z) is at linear index
 * i + X·(j + Y·k) (the first axis varies fastest). A 4-D series stores frame t's volume at
 * offset t·X·Y·Z.
 */

/** A 3-D voxel grid: its shape and its voxel → world (mm) affine. */
export interface Grid {
  /** Voxels along each axis (X, Y, Z). */
  readonly shape: readonly [number, number, number];
  /** The 4×4 voxel → world affine, row-major (world = affine · [i, j, k, 1]ᵀ). */
  readonly affine: Float64Array;
}

/** Voxel values on a grid: one volume (`frames` 1) or a series of `frames` volumes. */
export interface Volume {
  readonly grid: Grid;
  /** Number of volumes (the 4th dimension; 1 for a 3-D image). */
  readonly frames: number;
  /** X·Y·Z·frames values in NIfTI order. */
  readonly data: Float32Array | Float64Array;
}

/** Number of voxels of a grid: X·Y·Z. */
export function gridSize(grid: Grid): number {
  return grid.shape[0] * grid.shape[1] * grid.shape[2];
}
