import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GridMismatchError, assertSameGrid, sameGrid } from './grid-check.js';
import { nonzeroIndices, readMask, voxelCoordinates } from './mask.js';
import { parseLabelTable, readAtlas, roisFromLabels, selectRois } from './atlas.js';
import { resampleNearest } from './resample.js';
import { writeNifti } from './write.js';
import type { Grid } from './volume.js';

const dir = mkdtempSync(join(tmpdir(), 'mask-'));
const eye = (dx = 1, tx = 0): Float64Array => Float64Array.of(dx, 0, 0, tx, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
const grid: Grid = { shape: [4, 3, 2], affine: eye(2, -3) };

describe('grid checks', () => {
  test('same shape and affine within 1e-4 mm pass; otherwise a GridMismatchError names both files, shapes and affines', () => {
    const near: Grid = { shape: [4, 3, 2], affine: eye(2, -3 + 5e-5) };
    expect(sameGrid(grid, near)).toBe(true);
    expect(() => assertSameGrid('mask.nii', near, 'bold.nii', grid)).not.toThrow();
    const moved: Grid = { shape: [4, 3, 2], affine: eye(2, -3 + 2e-4) };
    let err: unknown;
    try { assertSameGrid('mask.nii', moved, 'bold.nii', grid); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(GridMismatchError);
    const msg = (err as Error).message;
    expect((err as GridMismatchError)._tag).toBe('GridMismatchError');
    expect(msg).toContain('mask.nii and bold.nii are on different voxel grids (affine differs)');
    expect(msg).toContain('mask.nii has shape 4×3×2 and affine [[2, 0, 0, -2.9998]');
    expect(msg).toContain('bold.nii has shape 4×3×2 and affine [[2, 0, 0, -3]');
    expect(() => assertSameGrid('m', { shape: [4, 3, 1], affine: grid.affine }, 'b', grid)).toThrow('(shape differs): m has shape 4×3×1');
  });
});

describe('resampleNearest', () => {
  test('identity grids copy; a grid of half-size voxels repeats each source voxel (hand-computed)', () => {
    const src: Grid = { shape: [2, 1, 1], affine: eye(2) };
    expect(Array.from(resampleNearest([5, 7], src, src))).toEqual([5, 7]);
    // target voxel i at x = i mm; source index x/2 → ⌊i/2 + ½⌋: 0→0, 1→1 (0.5 rounds up), 2→1, 3→2 (outside → 0).
    const fine: Grid = { shape: [4, 1, 1], affine: eye(1) };
    expect(Array.from(resampleNearest([5, 7], src, fine))).toEqual([5, 7, 7, 0]);
    // A target shifted by −2 mm: voxel 0 is at x = −2 → source −1 (outside), voxel 1 → source 0.
    const shifted: Grid = { shape: [3, 1, 1], affine: eye(2, -2) };
    expect(Array.from(resampleNearest([5, 7], src, shifted))).toEqual([0, 5, 7]);
    expect(() => resampleNearest([1], src, fine)).toThrow('values: expected 2 values');
  });
});

describe('masks', () => {
  test('nonzero voxels (NaN is outside) with their voxel and world coordinates', () => {
    expect(Array.from(nonzeroIndices([0, 1, NaN, -2, 0]))).toEqual([1, 3]);
    const c = voxelCoordinates(grid, [0, 5, 23]);
    expect(Array.from(c.ijk)).toEqual([0, 0, 0, 1, 1, 0, 3, 2, 1]);
    expect(Array.from(c.world)).toEqual([-3, 0, 0, -1, 1, 0, 3, 2, 1]);
  });

  test('readMask: same grid, mismatch error, explicit nearest resampling', async () => {
    const m = new Float32Array(24);
    m[1] = 1; m[6] = 2; m[23] = 0.5;
    const f = join(dir, 'mask.nii.gz');
    writeNifti(f, { grid, frames: 1, data: m });
    const mask = await readMask(f, { target: { file: 'bold.nii', grid } });
    expect(Array.from(mask.indices)).toEqual([1, 6, 23]);
    expect(mask.resampled).toBe(false);
    const other: Grid = { shape: [4, 3, 2], affine: eye(2, -1) };
    await expect(readMask(f, { target: { file: 'bold.nii', grid: other } })).rejects.toThrow(`${f} and bold.nii are on different voxel grids (affine differs)`);
    // Resampled onto a grid shifted by +2 mm (one voxel): target voxel i sits on source voxel i + 1.
    const r = await readMask(f, { target: { file: 'bold.nii', grid: other }, resample: 'nearest' });
    expect(r.resampled).toBe(true);
    expect(Array.from(r.indices)).toEqual([0, 5, 22]);
    writeNifti(f, { grid, frames: 1, data: new Float32Array(24) });
    await expect(readMask(f)).rejects.toThrow(`${f}: expected a mask with at least one nonzero voxel`);
    writeNifti(f, { grid, frames: 2, data: new Float32Array(48) });
    await expect(readMask(f)).rejects.toMatchObject({ _tag: 'NiftiError', file: f });
  });
});

describe('label tables and atlases', () => {
  test('TSV with index/name columns and whitespace "index name" text', () => {
    expect(parseLabelTable('index\tname\tcolor\n0\tBackground\tx\n1\tFFA\ty\n2\tPPA\tz\n', 't.tsv')).toEqual([
      { index: 0, name: 'Background' }, { index: 1, name: 'FFA' }, { index: 2, name: 'PPA' },
    ]);
    expect(parseLabelTable('# FSL style\n1 Left Amygdala\n2  EBA\n', 'l.txt')).toEqual([{ index: 1, name: 'Left Amygdala' }, { index: 2, name: 'EBA' }]);
    expect(() => parseLabelTable('idx\troi_name\n1\tA\n', 'bad.tsv')).toThrow('bad.tsv:1: expected a TSV header with an index column');
    expect(() => parseLabelTable('1 A\n1 B\n', 'dup.txt')).toThrow('dup.txt:2: expected unique label indices and names, found index 1 again');
    expect(() => parseLabelTable('1 A\nx B\n', 'int.txt')).toThrow('int.txt:2: column 1: expected an integer, found "x"');
  });

  test('ROIs from labels; unknown labels and non-integers are errors naming the files', () => {
    const table = [{ index: 0, name: 'bg' }, { index: 2, name: 'PPA' }, { index: 1, name: 'FFA' }, { index: 9, name: 'empty' }];
    const rois = roisFromLabels([0, 1, 2, 2, 1, 0], table, 'atlas.nii', 'labels.tsv');
    expect(rois.map((r) => [r.name, r.label, Array.from(r.indices)])).toEqual([['PPA', 2, [2, 3]], ['FFA', 1, [1, 4]], ['empty', 9, []]]);
    expect(() => roisFromLabels([0, 3], table, 'atlas.nii', 'labels.tsv')).toThrow('labels.tsv: expected a row for label 3, which occurs in atlas.nii');
    expect(() => roisFromLabels([0, 1.5], table, 'atlas.nii', 'labels.tsv')).toThrow('atlas.nii: expected integer labels in the atlas image, found value 1.5 at voxel 1');
  });

  test('readAtlas and selectRois', async () => {
    const labels = new Float32Array(24);
    labels[0] = 1; labels[5] = 2; labels[7] = 2;
    const f = join(dir, 'atlas.nii');
    writeNifti(f, { grid, frames: 1, data: labels });
    const t = join(dir, 'atlas.tsv');
    writeFileSync(t, 'index\tname\n1\tEBA\n2\tRSC\n');
    const atlas = await readAtlas(f, t, { target: { file: 'bold.nii', grid } });
    expect(atlas.rois.map((r) => [r.name, Array.from(r.indices)])).toEqual([['EBA', [0]], ['RSC', [5, 7]]]);
    expect(selectRois(atlas, ['RSC']).map((r) => r.name)).toEqual(['RSC']);
    expect(() => selectRois(atlas, ['FFA'])).toThrow(`--roi: expected an ROI of ${t} (EBA, RSC), got "FFA"`);
    await expect(readAtlas(f, t, { target: { file: 'bold.nii', grid: { shape: [4, 3, 3], affine: grid.affine } } })).rejects.toBeInstanceOf(GridMismatchError);
  });
});
