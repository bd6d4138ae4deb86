import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, writeNpy } from '@conceptlab/core';
import { readNifti, rdmFromVector, searchlightRsa, writeNifti, type Volume } from '@conceptlab/neuro-rsa';
import { runCli, runJson, tempDir, writeText } from './run-cli.js';

// A 7×6×5 grid with 2-mm voxels shifted in space; 6 conditions of noise with a 3×3×3 block around (4,3,2)
// carrying a two-class structure (conditions 0 2 4 vs 1 3 5). The model "parity" is that structure.
const X = 7, Y = 6, Z = 5, V = X * Y * Z, N = 6;
const AFFINE = Float64Array.from([2, 0, 0, -10, 0, 2, 0, 20, 0, 0, 2, -4, 0, 0, 0, 1]);
const CENTRE = 4 + X * (3 + Y * 2);

function bold(): Volume {
  const rng = createRng(4);
  const data = new Float32Array(V * N);
  for (let q = 0; q < data.length; q++) data[q] = rng.nextNormal();
  const proto = [0, 1].map(() => Array.from({ length: 27 }, () => rng.nextNormal()));
  let s = 0;
  for (let k = 1; k <= 3; k++) for (let j = 2; j <= 4; j++) for (let i = 3; i <= 5; i++, s++) {
    for (let c = 0; c < N; c++) data[c * V + i + X * (j + Y * k)] = 3 * proto[c % 2][s] + 0.2 * rng.nextNormal();
  }
  return { grid: { shape: [X, Y, Z], affine: AFFINE }, frames: N, data };
}

function rdmTsv(f: (i: number, j: number) => number): string {
  return Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => (i === j ? 0 : f(i, j))).join('\t')).join('\n') + '\n';
}

function upper(f: (i: number, j: number) => number): number[] {
  const v: number[] = [];
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) v.push(f(i, j));
  return v;
}

const parity = (i: number, j: number) => (i % 2 === j % 2 ? 0 : 1);
const halves = (i: number, j: number) => (i < 3 === j < 3 ? 0 : 1) + 0.1 * Math.abs(i - j);

describe('conceptlab searchlight', () => {
  const dir = tempDir();
  const vol = bold();
  const boldFile = join(dir, 'bold.nii.gz');
  writeNifti(boldFile, vol);
  const maskData = new Float32Array(V).fill(1);
  for (let j = 0; j < Y; j++) for (let k = 0; k < Z; k++) maskData[0 + X * (j + Y * k)] = 0; // the i = 0 slab is outside
  const maskFile = join(dir, 'mask.nii');
  writeNifti(maskFile, { grid: vol.grid, frames: 1, data: maskData });
  const parityFile = writeText(dir, 'parity.tsv', rdmTsv(parity));
  const halvesFile = join(dir, 'halves.npy');
  writeNpy(halvesFile, { dtype: 'f8', shape: [N, N], data: Float64Array.from({ length: N * N }, (_, q) => (q % (N + 1) === 0 ? 0 : halves(Math.floor(q / N), q % N))) });

  test('one NIfTI map per model, identical to the library, with the peak at the planted block', async () => {
    const out = join(dir, 'out');
    const r = runJson<{ centres: number; models: { name: string; file: string; peak: { value: number; voxel: number[]; world: number[] } }[] }>([
      'searchlight', '--bold', boldFile, '--mask', maskFile, '--model', parityFile, halvesFile, '--cube', '3', '--threshold', '0.5', '--threads', '2', '--out', out,
    ]);
    expect(r.models.map((m) => m.name)).toEqual(['parity', 'halves']);
    expect(r.models[0].peak.voxel).toEqual([4, 3, 2]);
    // world = affine · (4, 3, 2, 1) = (2·4 − 10, 2·3 + 20, 2·2 − 4)
    expect(r.models[0].peak.world).toEqual([-2, 26, 0]);
    expect(r.models[0].peak.value).toBeGreaterThan(0.9);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).centres).toBe(r.centres);

    const lib = await searchlightRsa(vol, maskData, [rdmFromVector(upper(parity)), rdmFromVector(upper(halves))], { cube: 3, threshold: 0.5, threads: 1 });
    expect(r.centres).toBe(lib.centres.length);
    for (let q = 0; q < 2; q++) {
      const img = await readNifti(r.models[q].file);
      expect(img.volume.grid.shape).toEqual([X, Y, Z]);
      expect(Array.from(img.volume.grid.affine)).toEqual(Array.from(AFFINE));
      expect(img.header.datatype.name).toBe('float32');
      expect(Buffer.from(img.volume.data.buffer, img.volume.data.byteOffset, img.volume.data.byteLength).equals(Buffer.from(lib.maps[q].buffer))).toBe(true);
      // Outside the mask there is no score.
      expect(Number.isNaN(img.volume.data[0])).toBe(true);
    }
    expect(CENTRE).toBe(lib.centres[lib.scores[0].indexOf(Math.max(...lib.scores[0]))]);
  });

  test('a scalar noise ceiling divides the map', () => {
    const a = runJson<{ models: { peak: { value: number } }[] }>(['searchlight', '--bold', boldFile, '--mask', maskFile, '--model', parityFile, '--radius', '2', '--threads', '1', '--out', join(dir, 'a')]);
    const b = runJson<{ models: { peak: { value: number } }[]; noiseCeiling: number }>(['searchlight', '--bold', boldFile, '--mask', maskFile, '--model', parityFile, '--radius', '2', '--noise-ceiling', '0.5', '--threads', '1', '--out', join(dir, 'b')]);
    expect(b.noiseCeiling).toBe(0.5);
    expect(b.models[0].peak.value).toBeCloseTo(2 * a.models[0].peak.value, 12);
  });

  test('bad input is an error naming the file; usage errors exit 2', () => {
    const small = join(dir, 'small-mask.nii');
    writeNifti(small, { grid: { shape: [X, Y, Z - 1], affine: AFFINE }, frames: 1, data: new Float32Array(X * Y * (Z - 1)).fill(1) });
    const m = runCli(['searchlight', '--bold', boldFile, '--mask', small, '--model', parityFile, '--out', join(dir, 'x')]);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain(small);
    const wrongN = writeText(dir, 'four.tsv', '0\t1\t2\t3\n1\t0\t1\t2\n2\t1\t0\t1\n3\t2\t1\t0\n');
    const n = runCli(['searchlight', '--bold', boldFile, '--mask', maskFile, '--model', wrongN, '--out', join(dir, 'x')]);
    expect(n.code).toBe(1);
    expect(n.stderr).toContain('an RDM over 6 conditions');
    const both = runCli(['searchlight', '--bold', boldFile, '--mask', maskFile, '--model', parityFile, '--radius', '2', '--cube', '3', '--out', join(dir, 'x')]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--radius/--cube');
    expect(runCli(['searchlight', '--bold', boldFile, '--mask', maskFile, '--model', parityFile, '--threshold', '2', '--out', join(dir, 'x')]).code).toBe(2);
    expect(runCli(['searchlight', '--bold', boldFile, '--mask', maskFile, '--model', parityFile, '--method', 'nope', '--out', join(dir, 'x')]).code).toBe(1);
  });
});
