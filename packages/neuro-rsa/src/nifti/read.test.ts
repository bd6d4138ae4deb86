import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { dataDirForTests } from '@conceptlab/core';
import { NiftiError } from './error.js';
import { readNifti } from './read.js';
import { qformAffine } from './affine.js';
import { readNiftiHeader } from './stream.js';

const data = dataDirForTests(__dirname, 'NIfTI reader on the nibabel / NIFTI-Reader-JS test images');
const it = data ? test : test.skip;
const nifti = (f: string) => join(data!, 'nifti', f);

/**
 * Reference values computed independently with numpy (python3): the header parsed with `struct`, the raw voxels
 * read with np.frombuffer in the header's byte order, scaled raw·slope + inter in float64, and the affine by
 * nibabel's rules (sform if sform_code ≠ 0, else qform, else the fall-back). sum/min/max/mean/sd are over all
 * values (numpy std: ddof 0); `at` maps linear indices (NIfTI order, all frames) to values.
 */
const REF: Record<string, {
  version: 1 | 2; order: 'little' | 'big'; dims: number[]; datatype: string; voxel: number[]; voxOffset: number;
  affine: number[][]; sum: number; min: number; max: number; mean: number; sd: number; nonzero: number; at: Record<number, number>;
}> = {
  '5D_small.nii': { version: 1, order: 'little', dims: [1, 2, 3, 1, 3], datatype: 'uint8', voxel: [1, 1, 1], voxOffset: 352,
    affine: [[-6.92e-08, -0.0016480153, 0.9999986291, -87.8934631348], [-0.9917474985, 0.1282064468, 0.0002112178, 147.3984680176], [0.1282066107, 0.9917461276, 0.001634424, -120.6172790527]],
    sum: 7.281447608489543, min: 0.07691901922225952, max: 0.7802449509035796, mean: 0.40452486713830793, sd: 0.24007017111960843, nonzero: 18,
    at: { 0: 0.10725856921635568, 1: 0.2451656146440655, 2: 0.7140495690982789, 9: 0.34170054644346237, 17: 0.4547843236941844 } },
  'anatomical.nii': { version: 1, order: 'big', dims: [33, 41, 25], datatype: 'int16', voxel: [2, 2, 2], voxOffset: 352,
    affine: [[-2, 0, 0, 32], [0, 2, 0, -40], [0, 0, 2, -16]],
    sum: 284166082, min: -610, max: 30393, mean: 8401.066725794532, sd: 2526.6561133919117, nonzero: 33825,
    at: { 0: 10712, 1: 10463, 2: 10600, 16912: 11881, 33824: 2971 } },
  'big.nii.gz': { version: 1, order: 'big', dims: [64, 64, 21], datatype: 'float32', voxel: [4, 4, 6], voxOffset: 352,
    affine: [[-4, 0, 0, 0], [0, 4, 0, 0], [0, 0, 6, 0]],
    sum: 11648.372022011292, min: -8.710750579833984, max: 18.582529067993164, mean: 0.13542099169935, sd: 1.1163257706606078, nonzero: 18159, at: { 0: 0, 43008: 0 } },
  'little.nii.gz': { version: 1, order: 'little', dims: [64, 64, 21, 1], datatype: 'float32', voxel: [4, 4, 6], voxOffset: 352,
    affine: [[-4, 0, 0, 0], [0, 4, 0, 0], [0, 0, 6, 0]],
    sum: 11648.372022011292, min: -8.710750579833984, max: 18.582529067993164, mean: 0.13542099169935, sd: 1.1163257706606078, nonzero: 18159, at: { 0: 0, 43008: 0 } },
  'example4d.nii.gz': { version: 1, order: 'little', dims: [128, 96, 24, 2], datatype: 'int16', voxel: [2, 2, 2.1999990940093994], voxOffset: 416,
    affine: [[-2, 0, 0, 117.8551025391], [0, 1.9737114906, -0.3555282354, -35.7229423523], [0, 0.3232076168, 2.1710817814, -7.2487983704]],
    sum: 101985356, min: 0, max: 1162, mean: 172.90811496310764, sd: 238.768099508597, nonzero: 229725, at: { 0: 0, 294912: 0 } },
  'example_nifti2.nii.gz': { version: 2, order: 'little', dims: [32, 20, 12, 2], datatype: 'int16', voxel: [2, 2, 2.1999990940093994], voxOffset: 608,
    affine: [[-2, 0, 0, 117.8551025391], [0, 1.9737114906, -0.3555282354, -35.7229423523], [0, 0.3232076168, 2.1710817814, -7.2487983704]],
    sum: 6926802, min: 46, max: 757, mean: 450.963671875, sd: 80.97548566835316, nonzero: 15360, at: { 0: 424, 1: 428, 2: 408, 7680: 439, 15359: 457 } },
  'functional.nii': { version: 1, order: 'little', dims: [17, 21, 3, 20], datatype: 'int16', voxel: [4, 4, 8], voxOffset: 352,
    affine: [[-4, 0, 0, 32], [0, 4, 0, -40], [0, 0, 8, 0]],
    sum: 77913290.36292362, min: 629.826171875, max: 5571.621858656406, mean: 3637.408513675239, sd: 530.412373779884, nonzero: 21420,
    at: { 0: 4004.137202501297, 1: 4143.715501368046, 2: 3894.6462841033936, 10710: 3989.6590645313263, 21419: 3129.3409598469734 } },
  'standard.nii.gz': { version: 1, order: 'little', dims: [4, 5, 7], datatype: 'uint8', voxel: [1, 3, 2], voxOffset: 352,
    affine: [[1, 0, 0, 0], [0, 3, 0, 0], [0, 0, 2, 0]],
    sum: 7650, min: 0, max: 255, mean: 54.642857142857146, sd: 104.63310534765694, nonzero: 30, at: { 0: 0, 1: 255, 2: 0, 70: 0, 139: 255 } },
  'with_extension.nii.gz': { version: 1, order: 'big', dims: [161, 191, 151, 1], datatype: 'uint8', voxel: [1, 1, 1], voxOffset: 736,
    affine: [[-1, 0, 0, 80], [0, -1, 0, 80], [0, 0, -1, 85]],
    sum: 1472871, min: 0, max: 1, mean: 0.3171965979246677, sd: 0.4653846969870028, nonzero: 1472871, at: { 0: 0, 2321700: 1 } },
};

