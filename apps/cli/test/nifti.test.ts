import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirForTests, readNpy } from '@conceptlab/core';
import { readNifti, writeNifti, type Volume } from '@conceptlab/neuro-rsa';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

const data = dataDirForTests(__dirname, 'conceptlab nifti-info / roi on the NIfTI test images');
const it = data ? test : test.skip;
const nifti = (f: string) => join(data!, 'nifti', f);

describe('conceptlab nifti-info', () => {
  it('functional.nii: dims, datatype, voxel sizes, affine and streaming statistics (numpy reference)', () => {
    const r = runJson<{ dims: number[]; datatype: string; voxelSize: number[]; affine: number[][]; tr: number; byteOrder: string; stats: { min: number; max: number; mean: number; sd: number; nonzero: number; nan: number; count: number } }>(['nifti-info', nifti('functional.nii')]);
    expect(r.dims).toEqual([17, 21, 3, 20]);
    expect(r.datatype).toBe('int16');
    expect(r.byteOrder).toBe('little');
    expect(r.voxelSize).toEqual([4, 4, 8]);
    expect(r.tr).toBe(2);
    expect(r.affine).toEqual([[-4, 0, 0, 32], [0, 4, 0, -40], [0, 0, 8, 0], [0, 0, 0, 1]]);
    // numpy over the scaled values (raw int16 · 0.0754069686 + 3100.76171875), float64.
    expect(r.stats.count).toBe(21420);
    expect(r.stats.nonzero).toBe(21420);
    expect(r.stats.nan).toBe(0);
    expect(r.stats.min).toBeCloseTo(629.826171875, 3);
    expect(r.stats.max).toBeCloseTo(5571.621858656406, 3);
    expect(r.stats.mean).toBeCloseTo(3637.408513675239, 3);
    expect(r.stats.sd).toBeCloseTo(530.412373779884, 3);
  });

  it('human output for the big-endian anatomical image', () => {
    const r = runCli(['nifti-info', nifti('anatomical.nii')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('NIfTI-1, big-endian');
    expect(r.stdout).toContain('dimensions: 33 × 41 × 25');
    expect(r.stdout).toContain('values: min -610, max 30393');
  });

  it('not-nifti.nii: exit 1 with the file named', () => {
    const r = runCli(['nifti-info', nifti('not-nifti.nii')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${nifti('not-nifti.nii')}: expected a NIfTI-1 or NIfTI-2 file`);
    const j = runCli(['nifti-info', nifti('not-nifti.nii'), '--json']);
    expect(JSON.parse(j.stderr).error).toMatchObject({ tag: 'NiftiError', file: nifti('not-nifti.nii') });
  });
});

describe('conceptlab roi', () => {
  const dir = tempDir();

  it('--mask: conditions × voxels float32 .npy equal to direct indexing; 3-D beta maps give the same rows', async () => {
    const bold = nifti('functional.nii');
    const img = await readNifti(bold);
    const nvox = 17 * 21 * 3;
    const inside = [5, 200, 201, 777, nvox - 1];
    const m = new Float32Array(nvox);
    for (const v of inside) m[v] = 1;
    const mask = join(dir, 'mask.nii.gz');
    writeNifti(mask, { grid: img.volume.grid, frames: 1, data: m });
    const out = join(dir, 'mask.npy');
    const r = runJson<{ conditions: number; voxels: number; resampled: boolean }>(['roi', '--bold', bold, '--mask', mask, '--out', out]);
    expect(r).toMatchObject({ conditions: 20, voxels: 5, resampled: false });
    const a = readNpy(out);
    expect(a.dtype).toBe('f4');
    expect(a.shape).toEqual([20, 5]);
    for (let t = 0; t < 20; t++) inside.forEach((v, n) => expect(a.data[t * 5 + n]).toBe(img.volume.data[t * nvox + v]));

    const maps = [0, 1].map((t) => {
      const f = join(dir, `beta${t}.nii`);
      writeNifti(f, { grid: img.volume.grid, frames: 1, data: img.volume.data.slice(t * nvox, (t + 1) * nvox) } as Volume);
      return f;
    });
    const out2 = join(dir, 'maps.npy');
    runJson(['roi', '--bold', ...maps, '--mask', mask, '--out', out2]);
    expect(Array.from(readNpy(out2).data as Float32Array)).toEqual(Array.from(a.data as Float32Array).slice(0, 10));
  });

  it('--atlas: one .npy per ROI plus rois.json; --roi selects', async () => {
    const bold = nifti('functional.nii');
    const img = await readNifti(bold);
    const nvox = 17 * 21 * 3;
    const labels = new Float32Array(nvox);
    labels[10] = 1; labels[11] = 1; labels[300] = 2;
    const atlas = join(dir, 'atlas.nii');
    writeNifti(atlas, { grid: img.volume.grid, frames: 1, data: labels });
    const table = writeText(dir, 'atlas.tsv', 'index\tname\n0\tbackground\n1\tFFA left\n2\tPPA\n');
    const out = join(dir, 'rois');
    const r = runJson<{ rois: { name: string; voxels: number; file: string }[]; conditions: number }>(['roi', '--bold', bold, '--atlas', atlas, '--labels', table, '--out', out]);
    expect(r.conditions).toBe(20);
    expect(r.rois).toEqual([{ name: 'FFA left', label: 1, voxels: 2, file: 'FFA_left.npy' }, { name: 'PPA', label: 2, voxels: 1, file: 'PPA.npy' }]);
    const ffa = readNpy(join(out, 'FFA_left.npy'));
    expect(ffa.shape).toEqual([20, 2]);
    expect(ffa.data[2 * 19 + 1]).toBe(img.volume.data[19 * nvox + 11]);
    const json = JSON.parse(readFileSync(join(out, 'rois.json'), 'utf8'));
    expect(json.sources).toEqual([{ file: bold, frames: 20 }]);
    expect(json.rois.map((x: { name: string }) => x.name)).toEqual(['FFA left', 'PPA']);
    const only = runJson<{ rois: { name: string }[] }>(['roi', '--bold', bold, '--atlas', atlas, '--labels', table, '--roi', 'PPA', '--out', join(dir, 'only')]);
    expect(only.rois.map((x) => x.name)).toEqual(['PPA']);
    const bad = runCli(['roi', '--bold', bold, '--atlas', atlas, '--labels', table, '--roi', 'EBA', '--out', join(dir, 'x')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--roi: expected an ROI of');
  });

  it('a mask on another grid is an error naming both files unless --resample nearest', async () => {
    const bold = nifti('functional.nii');
    const img = await readNifti(bold);
    // The same voxels on a grid shifted by one voxel (4 mm) along x: affine translation 32 − 4·(−1)… (x axis is −4 mm).
    const affine = Float64Array.from(img.volume.grid.affine);
    affine[3] += -4; // voxel i of the mask sits where data voxel i + 1 is
    const m = new Float32Array(17 * 21 * 3);
    m[0] = 1; // mask voxel (0,0,0) = data voxel (1,0,0)
    const mask = join(dir, 'shifted.nii');
    writeNifti(mask, { grid: { shape: img.volume.grid.shape, affine }, frames: 1, data: m });
    const out = join(dir, 'shifted.npy');
    const r = runCli(['roi', '--bold', bold, '--mask', mask, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${mask} and ${bold} are on different voxel grids (affine differs)`);
    expect(r.stderr).toContain('has shape 17×21×3 and affine [[-4, 0, 0, 28]');
    const ok = runJson<{ resampled: boolean; voxels: number }>(['roi', '--bold', bold, '--mask', mask, '--resample', 'nearest', '--out', out]);
    expect(ok).toMatchObject({ resampled: true, voxels: 1 });
    const a = readNpy(out);
    expect(a.data[0]).toBe(img.volume.data[1]);
  });

  it('usage errors: both --mask and --atlas (exit 1), an unknown --resample method (exit 2)', () => {
    const bold = nifti('functional.nii');
    const both = runCli(['roi', '--bold', bold, '--mask', 'a.nii', '--atlas', 'b.nii', '--labels', 'l.tsv', '--out', join(dir, 'z.npy')]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('expected exactly one of --mask FILE or --atlas FILE');
    const lin = runCli(['roi', '--bold', bold, '--mask', 'a.nii', '--resample', 'linear', '--out', join(dir, 'z.npy')]);
    expect(lin.code).toBe(2);
    const missing = runCli(['roi', '--bold', join(dir, 'nope.nii'), '--mask', 'a.nii', '--out', join(dir, 'z.npy')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(join(dir, 'nope.nii'));
  });
});
