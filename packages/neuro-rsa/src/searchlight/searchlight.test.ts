import { resolve } from 'node:path';
import { createRng, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { compareRdms } from '../inference/compare.js';
import { computeRdm } from '../rdm/measures.js';
import { rdmFromVector } from '../rdm/rdm.js';
import { getVolumeSearchlight, searchlightRsa } from './searchlight.js';
import { cubeOffsets, sphereOffsets } from './sphere.js';
import type { Volume } from '../nifti/volume.js';

// Workers load the built module (jest runs the TypeScript sources, which a worker cannot load).
const WORKER = resolve(__dirname, '..', '..', 'dist', 'searchlight', 'searchlight-worker.js');

const IDENTITY = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

function volume(shape: [number, number, number], frames: number, data: Float32Array | Float64Array): Volume {
  return { grid: { shape, affine: IDENTITY }, frames, data };
}

describe('sphereOffsets / cubeOffsets', () => {
  test('a sphere is exactly the offsets at distance < radius (counted against a direct enumeration and numpy)', () => {
    // numpy: (sqrt((g**2).sum(0)) < r).sum() over a large cube of offsets.
    const numpyCounts: [number, number][] = [[1, 1], [1.5, 19], [2, 27], [2.5, 81], [3, 93], [4, 251]];
    for (const [r, expected] of numpyCounts) {
      const s = sphereOffsets(r);
      expect(s.count).toBe(expected);
      const got = new Set<string>();
      for (let m = 0; m < s.count; m++) got.add(`${s.offsets[3 * m]},${s.offsets[3 * m + 1]},${s.offsets[3 * m + 2]}`);
      const direct = new Set<string>();
      for (let a = -6; a <= 6; a++) for (let b = -6; b <= 6; b++) for (let c = -6; c <= 6; c++) if (Math.hypot(a, b, c) < r) direct.add(`${a},${b},${c}`);
      expect(got).toEqual(direct);
    }
  });

  test('a cube of side 7 has 343 offsets spanning −3…3 on every axis', () => {
    const c = cubeOffsets(7);
    expect(c.count).toBe(343);
    expect(Math.min(...c.offsets)).toBe(-3);
    expect(Math.max(...c.offsets)).toBe(3);
    expect(cubeOffsets(1).count).toBe(1);
  });

  test('bad sizes are typed errors', () => {
    expect(() => sphereOffsets(0)).toThrow(InvalidArgumentError);
    expect(() => sphereOffsets(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => cubeOffsets(6)).toThrow(InvalidArgumentError);
    expect(() => cubeOffsets(2.5)).toThrow(InvalidArgumentError);
  });
});

describe('getVolumeSearchlight', () => {
  // The mask of the numpy reference script: in(i,j,k) = (7i + 3j + 5k) mod 11 ≠ 0 on a 6×5×4 grid (109 voxels in).
  const shape: [number, number, number] = [6, 5, 4];
  const mask = new Uint8Array(120);
  for (let k = 0; k < 4; k++) for (let j = 0; j < 5; j++) for (let i = 0; i < 6; i++) mask[i + 6 * (j + 5 * k)] = (7 * i + 3 * j + 5 * k) % 11 !== 0 ? 1 : 0;

  test('centres and neighbourhood sizes match a numpy replica of rsatoolbox get_volume_searchlight', () => {
    // [radius, threshold, centres, Σ centre linear index (NIfTI order), Σ neighbourhood sizes, first 5 centres]
    const reference: [number, number, number, number, number, number[]][] = [
      [2, 0.9, 56, 3368, 916, [2, 4, 8, 10, 11]],
      [2, 1.0, 6, 433, 64, [24, 25, 93, 94, 95]],
      [1.5, 0.9, 70, 4251, 865, [1, 2, 3, 4, 8]],
      [3, 0.9, 89, 5392, 4082, [1, 2, 3, 4, 5]],
      [2, 0.93, 28, 1792, 460, [8, 10, 14, 15, 16]],
    ];
    for (const [radius, threshold, count, sum, members, first] of reference) {
      const sl = getVolumeSearchlight(mask, shape, { radius, threshold });
      expect(sl.centres.length).toBe(count);
      expect(sl.centres.reduce((s, v) => s + v, 0)).toBe(sum);
      expect(sl.members.length).toBe(members);
      expect(sl.start[count]).toBe(members);
      expect(Array.from(sl.centres.subarray(0, 5))).toEqual(first);
    }
  });

  test('each neighbourhood is the in-grid voxels within the radius; truncation keeps only in-mask ones', () => {
    const sl = getVolumeSearchlight(mask, shape, { radius: 2, threshold: 0.9 });
    const tr = getVolumeSearchlight(mask, shape, { radius: 2, threshold: 0.9, truncateAtBoundary: true });
    expect(Array.from(tr.centres)).toEqual(Array.from(sl.centres));
    for (let m = 0; m < sl.centres.length; m++) {
      const v = sl.centres[m];
      const ci = v % 6, cj = Math.floor(v / 6) % 5, ck = Math.floor(v / 30);
      const direct: number[] = [];
      for (let w = 0; w < 120; w++) {
        const i = w % 6, j = Math.floor(w / 6) % 5, k = Math.floor(w / 30);
        if (Math.hypot(i - ci, j - cj, k - ck) < 2) direct.push(w);
      }
      expect(Array.from(sl.members.subarray(sl.start[m], sl.start[m + 1]))).toEqual(direct);
      expect(Array.from(tr.members.subarray(tr.start[m], tr.start[m + 1]))).toEqual(direct.filter((w) => mask[w]));
    }
  });

  test('a 3×3×3 cube on a full 5×5×5 mask: every voxel is a centre, corners cover 8 voxels, the middle 27', () => {
    const sl = getVolumeSearchlight(new Uint8Array(125).fill(1), [5, 5, 5], { cube: 3 });
    expect(sl.centres.length).toBe(125);
    expect(sl.start[1] - sl.start[0]).toBe(8);
    expect(sl.start[63] - sl.start[62]).toBe(27); // voxel (2,2,2) = 62
    // Σ over centres of the clipped cube sizes = (Σ_i clipped 1-D width)³ = (2 + 3 + 3 + 3 + 2)³.
    expect(sl.members.length).toBe(13 ** 3);
  });

  test('bad arguments are typed errors', () => {
    expect(() => getVolumeSearchlight(mask, [6, 5, 3])).toThrow(ShapeError);
    expect(() => getVolumeSearchlight(mask, shape, { radius: 2, cube: 3 })).toThrow(InvalidArgumentError);
    expect(() => getVolumeSearchlight(mask, shape, { threshold: 1.5 })).toThrow(InvalidArgumentError);
  });
});

describe('searchlightRsa', () => {
  test('hand-computed: one-voxel searchlights, squared-distance RDMs, Pearson with the model', async () => {
    // 3 voxels × 3 conditions; voxel 0 has values 0, 1, 3 → euclidean RDM (1 channel) [1, 9, 4].
    const data = Float64Array.from([0, 5, 2, 1, 5, 2, 3, 5, 4]); // frame-major: frame c at c·3
    const model = rdmFromVector([1, 2, 3]);
    const r = await searchlightRsa(volume([3, 1, 1], 3, data), [1, 0, 1], [model], { radius: 1, measure: 'euclidean', method: 'corr', threads: 1 });
    expect(Array.from(r.centres)).toEqual([0, 2]);
    // numpy: np.corrcoef([1, 9, 4], [1, 2, 3])[0, 1]
    expect(r.scores[0][0]).toBeCloseTo(0.3711537444790451, 12);
    // Voxel 2: values 2, 2, 4 → RDM [0, 4, 4]; corr with [1, 2, 3] = 0.8660254037844386 (numpy).
    expect(r.scores[0][1]).toBeCloseTo(0.8660254037844386, 12);
    expect(Number.isNaN(r.maps[0][1])).toBe(true);
    expect(r.maps[0][0]).toBeCloseTo(0.3711537444790451, 6);
    // A scalar noise ceiling divides every score.
    const nc = await searchlightRsa(volume([3, 1, 1], 3, data), [1, 0, 1], [model], { radius: 1, measure: 'euclidean', noiseCeiling: 0.5, threads: 1 });
    expect(nc.scores[0][1]).toBeCloseTo(2 * 0.8660254037844386, 12);
    // A noise-ceiling map divides by the value at the centre.
    const ncMap = await searchlightRsa(volume([3, 1, 1], 3, data), [1, 0, 1], [model], { radius: 1, measure: 'euclidean', noiseCeiling: [0.25, 9, 0.5], threads: 1 });
    expect(ncMap.scores[0][0]).toBeCloseTo(4 * 0.3711537444790451, 12);
    expect(ncMap.scores[0][1]).toBeCloseTo(2 * 0.8660254037844386, 12);
  });

  // A 9×9×9 grid of noise, 8 conditions, with a 3×3×3 block around (6,6,6) whose patterns carry a two-class
  // structure; model A is that structure, model B an unrelated one.
  function planted() {
    const X = 9, V = X * X * X, n = 8;
    const rng = createRng(11);
    const data = new Float32Array(V * n);
    for (let q = 0; q < data.length; q++) data[q] = rng.nextNormal();
    const proto = [Array.from({ length: 27 }, () => rng.nextNormal()), Array.from({ length: 27 }, () => rng.nextNormal())];
    let s = 0;
    for (let k = 5; k <= 7; k++) for (let j = 5; j <= 7; j++) for (let i = 5; i <= 7; i++, s++) {
      const v = i + X * (j + X * k);
      for (let c = 0; c < n; c++) data[c * V + v] = 3 * proto[c % 2][s] + 0.3 * rng.nextNormal();
    }
    const a: number[] = [], b: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      a.push(i % 2 === j % 2 ? 0 : 1);
      b.push(i < 4 === j < 4 ? 0 : 1);
    }
    return { vol: volume([X, X, X], n, data), models: [rdmFromVector(a), rdmFromVector(b)], V };
  }

  test('a planted pattern region matching the model gives the maximum score at its centre', async () => {
    const { vol, models, V } = planted();
    const r = await searchlightRsa(vol, new Uint8Array(V).fill(1), models, { cube: 3, threads: 1 });
    expect(r.centres.length).toBe(V);
    let best = 0;
    for (let v = 1; v < V; v++) if (r.maps[0][v] > r.maps[0][best]) best = v;
    expect(best).toBe(6 + 9 * (6 + 9 * 6));
    expect(r.maps[0][best]).toBeGreaterThan(0.95);
    // Far from the block, the model explains nothing in particular.
    expect(Math.abs(r.maps[0][1 + 9 * (1 + 9 * 1)])).toBeLessThan(0.8);
    // Model B (first half vs second half) is not the planted structure: it scores lower there.
    expect(r.maps[1][best]).toBeLessThan(r.maps[0][best] - 0.5);
    // The value at a centre is computeRdm of the gathered patterns compared with the model.
    const members = Array.from(r.members.subarray(r.start[best], r.start[best + 1]));
    const p = members.length;
    const patterns = new Float64Array(8 * p);
    for (let c = 0; c < 8; c++) members.forEach((w, s) => (patterns[c * p + s] = vol.data[c * V + w]));
    expect(r.scores[0][best]).toBe(compareRdms(computeRdm({ rows: 8, cols: p, data: patterns }, 'correlation'), models[0], 'corr'));
  });

  test('worker threads give bit-identical maps to the in-thread path (threads 1 vs 2)', async () => {
    const { vol, models, V } = planted();
    const mask = new Uint8Array(V);
    for (let v = 0; v < V; v++) mask[v] = v % 7 === 3 ? 0 : 1;
    const opts = { radius: 2.5, threshold: 0.8, measure: 'euclidean' as const, method: 'spearman' as const };
    const one = await searchlightRsa(vol, mask, models, { ...opts, threads: 1 });
    const two = await searchlightRsa(vol, mask, models, { ...opts, threads: 2, workerUrl: WORKER });
    expect(one.centres.length).toBeGreaterThan(300);
    for (let q = 0; q < 2; q++) {
      expect(Buffer.from(two.maps[q].buffer).equals(Buffer.from(one.maps[q].buffer))).toBe(true);
      expect(Buffer.from(two.scores[q].buffer).equals(Buffer.from(one.scores[q].buffer))).toBe(true);
    }
  });

  test('mismatched inputs are typed errors', async () => {
    const { vol, models, V } = planted();
    const full = new Uint8Array(V).fill(1);
    await expect(searchlightRsa(vol, new Uint8Array(V - 1), models)).rejects.toThrow(ShapeError);
    await expect(searchlightRsa(vol, full, [rdmFromVector([1, 2, 3])])).rejects.toThrow(ShapeError);
    await expect(searchlightRsa(vol, full, [])).rejects.toThrow(InvalidArgumentError);
    await expect(searchlightRsa(vol, full, models, { noiseCeiling: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(searchlightRsa(vol, full, models, { noiseCeiling: [1, 2] })).rejects.toThrow(ShapeError);
    await expect(searchlightRsa(vol, full, models, { threads: 0 })).rejects.toThrow(InvalidArgumentError);
  });
});