function summary(d: Float32Array | Float64Array) {
  let sum = 0, min = Infinity, max = -Infinity, nz = 0;
  for (const x of d) { sum += x; if (x < min) min = x; if (x > max) max = x; if (x !== 0) nz++; }
  const mean = sum / d.length;
  let ss = 0;
  for (const x of d) ss += (x - mean) ** 2;
  return { sum, min, max, nz, mean, sd: Math.sqrt(ss / d.length) };
}

describe('readNifti on every file of shared/data/nifti', () => {
  for (const [name, ref] of Object.entries(REF)) {
    it(`${name}: dims, datatype, byte order, voxel sizes, affine and values match numpy`, async () => {
      const { header: h, volume } = await readNifti(nifti(name));
      expect(h.version).toBe(ref.version);
      expect(h.byteOrder).toBe(ref.order);
      expect(h.dims).toEqual(ref.dims);
      expect(h.datatype.name).toBe(ref.datatype);
      expect(h.voxOffset).toBe(ref.voxOffset);
      h.voxelSize.forEach((v, i) => expect(v).toBeCloseTo(ref.voxel[i], 6));
      ref.affine.forEach((row, r) => row.forEach((x, c) => expect(volume.grid.affine[r * 4 + c]).toBeCloseTo(x, 6)));
      expect(Array.from(volume.grid.affine.subarray(12))).toEqual([0, 0, 0, 1]);
      expect(volume.grid.shape).toEqual([ref.dims[0], ref.dims[1], ref.dims[2]]);
      expect(volume.frames).toBe(ref.dims.slice(3).reduce((a, b) => a * b, 1));
      expect(volume.data).toBeInstanceOf(Float32Array);
      const s = summary(volume.data);
      // float32 storage of scaled values: relative 1e-6 of the value range.
      const tol = 1e-6 * Math.max(1, Math.abs(ref.max), Math.abs(ref.min));
      expect(Math.abs(s.sum - ref.sum)).toBeLessThanOrEqual(1e-7 * Math.abs(ref.sum) + tol);
      expect(Math.abs(s.min - ref.min)).toBeLessThanOrEqual(tol);
      expect(Math.abs(s.max - ref.max)).toBeLessThanOrEqual(tol);
      expect(Math.abs(s.mean - ref.mean)).toBeLessThanOrEqual(tol);
      expect(Math.abs(s.sd - ref.sd)).toBeLessThanOrEqual(tol);
      expect(s.nz).toBe(ref.nonzero);
      for (const [i, v] of Object.entries(ref.at)) expect(Math.abs(volume.data[Number(i)] - v)).toBeLessThanOrEqual(tol);
    });
  }

  it('big.nii.gz (big-endian) and little.nii.gz (little-endian) hold identical data', async () => {
    const big = await readNifti(nifti('big.nii.gz'));
    const little = await readNifti(nifti('little.nii.gz'));
    expect(big.header.byteOrder).toBe('big');
    expect(little.header.byteOrder).toBe('little');
    expect(Buffer.from(big.volume.data.buffer).equals(Buffer.from(little.volume.data.buffer))).toBe(true);
  });

  it('header facts: scaling, units, TR, description, extensions (numpy struct values)', async () => {
    const f = await readNiftiHeader(nifti('functional.nii'));
    expect(f.sclSlope).toBeCloseTo(0.07540696859359741, 12);
    expect(f.sclInter).toBeCloseTo(3100.76171875, 9);
    expect(f.scaling.slope).toBeCloseTo(0.07540696859359741, 12);
    expect(f.description).toBe('spm - 3D normalized');
    expect(f.spaceUnits).toBe('mm');
    expect(f.timeUnits).toBe('sec');
    expect(f.tr).toBe(2);
    expect(f.hasExtension).toBe(false);
    const e = await readNiftiHeader(nifti('with_extension.nii.gz'));
    expect(e.hasExtension).toBe(true);
    expect(e.extensions).toEqual([{ code: 0, size: 384 }]);
    expect(e.description).toBe('Mango ROI   ');
    expect(e.qformCode).toBe(3);
    expect(e.sformCode).toBe(3);
    const n2 = await readNiftiHeader(nifti('example_nifti2.nii.gz'));
    expect(n2.version).toBe(2);
    expect(n2.extensions).toEqual([{ code: 6, size: 32 }, { code: 6, size: 32 }]);
    expect(n2.description).toBe('FSL3.3');
    expect(n2.tr).toBe(2000); // stored as 2000 with time units "sec" in this test file
    const s = await readNiftiHeader(nifti('standard.nii.gz'));
    expect(s.affineSource).toBe('sform');
    expect(s.spaceUnits).toBe('unknown');
    expect(s.scaling.slope).toBeUndefined();
    const big = await readNiftiHeader(nifti('big.nii.gz'));
    expect(big.sclSlope).toBe(0); // slope 0 = no scaling (nibabel)
    expect(big.scaling.slope).toBeUndefined();
    expect(big.affineSource).toBe('qform');
  });

  it('the qform affine (quaternion, qfac) matches numpy for files that also have an sform', async () => {
    // numpy: a = √(1 − b² − c² − d²) (0 if negative), nibabel's quat2mat, diag(dx, dy, qfac·dz), qoffset.
    const Q: Record<string, number[][]> = {
      'example4d.nii.gz': [[-1.999999996, 1.02824e-05, 0.0001390598, 117.8551025391], [-1.02824e-05, 1.973711438, -0.3555282248, -35.7229423523], [0.0001264181, 0.3232076101, 2.1710816833, -7.2487983704]],
      'example_nifti2.nii.gz': [[-1.999999996, 1.02824e-05, 0.0001390598, 117.8551025391], [-1.02824e-05, 1.973711438, -0.3555282248, -35.7229423523], [0.0001264181, 0.3232076101, 2.1710816833, -7.2487983704]],
      '5D_small.nii': [[-6.92e-08, -0.0016480153, 0.999998642, -87.8934631348], [-0.9917474791, 0.1282064468, 0.0002112178, 147.3984680176], [0.1282066208, 0.9917461324, 0.0016344239, -120.6172790527]],
      'with_extension.nii.gz': [[-1, 0, 0, 80], [0, -1, 0, 80], [0, 0, -1, 85]],
      'anatomical.nii': [[-2, 0, 0, 32], [0, 2, 0, -40], [0, 0, 2, -16]],
    };
    for (const [name, ref] of Object.entries(Q)) {
      const h = await readNiftiHeader(nifti(name));
      const q = qformAffine(h, -1e-6);
      ref.forEach((row, r) => row.forEach((x, c) => expect(Math.abs(q[r * 4 + c] - x)).toBeLessThan(1e-8 * Math.max(1, Math.abs(x)))));
    }
  });
});

