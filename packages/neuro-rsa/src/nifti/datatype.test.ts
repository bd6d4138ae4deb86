import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { NiftiError } from './error.js';
import { readNifti } from './read.js';
import { VoxelDecoder, niftiDatatype } from './datatype.js';

/**
 * A NIfTI-1 file written field by field from the nifti1.h layout (independent of the package's writer):
 * shape 2×2×1, the given datatype code and raw voxel bytes, sform = diag(2, 3, 4) + (10, 20, 30).
 */
function niftiBytes(o: { code: number; bitpix: number; le: boolean; voxels: Uint8Array; slope?: number; inter?: number; magic?: string; voxOffset?: number }): Uint8Array {
  const hdr = new Uint8Array(352);
  const v = new DataView(hdr.buffer);
  const le = o.le;
  v.setInt32(0, 348, le);
  [3, 2, 2, 1, 1, 1, 1, 1].forEach((d, k) => v.setInt16(40 + 2 * k, d, le));
  v.setInt16(70, o.code, le);
  v.setInt16(72, o.bitpix, le);
  [1, 2, 3, 4, 1, 1, 1, 1].forEach((p, k) => v.setFloat32(76 + 4 * k, p, le));
  v.setFloat32(108, o.voxOffset ?? 352, le);
  v.setFloat32(112, o.slope ?? 1, le);
  v.setFloat32(116, o.inter ?? 0, le);
  hdr[123] = 2;
  v.setInt16(254, 1, le);
  [2, 0, 0, 10, 0, 3, 0, 20, 0, 0, 4, 30].forEach((x, k) => v.setFloat32(280 + 4 * k, x, le));
  hdr.set(Buffer.from((o.magic ?? 'n+1') + '\0', 'latin1'), 344);
  return Buffer.concat([hdr, o.voxels]);
}

function raw(n: number, put: (v: DataView, off: number, x: number, le: boolean) => void, values: number[], le: boolean): Uint8Array {
  const b = new Uint8Array(n * values.length);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => put(v, i * n, x, le));
  return b;
}

const CASES: { name: string; code: number; bytes: number; values: number[]; put: (v: DataView, o: number, x: number, le: boolean) => void }[] = [
  { name: 'uint8', code: 2, bytes: 1, values: [0, 1, 200, 255], put: (v, o, x) => v.setUint8(o, x) },
  { name: 'int8', code: 256, bytes: 1, values: [-128, -1, 0, 127], put: (v, o, x) => v.setInt8(o, x) },
  { name: 'int16', code: 4, bytes: 2, values: [-32768, -2, 300, 32767], put: (v, o, x, le) => v.setInt16(o, x, le) },
  { name: 'uint16', code: 512, bytes: 2, values: [0, 1, 40000, 65535], put: (v, o, x, le) => v.setUint16(o, x, le) },
  { name: 'int32', code: 8, bytes: 4, values: [-2147483648, -7, 65536, 2147483647], put: (v, o, x, le) => v.setInt32(o, x, le) },
  { name: 'uint32', code: 768, bytes: 4, values: [0, 7, 3000000000, 4294967295], put: (v, o, x, le) => v.setUint32(o, x, le) },
  { name: 'int64', code: 1024, bytes: 8, values: [-(2 ** 40), -1, 5, 2 ** 33], put: (v, o, x, le) => v.setBigInt64(o, BigInt(x), le) },
  { name: 'uint64', code: 1280, bytes: 8, values: [0, 1, 2 ** 40, 2 ** 52], put: (v, o, x, le) => v.setBigUint64(o, BigInt(x), le) },
  { name: 'float32', code: 16, bytes: 4, values: [-1.5, 0, 0.25, 1e30], put: (v, o, x, le) => v.setFloat32(o, x, le) },
  { name: 'float64', code: 64, bytes: 8, values: [-1.5, 1e-300, 0.1, 1e300], put: (v, o, x, le) => v.setFloat64(o, x, le) },
];

