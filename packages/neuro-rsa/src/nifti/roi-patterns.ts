import { InvalidArgumentError, type Matrix } from '@conceptlab/core';
import { assertSameGrid } from './grid-check.js';
import { voxelCoordinates, type Roi, type TargetGrid } from './mask.js';
import { niftiFrameCount, niftiSpatialShape } from './header.js';
import { openNifti, readNiftiHeader, type NiftiStreamOptions } from './stream.js';
import { gridSize, type Grid } from './volume.js';

/** Options of {@link extractRoiPatterns}. */
export interface RoiPatternOptions extends NiftiStreamOptions {
  /** Element type of the pattern matrices (default 'float64'). */
  readonly dtype?: 'float32' | 'float64';
}

/** The patterns of one ROI: conditions × voxels, with the voxels used. */
export interface RoiPatterns {
  readonly name: string;
  readonly label?: number;
  /** Row c is condition c (frames of the sources, in order); column n is voxel `indices[n]`. */
  readonly patterns: Matrix<Float32Array | Float64Array>;
  /** Sorted linear voxel indices (NIfTI order) of the columns. */
  readonly indices: Int32Array;
  /** Voxel indices (i, j, k) of the columns, n × 3 row-major. */
  readonly ijk: Int32Array;
  /** World coordinates (mm) of the columns, n × 3 row-major. */
  readonly world: Float64Array;
}

/** Where the conditions came from: each source file and how many frames (conditions) it gave. */
export interface RoiPatternResult {
  readonly conditions: number;
  readonly sources: readonly { readonly file: string; readonly frames: number }[];
  readonly rois: readonly RoiPatterns[];
}

/**
 * Condition × voxel patterns for every ROI in one pass over the data: the sources are one 4-D beta series
 * (frames = conditions) or several 3-D beta maps in condition order (any mix; conditions are all frames of
 * all sources in order). Each file is streamed (chunked reads, streaming gunzip) and only the voxels of the
 * ROIs are kept from each frame, so memory is the pattern matrices plus a few chunks — a 4-D file larger than
 * 2 GiB works. Values are scaled as nibabel's `get_fdata` (scl_slope/scl_inter).
 * @param grid the grid the ROIs index into and the file it came from (the mask/atlas, already on the data grid).
 * @throws GridMismatchError when a source's shape or affine differs from `grid` (names both files);
 * InvalidArgumentError for no sources or an ROI index outside the grid; FileError/NiftiError from the reader.
 */
export async function extractRoiPatterns(sources: string | readonly string[], rois: readonly Roi[], grid: TargetGrid, options: RoiPatternOptions = {}): Promise<RoiPatternResult> {
  const files = typeof sources === 'string' ? [sources] : [...sources];
  if (files.length === 0) throw new InvalidArgumentError('sources', 'at least one image file');
  const nvox = gridSize(grid.grid);
  for (const r of rois) {
    if (r.indices.length && (r.indices[0] < 0 || r.indices[r.indices.length - 1] >= nvox)) throw new InvalidArgumentError(`ROI ${r.name}`, `voxel indices in [0, ${nvox - 1}]`);
  }
  const frames: number[] = [];
  for (const f of files) {
    const h = await readNiftiHeader(f);
    const g: Grid = { shape: niftiSpatialShape(h), affine: h.affine };
    assertSameGrid(f, g, grid.file, grid.grid);
    frames.push(niftiFrameCount(h));
  }
  const conditions = frames.reduce((a, b) => a + b, 0);

  // The union of all ROI voxels, and where each ROI's columns sit in it.
  const all = new Int32Array(rois.reduce((s, r) => s + r.indices.length, 0));
  let o = 0;
  for (const r of rois) { all.set(r.indices, o); o += r.indices.length; }
  all.sort();
  let U = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[U++] = all[i];
  const union = all.subarray(0, U);
  const position = rois.map((r) => {
    const pos = new Int32Array(r.indices.length);
    let p = 0;
    for (let n = 0; n < r.indices.length; n++) {
      while (union[p] !== r.indices[n]) p++;
      pos[n] = p;
    }
    return pos;
  });
  const Arr = options.dtype === 'float32' ? Float32Array : Float64Array;
  const mats = rois.map((r) => ({ rows: conditions, cols: r.indices.length, data: new Arr(conditions * r.indices.length) }));
  const frame = new Float64Array(U);

  let row = 0;
  for (let s = 0; s < files.length; s++) {
    const stream = await openNifti(files[s], options);
    if (U === 0) {
      await stream.close();
      row += frames[s];
      continue;
    }
    let f = 0, p = 0;
    let wanted = union[0];
    for await (const b of stream.blocks()) {
      const end = b.start + b.values.length;
      while (wanted < end && f < frames[s]) {
        frame[p] = b.values[wanted - b.start];
        if (++p === U) {
          for (let r = 0; r < rois.length; r++) {
            const pos = position[r], m = mats[r], base = (row + f) * m.cols;
            for (let n = 0; n < pos.length; n++) m.data[base + n] = frame[pos[n]];
          }
          f++;
          p = 0;
        }
        wanted = f * nvox + union[p];
      }
    }
    row += frames[s];
  }
  return {
    conditions,
    sources: files.map((file, k) => ({ file, frames: frames[k] })),
    rois: rois.map((r, k) => ({ name: r.name, ...(r.label !== undefined ? { label: r.label } : {}), patterns: mats[k], indices: r.indices, ...voxelCoordinates(grid.grid, r.indices) })),
  };
}