describe('bad files are typed errors naming the file', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'nifti-bad-'));

  it('not-nifti.nii is rejected: not a NIfTI-1 or NIfTI-2 header', async () => {
    const f = nifti('not-nifti.nii');
    const err = await readNifti(f).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NiftiError);
    expect((err as NiftiError)._tag).toBe('NiftiError');
    expect((err as NiftiError).file).toBe(f);
    expect((err as Error).message).toContain(`${f}: expected a NIfTI-1 or NIfTI-2 file (sizeof_hdr 348 or 540`);
  });

  it('a file cut inside the header, or inside the voxel data, is "truncated"', async () => {
    const bytes = readFileSync(nifti('functional.nii'));
    const cutHeader = join(tmp, 'cut-header.nii');
    writeFileSync(cutHeader, bytes.subarray(0, 200));
    await expect(readNifti(cutHeader)).rejects.toThrow(`${cutHeader}: expected a 348-byte NIfTI-1 header, found a file of 200 bytes (truncated)`);
    const cutData = join(tmp, 'cut-data.nii');
    writeFileSync(cutData, bytes.subarray(0, 5000));
    await expect(readNifti(cutData)).rejects.toThrow(`${cutData}: expected 21420 int16 voxel values (42840 bytes from byte 352), found only 4648 bytes of voxel data (truncated)`);
  });

  it('a truncated .gz and a corrupt magic are NiftiErrors', async () => {
    const gz = readFileSync(nifti('example4d.nii.gz'));
    const cut = join(tmp, 'cut.nii.gz');
    writeFileSync(cut, gz.subarray(0, gz.length >> 1));
    const err = await readNifti(cut).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NiftiError);
    expect((err as Error).message).toContain(cut);
    const raw = Buffer.from(gunzipSync(readFileSync(nifti('standard.nii.gz'))));
    raw.write('xx1\0', 344, 'latin1');
    const bad = join(tmp, 'bad-magic.nii.gz');
    writeFileSync(bad, gzipSync(raw));
    await expect(readNifti(bad)).rejects.toThrow(`${bad}: expected NIfTI-1 magic "n+1" or "ni1", found "xx1"`);
  });

  it('a missing file is a FileError', async () => {
    const f = join(tmp, 'missing.nii');
    await expect(readNifti(f)).rejects.toMatchObject({ _tag: 'FileError', file: f });
    copyFileSync(nifti('standard.nii.gz'), join(tmp, 'ok.nii.gz'));
    await expect(readNifti(join(tmp, 'ok.nii.gz'))).resolves.toBeDefined();
  });

  it('a directory is a FileError naming it (not a raw EISDIR)', async () => {
    const d = join(tmp, 'a-folder.nii');
    mkdirSync(d, { recursive: true });
    await expect(readNifti(d)).rejects.toMatchObject({ _tag: 'FileError', file: d, message: `${d}: cannot read: is a directory, expected a .nii/.nii.gz file` });
  });
});
