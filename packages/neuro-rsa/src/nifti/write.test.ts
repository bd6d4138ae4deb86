import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirForTests } from '@conceptlab/core';
import { qformAffine } from './affine.js';
import { readNifti } from './read.js';
import { serializeNifti, writeNifti } from './write.js';
import type { Volume } from './volume.js';

const dir = mkdtempSync(join(tmpdir(), 'nifti-write-'));
const data = dataDirForTests(__dirname, 'NIfTI write round trips of real images');
const python = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

/** A 3×2×2 volume with 2 frames on an oblique grid (rotation about x, negative x zoom, a translation). */
function sample(): Volume {
  const c = Math.cos(0.4), s = Math.sin(0.4);
  const affine = Float64Array.of(-2, 0, 0, 30, 0, 2.5 * c, -3 * s, -20, 0, 2.5 * s, 3 * c, 10, 0, 0, 0, 1);
  const data = Float32Array.from({ length: 24 }, (_, i) => (i % 5) - 1.25 * i);
  return { grid: { shape: [3, 2, 2], affine }, frames: 2, data };
}

describe('writeNifti', () => {
  test('round trip: .nii and .nii.gz read back the same shape, frames, values and affine (sform)', async () => {
    const v = sample();
    for (const name of ['rt.nii', 'rt.nii.gz']) {
      const f = join(dir, name);
      writeNifti(f, v, { description: 'round trip' });
      const img = await readNifti(f);
      expect(img.header.version).toBe(1);
      expect(img.header.datatype.name).toBe('float32');
      expect(img.header.dims).toEqual([3, 2, 2, 2]);
      expect(img.header.sformCode).toBe(1);
      expect(img.header.qformCode).toBe(1);
      expect(img.header.description).toBe('round trip');
      expect(img.volume.data).toEqual(v.data);
      v.grid.affine.forEach((x, i) => expect(img.header.affine[i]).toBeCloseTo(x, 5));
      // The qform alone encodes the same affine (to float32 precision).
      const q = qformAffine(img.header, -1e-6);
      v.grid.affine.forEach((x, i) => expect(q[i]).toBeCloseTo(x, 5));
    }
    const gz = readFileSync(join(dir, 'rt.nii.gz'));
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
  });

  test('3-D maps have dim[0] 3; codes can be copied from the source', async () => {
    const v: Volume = { grid: { shape: [2, 2, 1], affine: Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1) }, frames: 1, data: Float32Array.of(1, 2, 3, 4) };
    const bytes = serializeNifti(v, { sformCode: 4, qformCode: 2 });
    const dv = new DataView(bytes.buffer);
    expect(dv.getInt16(40, true)).toBe(3);
    expect(dv.getInt16(252, true)).toBe(2);
    expect(dv.getInt16(254, true)).toBe(4);
    expect(bytes.length).toBe(352 + 16);
    expect(() => serializeNifti({ ...v, data: Float32Array.of(1) })).toThrow('volume.data: expected 4 × 1 = 4 values, got 1');
  });

  (python ? test : test.skip)('an independent numpy/struct parser reads the written header and data', () => {
    const f = join(dir, 'py.nii.gz');
    const v = sample();
    writeNifti(f, v);
    const script = `
import struct, gzip, sys, json, numpy as np
b = gzip.decompress(open(sys.argv[1], 'rb').read())
assert struct.unpack('<i', b[:4])[0] == 348
dim = struct.unpack('<8h', b[40:56]); dt, bp = struct.unpack('<hh', b[70:74])
pix = struct.unpack('<8f', b[76:108]); vo = struct.unpack('<f', b[108:112])[0]
qc, sc = struct.unpack('<hh', b[252:256]); q = struct.unpack('<6f', b[256:280])
srow = np.array(struct.unpack('<12f', b[280:328]), dtype=float).reshape(3, 4)
x, y, z = q[:3]; w = np.sqrt(max(0.0, 1 - (x*x + y*y + z*z)))
R = np.array([[w*w+x*x-y*y-z*z, 2*(x*y-w*z), 2*(x*z+w*y)], [2*(x*y+w*z), w*w+y*y-x*x-z*z, 2*(y*z-w*x)], [2*(x*z-w*y), 2*(y*z+w*x), w*w+z*z-x*x-y*y]])
qa = R @ np.diag([pix[1], pix[2], pix[3] * (-1 if pix[0] < 0 else 1)])
n = int(np.prod(dim[1:dim[0]+1]))
d = np.frombuffer(b, '<f4', count=n, offset=int(vo)).astype(float)
print(json.dumps(dict(dim=list(dim), dt=dt, bp=bp, vo=vo, qc=qc, sc=sc, magic=b[344:348].decode('latin1'), ext=list(b[348:352]),
  srow=srow.tolist(), qform=np.hstack([qa, np.array(q[3:])[:, None]]).tolist(), sum=float(d.sum()), last=float(d[-1]), len=len(b))))
`;
    const r = spawnSync('python3', ['-c', script, f], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const p = JSON.parse(r.stdout) as { dim: number[]; dt: number; bp: number; vo: number; qc: number; sc: number; magic: string; ext: number[]; srow: number[][]; qform: number[][]; sum: number; last: number; len: number };
    expect(p.dim).toEqual([4, 3, 2, 2, 2, 1, 1, 1]);
    expect([p.dt, p.bp, p.vo, p.qc, p.sc]).toEqual([16, 32, 352, 1, 1]);
    expect(p.magic).toBe('n+1\0');
    expect(p.ext).toEqual([0, 0, 0, 0]);
    expect(p.len).toBe(352 + 4 * 24);
    for (let r2 = 0; r2 < 3; r2++) for (let c = 0; c < 4; c++) {
      expect(p.srow[r2][c]).toBeCloseTo(v.grid.affine[r2 * 4 + c], 5);
      expect(p.qform[r2][c]).toBeCloseTo(v.grid.affine[r2 * 4 + c], 5);
    }
    expect(p.sum).toBeCloseTo(Array.from(v.data).reduce((a, b) => a + b, 0), 4);
    expect(p.last).toBe(v.data[23]);
  });

  (data ? test : test.skip)('functional.nii read, written and read again: same values and affine', async () => {
    const src = await readNifti(join(data!, 'nifti', 'functional.nii'));
    const f = join(dir, 'functional-copy.nii');
    writeNifti(f, src.volume, { sformCode: src.header.sformCode, qformCode: src.header.qformCode });
    const back = await readNifti(f);
    expect(back.volume.data).toEqual(src.volume.data);
    expect(back.header.affine).toEqual(src.header.affine);
    expect(back.header.sformCode).toBe(2);
  });
});
