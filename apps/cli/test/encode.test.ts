import { join } from 'node:path';
import { readNpy, writeNpy } from '@conceptlab/core';
import { readNifti, splitFromTest, voxelwiseEncoding, writeNifti } from '@conceptlab/neuro-rsa';
import { sineProblem } from '../../../packages/neuro-rsa/test/sine-problem.js';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

/** The 30 × 4 → 6-voxel problem of packages/neuro-rsa's ridge tests and their numpy reference script. */
const sine = () => sineProblem(30, 4, 6);

// numpy reference: brute-force solve per alpha, test rows 0 5 10 15 20 25, inner contiguous 5-fold CV.
const R2 = [0.9912420188465506, 0.9373316765040394, 0.7487959707087048, -0.9987283009356305, -0.23761076897872346, -0.006773029057222324];
const R = [0.9960371795359235, 0.9858159046753995, 0.8731860872767042, -0.3088323496487689, -0.6386381620332149, -0.7093872156196029];

describe('conceptlab encode', () => {
  const dir = tempDir();
  const { x, y } = sine();
  const emb = join(dir, 'emb.npy');
  const pat = join(dir, 'patterns.npy');
  writeNpy(emb, { dtype: 'f8', shape: [30, 4], data: x.data });
  writeNpy(pat, { dtype: 'f8', shape: [30, 6], data: y.data });
  const testFile = writeText(dir, 'test.txt', '0 5 10\n15, 20, 25\n');

  test('held-out r and R² per voxel match numpy and the library; NIfTI maps on the mask', async () => {
    const out = join(dir, 'out');
    const ncsnr = join(dir, 'ncsnr.npy');
    writeNpy(ncsnr, { dtype: 'f8', shape: [6], data: Float64Array.from([0.2, 0.5, 1, 2, 0.1, 3]) });
    const maskData = new Float32Array(4 * 3 * 2);
    const voxels = [1, 4, 7, 9, 16, 23];
    for (const v of voxels) maskData[v] = 1;
    const mask = join(dir, 'mask.nii.gz');
    const affine = Float64Array.from([3, 0, 0, 1, 0, 3, 0, 2, 0, 0, 3, 3, 0, 0, 0, 1]);
    writeNifti(mask, { grid: { shape: [4, 3, 2], affine }, frames: 1, data: maskData });
    const s = runJson<{ voxels: number; evaluation: { train: number; test: number }; r: { max: number }; r2Normalized: { median: number } }>([
      'encode', '--embedding', emb, '--patterns', pat, '--test', testFile, '--ncsnr', ncsnr, '--mask', mask, '--out', out,
    ]);
    expect(s.voxels).toBe(6);
    expect(s.evaluation).toEqual({ train: 24, test: 6 });
    const r = readNpy(join(out, 'r.npy')).data as Float64Array;
    const r2 = readNpy(join(out, 'r2.npy')).data as Float64Array;
    for (let c = 0; c < 6; c++) {
      expect(Math.abs(r[c] - R[c])).toBeLessThan(1e-9);
      expect(Math.abs(r2[c] - R2[c])).toBeLessThan(1e-9);
    }
    const lib = voxelwiseEncoding(x, y, { evaluation: splitFromTest(30, [0, 5, 10, 15, 20, 25]) });
    expect(Array.from(readNpy(join(out, 'alpha.npy')).data as Float64Array)).toEqual(Array.from(lib.alpha));
    expect(readNpy(join(out, 'predictions.npy')).shape).toEqual([6, 6]);
    // Noise ceiling 100·0.2² / (0.2² + 1/3) = 10.714…
    expect((readNpy(join(out, 'noise-ceiling.npy')).data as Float64Array)[0]).toBeCloseTo(10.714285714285717, 12);
    const img = await readNifti(join(out, 'r.nii.gz'));
    expect(Array.from(img.volume.grid.affine)).toEqual(Array.from(affine));
    voxels.forEach((v, c) => expect(img.volume.data[v]).toBeCloseTo(R[c], 6));
    expect(Number.isNaN(img.volume.data[0])).toBe(true);
  });

  test('outer CV by default, or a seeded random test fraction; the same seed gives the same numbers', () => {
    const cv = runJson<{ evaluation: { outerFolds: number } }>(['encode', '--embedding', emb, '--patterns', pat, '--folds', '3', '--alphas', 'logspace:-2:2:9', '--out', join(dir, 'cv')]);
    expect(cv.evaluation).toEqual({ outerFolds: 3 });
    expect((readNpy(join(dir, 'cv', 'predictions.npy')).shape)).toEqual([30, 6]);
    const a = runJson<{ r2: { mean: number }; evaluation: { test: number } }>(['encode', '--embedding', emb, '--patterns', pat, '--test-fraction', '0.3', '--seed', '4', '--alphas', '0.01,1,100', '--out', join(dir, 'f1')]);
    const b = runJson<{ r2: { mean: number } }>(['encode', '--embedding', emb, '--patterns', pat, '--test-fraction', '0.3', '--seed', '4', '--alphas', '0.01,1,100', '--out', join(dir, 'f2')]);
    expect(a.evaluation.test).toBe(9);
    expect(b.r2.mean).toBe(a.r2.mean);
    const alphas = Array.from(readNpy(join(dir, 'f1', 'alpha.npy')).data as Float64Array);
    for (const v of alphas) expect([0.01, 1, 100]).toContain(v);
  });

  test('bad input is an error naming the file; usage errors exit 2', () => {
    const short = join(dir, 'short.npy');
    writeNpy(short, { dtype: 'f8', shape: [29, 6], data: y.data.subarray(0, 29 * 6) });
    const rows = runCli(['encode', '--embedding', emb, '--patterns', short, '--out', join(dir, 'x')]);
    expect(rows.code).toBe(1);
    expect(rows.stderr).toContain(`${short} has 29 conditions`);
    const alphas = runCli(['encode', '--embedding', emb, '--patterns', pat, '--alphas', '1,-2', '--out', join(dir, 'x')]);
    expect(alphas.code).toBe(1);
    expect(alphas.stderr).toContain('--alphas');
    const badTest = writeText(dir, 'bad-test.txt', '3\n30\n');
    const t = runCli(['encode', '--embedding', emb, '--patterns', pat, '--test', badTest, '--out', join(dir, 'x')]);
    expect(t.code).toBe(1);
    expect(t.stderr).toContain(`${badTest}:2`);
    expect(runCli(['encode', '--embedding', emb, '--patterns', pat, '--test-fraction', '1.5', '--out', join(dir, 'x')]).code).toBe(2);
    expect(runCli(['encode', '--embedding', emb, '--patterns', pat, '--folds', '1', '--out', join(dir, 'x')]).code).toBe(2);
  });
});
