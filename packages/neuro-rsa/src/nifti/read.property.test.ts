/**
 * Property-based bad-input tests of the NIfTI reader (issue 13): valid images (written by serializeNifti) with a
 * header field changed (dims, datatype and bitpix, vox_offset, sizeof_hdr, magic, scaling, quaternion, extension
 * sizes, NIfTI-2 framing), random bytes changed, a truncation at a random offset, gzipped and then corrupted or
 * cut, are either read into a consistent image or refused with a one-line NiftiError / FileError naming the file —
 * never a raw error, and never an array allocated for more voxels than the file can hold (a guard on the typed
 * array constructors fails any allocation of more than 2^24 values). Fixed seeds: a failure reproduces.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { ConceptlabError } from '@conceptlab/core';
import { readOrRefuseAsync } from '../../../../test-support/typed-error.js';
import { readNifti, type NiftiImage } from './read.js';
import { serializeNifti } from './write.js';

const dir = mkdtempSync(join(tmpdir(), 'nifti-fuzz-'));

/** The most values a test image may need; anything larger is an allocation the header alone asked for. */
const MAX_ALLOC = 2 ** 24;
const originals = { Float32Array: globalThis.Float32Array, Float64Array: globalThis.Float64Array };
function guard<T extends typeof Float32Array | typeof Float64Array>(C: T): T {
  const p: T = new Proxy(C, {
    construct(target, args, newTarget) {
      if (typeof args[0] === 'number' && args[0] > MAX_ALLOC) throw new Error(`absurd allocation: new ${target.name}(${args[0]})`);
      return Reflect.construct(target, args, newTarget === p ? target : newTarget) as object;
    },
  });
  return p;
}
beforeAll(() => {
  globalThis.Float32Array = guard(originals.Float32Array);
  globalThis.Float64Array = guard(originals.Float64Array);
});
afterAll(() => {
  globalThis.Float32Array = originals.Float32Array;
  globalThis.Float64Array = originals.Float64Array;
});

/** A small valid float32 NIfTI-1 image (3-D or 4-D). */
const validImage = fc
  .record({ x: fc.integer({ min: 1, max: 3 }), y: fc.integer({ min: 1, max: 3 }), z: fc.integer({ min: 1, max: 2 }), frames: fc.integer({ min: 1, max: 2 }), seed: fc.integer() })
  .map(({ x, y, z, frames, seed }) =>
    serializeNifti({
      grid: { shape: [x, y, z], affine: Float64Array.of(2, 0, 0, -3, 0, 2, 0, 4, 0, 0, 3, 1, 0, 0, 0, 1) },
      frames,
      data: originals.Float32Array.from({ length: x * y * z * frames }, (_, i) => Math.sin(seed + i)),
    }),
  );

const int16 = fc.oneof(fc.integer({ min: -32768, max: 32767 }), fc.constantFrom(0, 1, 7, 8, -1, 32767, 2, 4, 16, 64, 256, 512, 768, 1024, 1280, 32, 128, 1536));
const float = fc.oneof(fc.float(), fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 352, 348, 351.5, 1e30, -352, 2 ** 31, 2 ** 53 + 1));

/** A header change: where to write what. */
type Change = (v: DataView, b: Uint8Array) => void;
const headerChange: fc.Arbitrary<{ name: string; apply: Change }> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 7 }), int16).map(([k, d]) => ({ name: `dim[${k}] = ${d}`, apply: (v: DataView) => v.setInt16(40 + 2 * k, d, true) })),
  fc.tuple(fc.array(fc.integer({ min: 1, max: 32767 }), { minLength: 3, maxLength: 7 })).map(([ds]) => ({
    name: `dims ${ds.join('×')}`,
    apply: (v: DataView) => {
      v.setInt16(40, ds.length, true);
      ds.forEach((d, k) => v.setInt16(42 + 2 * k, d, true));
    },
  })),
  // large but under 2^31 values in all: what a whole-image read would allocate for
  fc.array(fc.integer({ min: 64, max: 1290 }), { minLength: 3, maxLength: 3 }).map((ds) => ({
    name: `dims ${ds.join('×')} (3-D)`,
    apply: (v: DataView) => {
      v.setInt16(40, 3, true);
      ds.forEach((d, k) => v.setInt16(42 + 2 * k, d, true));
    },
  })),
  fc.tuple(int16, fc.boolean(), int16).map(([code, consistent, bitpix]) => ({
    name: `datatype ${code}${consistent ? '' : `, bitpix ${bitpix}`}`,
    apply: (v: DataView) => {
      v.setInt16(70, code, true);
      const bytes: Record<number, number> = { 2: 1, 4: 2, 8: 4, 16: 4, 64: 8, 256: 1, 512: 2, 768: 4, 1024: 8, 1280: 8 };
      v.setInt16(72, consistent ? 8 * (bytes[code] ?? 1) : bitpix, true);
    },
  })),
  float.map((x) => ({ name: `vox_offset ${x}`, apply: (v: DataView) => v.setFloat32(108, x, true) })),
  fc.tuple(float, float).map(([s, i]) => ({ name: `scl ${s} ${i}`, apply: (v: DataView) => (v.setFloat32(112, s, true), v.setFloat32(116, i, true)) })),
  fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(348, 540, 0x5c010000, 0x1c020000)).map((n) => ({ name: `sizeof_hdr ${n}`, apply: (v: DataView) => v.setInt32(0, n, true) })),
  fc.uint8Array({ minLength: 4, maxLength: 4 }).map((m) => ({ name: `magic ${Array.from(m)}`, apply: (_v: DataView, b: Uint8Array) => b.set(m, 344) })),
  fc.constantFrom('ni1\0', 'n+2\0', 'n+1').map((m) => ({ name: `magic ${m}`, apply: (_v: DataView, b: Uint8Array) => b.set(Buffer.from(m, 'latin1'), 344) })),
  fc.tuple(float, float, float, int16).map(([qb, qc, qd, code]) => ({
    name: `quaternion ${qb} ${qc} ${qd}, qform_code ${code}`,
    apply: (v: DataView) => {
      v.setInt16(252, code, true);
      v.setInt16(254, 0, true);
      [qb, qc, qd].forEach((q, k) => v.setFloat32(256 + 4 * k, q, true));
    },
  })),
  fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.float()).map(([esize, off]) => ({
    name: `extension esize ${esize}, vox_offset ${off}`,
    apply: (v: DataView, b: Uint8Array) => {
      b[348] = 1;
      v.setFloat32(108, off, true);
      if (b.length >= 360) v.setInt32(352, esize, true);
    },
  })),
  // NIfTI-2 framing over NIfTI-1 fields: the 540-byte reader on whatever bytes follow.
  fc.boolean().map((le) => ({
    name: `NIfTI-2 framing (${le ? 'little' : 'big'}-endian)`,
    apply: (v: DataView, b: Uint8Array) => {
      v.setInt32(0, 540, le);
      b.set([0x6e, 0x2b, 0x32, 0, 0x0d, 0x0a, 0x1a, 0x0a], 4);
    },
  })),
);