describe('every supported datatype in both byte orders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nifti-dt-'));
  for (const c of CASES) {
    for (const le of [true, false]) {
      test(`${c.name}, ${le ? 'little' : 'big'}-endian`, async () => {
        const f = join(dir, `${c.name}-${le}.nii`);
        writeFileSync(f, niftiBytes({ code: c.code, bitpix: 8 * c.bytes, le, voxels: raw(c.bytes, c.put, c.values, le) }));
        const img = await readNifti(f);
        expect(img.header.datatype.name).toBe(c.name);
        expect(img.header.byteOrder).toBe(le ? 'little' : 'big');
        const expected = c.name === 'float64' ? Float64Array.from(c.values) : Float32Array.from(c.values);
        expect(img.volume.data).toEqual(expected);
        expect(Array.from(img.volume.grid.affine)).toEqual([2, 0, 0, 10, 0, 3, 0, 20, 0, 0, 4, 30, 0, 0, 0, 1]);
      });
    }
  }

  test('scl_slope/scl_inter: raw·slope + inter; slope 0 or NaN means unscaled (nibabel)', async () => {
    const voxels = Uint8Array.of(0, 1, 2, 10);
    const f = join(dir, 'scaled.nii');
    writeFileSync(f, niftiBytes({ code: 2, bitpix: 8, le: true, voxels, slope: 0.5, inter: -3 }));
    expect(Array.from((await readNifti(f)).volume.data)).toEqual([-3, -2.5, -2, 2]);
    for (const slope of [0, NaN]) {
      writeFileSync(f, niftiBytes({ code: 2, bitpix: 8, le: true, voxels, slope, inter: 7 }));
      expect(Array.from((await readNifti(f)).volume.data)).toEqual([0, 1, 2, 10]);
    }
    writeFileSync(f, niftiBytes({ code: 2, bitpix: 8, le: true, voxels, slope: 2, inter: NaN }));
    await expect(readNifti(f)).rejects.toThrow(`${f}: expected a finite scl_inter with a valid scl_slope, found NaN`);
  });

  test('int64 beyond 2^53 and complex/RGB datatypes are typed errors', async () => {
    const f = join(dir, 'huge.nii');
    const big = new Uint8Array(32);
    new DataView(big.buffer).setBigInt64(8, 2n ** 60n, true);
    writeFileSync(f, niftiBytes({ code: 1024, bitpix: 64, le: true, voxels: big }));
    await expect(readNifti(f)).rejects.toThrow(`${f}: expected int64 voxel values within ±2^53 (exactly representable), found 1152921504606846976`);
    const c = join(dir, 'complex.nii');
    writeFileSync(c, niftiBytes({ code: 32, bitpix: 64, le: true, voxels: new Uint8Array(32) }));
    await expect(readNifti(c)).rejects.toThrow(new NiftiError(c, 'real-valued voxels (u)int8/16/32/64 or float32/64', 'unsupported datatype complex64 (code 32)'));
    const rgb = join(dir, 'rgb.nii');
    writeFileSync(rgb, niftiBytes({ code: 128, bitpix: 24, le: true, voxels: new Uint8Array(12) }));
    await expect(readNifti(rgb)).rejects.toThrow('unsupported datatype rgb24');
    const wrongBitpix = join(dir, 'bitpix.nii');
    writeFileSync(wrongBitpix, niftiBytes({ code: 4, bitpix: 8, le: true, voxels: new Uint8Array(8) }));
    await expect(readNifti(wrongBitpix)).rejects.toThrow('expected bitpix 16 for int16, found bitpix 8');
  });

  test('.hdr/.img pairs, plain and gzipped, read the same voxels', async () => {
    const voxels = raw(2, (v, o, x, le) => v.setInt16(o, x, le), [5, -6, 7, -8], false);
    const whole = niftiBytes({ code: 4, bitpix: 16, le: false, voxels, magic: 'ni1', voxOffset: 0 });
    writeFileSync(join(dir, 'pair.hdr'), whole.subarray(0, 348));
    writeFileSync(join(dir, 'pair.img'), voxels);
    writeFileSync(join(dir, 'gzpair.hdr.gz'), gzipSync(whole.subarray(0, 348)));
    writeFileSync(join(dir, 'gzpair.img.gz'), gzipSync(voxels));
    for (const f of ['pair.hdr', 'pair.img', 'gzpair.hdr.gz', 'gzpair.img.gz']) {
      const img = await readNifti(join(dir, f));
      expect(img.header.storage).toBe('pair');
      expect(Array.from(img.volume.data)).toEqual([5, -6, 7, -8]);
    }
    writeFileSync(join(dir, 'lonely.hdr'), whole.subarray(0, 348));
    await expect(readNifti(join(dir, 'lonely.hdr'))).rejects.toMatchObject({ _tag: 'FileError', file: join(dir, 'lonely.img') });
    writeFileSync(join(dir, 'pairmagic.nii'), whole);
    await expect(readNifti(join(dir, 'pairmagic.nii'))).rejects.toThrow('expected the single-file magic "n+1"/"n+2" in a .nii file');
  });
});

describe('VoxelDecoder', () => {
  test('a voxel split across chunks is carried over; indices continue', () => {
    const dt = niftiDatatype(4, 'x');
    const d = new VoxelDecoder(dt, true, { slope: undefined, inter: 0 }, false, 'x');
    const bytes = raw(2, (v, o, x, le) => v.setInt16(o, x, le), [1, -2, 300], true);
    expect(d.push(bytes.subarray(0, 1))).toBeUndefined();
    expect(d.pendingBytes).toBe(1);
    const a = d.push(bytes.subarray(1, 5))!;
    expect(a.start).toBe(0);
    expect(Array.from(a.values)).toEqual([1, -2]);
    const b = d.push(bytes.subarray(5))!;
    expect(b.start).toBe(2);
    expect(Array.from(b.values)).toEqual([300]);
    expect(d.decoded).toBe(3);
  });

  test('unknown datatype codes are rejected', () => {
    expect(() => niftiDatatype(3, 'f.nii')).toThrow('f.nii: expected a NIfTI datatype code');
  });
});
