import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirForTests } from '@conceptlab/core';
import { readNifti } from './read.js';
import { writeNifti } from './write.js';
import { extractRoiPatterns } from './roi-patterns.js';
import { gridSize } from './volume.js';
import type { Roi } from './mask.js';

const data = dataDirForTests(__dirname, 'ROI pattern extraction from a real 4-D fMRI file');
const it = data ? test : test.skip;
const dir = mkdtempSync(join(tmpdir(), 'roi-'));

describe('extractRoiPatterns', () => {
  it('functional.nii: every ROI equals direct indexing of the whole image, for tiny and large chunks', async () => {
    const file = join(data!, 'nifti', 'functional.nii');
    const whole = await readNifti(file);
    const nvox = gridSize(whole.volume.grid);
    const T = whole.volume.frames;
    // Overlapping ROIs, the first and last voxel of the grid, and an empty one.
    const rois: Roi[] = [
      { name: 'a', indices: Int32Array.of(0, 17, 500, 1070) },
      { name: 'b', indices: Int32Array.of(17, 18, 1070) },
      { name: 'edge', indices: Int32Array.of(nvox - 1) },
      { name: 'none', indices: new Int32Array(0) },
    ];
    for (const chunkSize of [3, 7, 1 << 20]) {
      const r = await extractRoiPatterns(file, rois, { file, grid: whole.volume.grid }, { chunkSize });
      expect(r.conditions).toBe(20);
      expect(r.sources).toEqual([{ file, frames: 20 }]);
      r.rois.forEach((roi, k) => {
        expect(roi.name).toBe(rois[k].name);
        expect(roi.patterns.rows).toBe(T);
        expect(roi.patterns.cols).toBe(rois[k].indices.length);
        expect(roi.patterns.data).toBeInstanceOf(Float64Array);
        for (let t = 0; t < T; t++) rois[k].indices.forEach((v, n) => expect(roi.patterns.data[t * roi.patterns.cols + n]).toBe(whole.volume.data[t * nvox + v]));
      });
    }
    const r = await extractRoiPatterns(file, rois.slice(0, 1), { file, grid: whole.volume.grid }, { dtype: 'float32' });
    expect(r.rois[0].patterns.data).toBeInstanceOf(Float32Array);
    // Voxel 500 = (i, j, k) with 500 = 7 + 17·(8 + 21·1); world = affine · ijk (−4·7 + 32, 4·8 − 40, 8·1).
    expect(Array.from(r.rois[0].ijk.subarray(6, 9))).toEqual([7, 8, 1]);
    expect(Array.from(r.rois[0].world.subarray(6, 9))).toEqual([4, -8, 8]);
    // numpy (float64 of the scaled int16): functional[0, 0, 0, 0] = 4004.137202501297.
    expect(r.rois[0].patterns.data[0]).toBeCloseTo(4004.137202501297, 3);
  });

  it('a list of 3-D beta maps gives the same patterns as the 4-D series; a grid mismatch names both files', async () => {
    const file = join(data!, 'nifti', 'functional.nii');
    const whole = await readNifti(file);
    const nvox = gridSize(whole.volume.grid);
    const maps = [0, 1, 2].map((t) => {
      const f = join(dir, `beta${t}.nii.gz`);
      writeNifti(f, { grid: whole.volume.grid, frames: 1, data: whole.volume.data.slice(t * nvox, (t + 1) * nvox) });
      return f;
    });
    const rois: Roi[] = [{ name: 'x', indices: Int32Array.of(3, 99, 1000) }];
    const fromMaps = await extractRoiPatterns(maps, rois, { file, grid: whole.volume.grid }, { chunkSize: 5 });
    const fromSeries = await extractRoiPatterns(file, rois, { file, grid: whole.volume.grid });
    expect(fromMaps.conditions).toBe(3);
    expect(Array.from(fromMaps.rois[0].patterns.data)).toEqual(Array.from(fromSeries.rois[0].patterns.data.subarray(0, 9)));
    const shifted = { shape: whole.volume.grid.shape, affine: Float64Array.from(whole.volume.grid.affine, (x, i) => (i === 3 ? x + 1 : x)) };
    await expect(extractRoiPatterns(file, rois, { file: 'mask.nii', grid: shifted })).rejects.toThrow(`${file} and mask.nii are on different voxel grids (affine differs)`);
    await expect(extractRoiPatterns([], rois, { file, grid: whole.volume.grid })).rejects.toThrow('sources: expected at least one image file');
    await expect(extractRoiPatterns(file, [{ name: 'out', indices: Int32Array.of(nvox) }], { file, grid: whole.volume.grid })).rejects.toThrow('ROI out: expected voxel indices in [0, 1070]');
  });
});