let counter = 0;
async function read(bytes: Uint8Array, gz: boolean): Promise<NiftiImage | undefined> {
  const file = join(dir, `case-${counter++}.nii${gz ? '.gz' : ''}`);
  writeFileSync(file, bytes);
  const img = await readOrRefuseAsync(() => readNifti(file, { chunkSize: 97 }), ConceptlabError, file);
  if (img === undefined) return undefined;
  const h = img.header;
  const n = h.dims.reduce((p, d) => p * d, 1);
  expect(h.dims.every((d) => Number.isSafeInteger(d) && d >= 1)).toBe(true);
  expect(img.volume.data.length).toBe(n);
  expect(img.volume.frames * img.volume.grid.shape[0] * img.volume.grid.shape[1] * img.volume.grid.shape[2]).toBe(n);
  expect(h.voxOffset).toBeGreaterThanOrEqual(0);
  expect(h.datatype.supported).toBe(true);
  return img;
}

describe('readNifti on corrupt files: a consistent image, or a one-line NiftiError naming the file', () => {
  test('a valid image reads back; with a header field changed it reads or is refused (plain and gzipped)', async () => {
    await fc.assert(
      fc.asyncProperty(validImage, fc.array(headerChange, { minLength: 1, maxLength: 3 }), fc.boolean(), async (file, changes, gz) => {
        expect(await read(file, false)).toBeDefined();
        const b = new Uint8Array(Math.max(file.length, 560));
        b.set(file);
        const v = new DataView(b.buffer);
        for (const c of changes) c.apply(v, b);
        const bytes = b.subarray(0, Math.max(file.length, changes.some((c) => c.name.startsWith('NIfTI-2')) ? 560 : 0));
        await read(gz ? gzipSync(bytes) : bytes, gz);
      }),
      { seed: 1331, numRuns: 400 },
    );
  });

  test('random bytes changed, or the file cut at any offset', async () => {
    await fc.assert(
      fc.asyncProperty(validImage, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.option(fc.nat()), fc.boolean(), async (file, flips, cut, gz) => {
        const b = Uint8Array.from(file);
        for (const [at, x] of flips) b[at % b.length] = x;
        const bytes = cut === null ? b : b.subarray(0, cut % b.length);
        const img = await read(gz ? gzipSync(bytes) : bytes, gz);
        if (cut !== null && flips.length === 0) expect(img).toBeUndefined();
      }),
      { seed: 1332, numRuns: 300 },
    );
  });

  test('a gzipped image with random bytes changed or cut', async () => {
    await fc.assert(
      fc.asyncProperty(validImage, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), fc.option(fc.nat()), async (file, flips, cut) => {
        const z = Uint8Array.from(gzipSync(file));
        for (const [at, x] of flips) z[at % z.length] = x;
        await read(cut === null ? z : z.subarray(0, cut % z.length), true);
      }),
      { seed: 1333, numRuns: 300 },
    );
  });

  test('arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.boolean(), async (bytes, gz) => {
        await read(bytes, gz);
      }),
      { seed: 1334, numRuns: 200 },
    );
  });
});

describe('regressions found by the properties above', () => {
  // dims 1024³ in a file of a few hundred bytes: readNifti allocated a Float32Array of 2^30 values before reading
  // (RangeError or gigabytes of memory); now the file's length is checked first.
  test('a header asking for more voxels than the file holds is refused before any allocation', async () => {
    const file = serializeNifti({ grid: { shape: [2, 2, 2], affine: Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1) }, frames: 1, data: new originals.Float32Array(8) });
    const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
    [1024, 1024, 1024].forEach((d, k) => v.setInt16(42 + 2 * k, d, true));
    const plain = join(dir, 'huge-dims.nii');
    writeFileSync(plain, file);
    await expect(readNifti(plain)).rejects.toThrow(`${plain}: expected 1073741824 float32 voxel values (4294967296 bytes from byte 352), found only 32 bytes of voxel data (truncated)`);
    const gz = join(dir, 'huge-dims.nii.gz');
    const z = gzipSync(file);
    writeFileSync(gz, z);
    await expect(readNifti(gz)).rejects.toThrow(`${gz}: expected 1073741824 float32 voxel values (4294967296 bytes from byte 352), found a gzip file of ${z.length} bytes, which holds at most ${1032 * z.length + 1024} bytes decompressed (truncated)`);
  });
});
