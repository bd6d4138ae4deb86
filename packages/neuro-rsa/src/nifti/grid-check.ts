import { ConceptlabError } from '@conceptlab/core';
import type { Grid } from './volume.js';

/** Largest difference (mm) between two affines' entries that still counts as the same grid. */
export const AFFINE_TOLERANCE = 1e-4;

function formatAffine(a: Float64Array): string {
  const rows: string[] = [];
  for (let r = 0; r < 3; r++) rows.push(`[${Array.from(a.subarray(r * 4, r * 4 + 4), (x) => +x.toPrecision(6)).join(', ')}]`);
  return `[${rows.join(', ')}]`;
}

/**
 * Two images that should share a voxel grid but do not: a mask or atlas whose shape or affine differs from
 * the data's. Names both files with both shapes and both affines; nothing is resampled silently (pass
 * `resample: 'nearest'` to map the mask onto the data grid).
 */
export class GridMismatchError extends ConceptlabError {
  readonly _tag = 'GridMismatchError' as const;
  readonly file: string;
  readonly otherFile: string;
  constructor(file: string, grid: Grid, otherFile: string, other: Grid, what: 'shape' | 'affine') {
    super(
      `${file} and ${otherFile} are on different voxel grids (${what} differs): ` +
        `${file} has shape ${grid.shape.join('×')} and affine ${formatAffine(grid.affine)}; ` +
        `${otherFile} has shape ${other.shape.join('×')} and affine ${formatAffine(other.affine)}. ` +
        `Resample explicitly (resample: 'nearest' / --resample nearest) if that is intended.`,
    );
    this.name = 'GridMismatchError';
    this.file = file;
    this.otherFile = otherFile;
  }
}

/** True when two grids have the same shape and affines equal to within `tolerance` mm per entry. */
export function sameGrid(a: Grid, b: Grid, tolerance = AFFINE_TOLERANCE): boolean {
  return a.shape.every((d, i) => d === b.shape[i]) && a.affine.every((x, i) => Math.abs(x - b.affine[i]) <= tolerance);
}

/**
 * Check that `grid` (read from `file`) is the same grid as `reference` (from `referenceFile`).
 * @throws GridMismatchError naming both files, shapes and affines when shapes differ or an affine entry
 * differs by more than `tolerance` (1e-4 mm).
 */
export function assertSameGrid(file: string, grid: Grid, referenceFile: string, reference: Grid, tolerance = AFFINE_TOLERANCE): void {
  if (!grid.shape.every((d, i) => d === reference.shape[i])) throw new GridMismatchError(file, grid, referenceFile, reference, 'shape');
  if (!grid.affine.every((x, i) => Math.abs(x - reference.affine[i]) <= tolerance)) throw new GridMismatchError(file, grid, referenceFile, reference, 'affine');
}
