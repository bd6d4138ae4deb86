import { join } from 'node:path';
import { dataDirForTests } from '@conceptlab/core';
import { readNifti } from './read.js';
import { fileChunks, openNifti } from './stream.js';
import { niftiStats } from './stats.js';

const data = dataDirForTests(__dirname, 'streaming NIfTI reads of the test images');
const it = data ? test : test.skip;
const nifti = (f: string) => join(data!, 'nifti', f);

describe('streaming reads with tiny chunks equal the whole-file read', () => {
  // Chunk sizes that are not multiples of the voxel size, so voxels, the header/data boundary and frames straddle chunks.
  const cases: [string, number[]][] = [
    ['functional.nii', [7, 1000]],
    ['standard.nii.gz', [1, 5]],
    ['anatomical.nii', [3, 13]],
    ['example_nifti2.nii.gz', [3, 333]],
    ['example4d.nii.gz', [4093]],
    ['5D_small.nii', [1, 2]],
  ];
  for (const [name, sizes] of cases) {
    it(`${name}: chunk sizes ${sizes.join(', ')}`, async () => {
      const whole = await readNifti(nifti(name), { chunkSize: 1 << 24 });
      for (const chunkSize of sizes) {
        const part = await readNifti(nifti(name), { chunkSize });
        expect(part.header).toEqual(whole.header);
        expect(Buffer.from(part.volume.data.buffer).equals(Buffer.from(whole.volume.data.buffer))).toBe(true);
      }
    });
  }

  it('blocks arrive in order, consecutive, and never longer than a chunk allows', async () => {
    const s = await openNifti(nifti('functional.nii'), { chunkSize: 7 });
    let next = 0, maxLen = 0;
    for await (const b of s.blocks()) {
      expect(b.start).toBe(next);
      next += b.values.length;
      maxLen = Math.max(maxLen, b.values.length);
    }
    expect(next).toBe(17 * 21 * 3 * 20);
    expect(maxLen).toBeLessThanOrEqual(4); // 7 bytes hold at most 4 int16 voxels with a carried byte
  });

  it('fileChunks splits decompressed bytes into pieces of at most chunkSize', async () => {
    let total = 0;
    for await (const c of fileChunks(nifti('standard.nii.gz'), 10)) {
      expect(c.length).toBeLessThanOrEqual(10);
      total += c.length;
    }
    expect(total).toBe(352 + 4 * 5 * 7); // header + extension flag + 140 uint8 voxels (numpy: len(gzip.decompress))
  });
});

describe('niftiStats (streaming) against numpy', () => {
  // numpy over the scaled float64 values (see nifti-read.test.ts): min, max, mean, std (ddof 0), count_nonzero.
  it('functional.nii with chunk size 5 and 1 MiB', async () => {
    for (const chunkSize of [5, 1 << 20]) {
      const { stats } = await niftiStats(nifti('functional.nii'), { chunkSize });
      expect(stats.count).toBe(21420);
      expect(stats.nanCount).toBe(0);
      expect(stats.nonzero).toBe(21420);
      expect(stats.min).toBeCloseTo(629.826171875, 3);
      expect(stats.max).toBeCloseTo(5571.621858656406, 3);
      expect(stats.mean).toBeCloseTo(3637.408513675239, 3);
      expect(stats.sd).toBeCloseTo(530.412373779884, 3);
    }
  });

  it('example4d.nii.gz', async () => {
    const { header, stats } = await niftiStats(nifti('example4d.nii.gz'), { chunkSize: 10000 });
    expect(header.dims).toEqual([128, 96, 24, 2]);
    expect(stats.count).toBe(589824);
    expect(stats.nonzero).toBe(229725);
    expect(stats.min).toBe(0);
    expect(stats.max).toBe(1162);
    expect(stats.mean).toBeCloseTo(172.90811496310764, 9);
    expect(stats.sd).toBeCloseTo(238.768099508597, 9);
  });
});
