import { InvalidArgumentError } from '@conceptlab/core';
import { applyAffine } from './affine.js';
import { NiftiError } from './error.js';
import { readNifti } from './read.js';
import { assertSameGrid, sameGrid } from './grid-check.js';
import { resampleNearest } from './resample.js';
import type { Grid } from './volume.js';

/** The grid a mask or atlas must match, and the file it came from (for error messages). */
export interface TargetGrid {
  readonly file: string;
  readonly grid: Grid;
}

/** How a mask or atlas is put on the data's grid. */
export interface OnGridOptions {
  /** The data grid the image must match; omitted, the image's own grid is used. */
  readonly target?: TargetGrid;
  /** 'nearest': map the image onto the target grid by nearest neighbour; absent: a different grid is an error. */
  readonly resample?: 'nearest';
}

/** A region of interest: a name and its voxels as sorted linear indices into a grid (NIfTI order). */
export interface Roi {
  readonly name: string;
  /** The atlas label the ROI came from (absent for a binary mask). */
  readonly label?: number;
  readonly indices: Int32Array;
}

/** A binary mask read from a file, on the data grid. */
export interface Mask extends Roi {
  readonly file: string;
  readonly grid: Grid;
  /** True when the mask was resampled onto the target grid. */
  readonly resampled: boolean;
}

/**
 * A 3-D image's values on the target grid: unchanged when the grids match (1e-4 mm), resampled by nearest
 * neighbour when `resample: 'nearest'` is asked, otherwise an error.
 * @throws NiftiError for an image that is not 3-D (a 4-D image with one frame is accepted);
 * GridMismatchError when the grids differ and no resampling was asked; FileError/NiftiError from the reader.
 */
export async function read3dOnGrid(file: string, what: string, options: OnGridOptions = {}): Promise<{ grid: Grid; values: Float32Array | Float64Array; resampled: boolean }> {
  const img = await readNifti(file);
  if (img.volume.frames !== 1) throw new NiftiError(file, `a 3-D ${what} image`, `dims ${img.header.dims.join('×')}`);
  const own = img.volume.grid;
  const t = options.target;
  if (!t || sameGrid(own, t.grid)) return { grid: t?.grid ?? own, values: img.volume.data, resampled: false };
  if (options.resample !== 'nearest') assertSameGrid(file, own, t.file, t.grid);
  return { grid: t.grid, values: resampleNearest(img.volume.data, own, t.grid), resampled: true };
}

/** Sorted linear indices of the voxels where `values` is nonzero (NaN counts as outside). */
export function nonzeroIndices(values: ArrayLike<number>): Int32Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && values[i] === values[i]) n++;
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (values[i] !== 0 && values[i] === values[i]) out[k++] = i;
  return out;
}

/**
 * Read a binary mask (nonzero = inside) and put it on the data grid ({@link read3dOnGrid}).
 * @throws InvalidArgumentError for an empty mask; the errors of {@link read3dOnGrid}.
 */
export async function readMask(file: string, options: OnGridOptions = {}): Promise<Mask> {
  const { grid, values, resampled } = await read3dOnGrid(file, 'mask', options);
  const indices = nonzeroIndices(values);
  if (indices.length === 0) throw new InvalidArgumentError(file, resampled ? 'a mask with at least one voxel inside the data grid after resampling' : 'a mask with at least one nonzero voxel', 'none');
  return { name: 'mask', file, grid, indices, resampled };
}

/**
 * Voxel indices (i, j, k) and world coordinates (mm, through the grid's affine) of linear voxel indices,
 * each as an n × 3 row-major array.
 */
export function voxelCoordinates(grid: Grid, indices: ArrayLike<number>): { ijk: Int32Array; world: Float64Array } {
  const [X, Y] = grid.shape;
  const ijk = new Int32Array(indices.length * 3);
  const world = new Float64Array(indices.length * 3);
  for (let n = 0; n < indices.length; n++) {
    const v = indices[n];
    const i = v % X, j = Math.floor(v / X) % Y, k = Math.floor(v / (X * Y));
    ijk.set([i, j, k], 3 * n);
    world.set(applyAffine(grid.affine, i, j, k), 3 * n);
  }
  return { ijk, world };
}
