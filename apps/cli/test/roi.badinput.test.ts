/** `conceptlab roi` on degenerate input (issue 13): one line, exit ≠ 0, nothing written, < 5 s. Synthetic images. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeNifti } from '@conceptlab/neuro-rsa';
import { runCli, runJson, tempDir, writeText, type CliResult, expectOneLineError } from './run-cli.js';

const dir = tempDir();
const grid = { shape: [4, 3, 2] as [number, number, number], affine: Float64Array.of(2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1) };
const nvox = 24;
const series = join(dir, 'series.nii');
writeNifti(series, { grid, frames: 5, data: Float32Array.from({ length: 5 * nvox }, (_, i) => i) });
const maps = [0, 1].map((t) => {
  const f = join(dir, `beta${t}.nii`);
  writeNifti(f, { grid, frames: 1, data: Float32Array.from({ length: nvox }, (_, i) => 100 * t + i) });
  return f;
});
const labels = new Float32Array(nvox);
labels[3] = 1; labels[10] = 1;
const atlas = join(dir, 'atlas.nii');
writeNifti(atlas, { grid, frames: 1, data: labels });
const table = writeText(dir, 'atlas.tsv', 'index\tname\n1\tV1\n2\tFFA\n');
const mask = join(dir, 'mask.nii');
writeNifti(mask, { grid, frames: 1, data: labels });
const emptyMask = join(dir, 'empty-mask.nii');
writeNifti(emptyMask, { grid, frames: 1, data: new Float32Array(nvox) });

const timed = (args: string[]): [CliResult, number] => {
  const t0 = performance.now();
  const r = runCli(args);
  return [r, performance.now() - t0];
};

describe('conceptlab roi refuses', () => {
  test('an atlas label with no voxel (not a 5 × 0 file), naming the label; --roi leaves it out', () => {
    const out = join(dir, 'rois');
    const [r, ms] = timed(['roi', '--bold', series, '--atlas', atlas, '--labels', table, '--out', out]);
    expectOneLineError(r, ms, /^conceptlab: error: ROI FFA \(label 2\): expected at least one voxel in .*atlas\.nii, found none \(leave it out with --roi\)$/);
    expect(existsSync(out)).toBe(false);
    expect(runJson<{ rois: { name: string; voxels: number }[] }>(['roi', '--bold', series, '--atlas', atlas, '--labels', table, '--roi', 'V1', '--out', out]).rois).toEqual([
      { name: 'V1', label: 1, voxels: 2, file: 'V1.npy' },
    ]);
  });

  test('an empty mask (already refused by readMask)', () => {
    const out = join(dir, 'empty.npy');
    const [r, ms] = timed(['roi', '--bold', series, '--mask', emptyMask, '--out', out]);
    expectOneLineError(r, ms, /^conceptlab: error: .*empty-mask\.nii: expected a mask with at least one nonzero voxel/);
    expect(existsSync(out)).toBe(false);
  });

  test('a --bold list mixing 3-D maps and a 4-D series, naming the 4-D file; 3-D maps alone still work', () => {
    const out = join(dir, 'mixed.npy');
    for (const list of [[maps[0], series, maps[1]], [series, ...maps]]) {
      const [r, ms] = timed(['roi', '--bold', ...list, '--mask', mask, '--out', out]);
      expectOneLineError(r, ms, /^conceptlab: error: --bold .*series\.nii: expected a 3-D beta map, as every file of a --bold list \(one condition each; give a 4-D series alone\), found 4-D with 5 frames$/);
      expect(existsSync(out)).toBe(false);
    }
    expect(runJson<{ conditions: number; voxels: number }>(['roi', '--bold', ...maps, '--mask', mask, '--out', out])).toMatchObject({ conditions: 2, voxels: 2 });
    expect(runJson<{ conditions: number }>(['roi', '--bold', series, '--mask', mask, '--out', join(dir, 'series.npy')])).toMatchObject({ conditions: 5 });
  });
});
