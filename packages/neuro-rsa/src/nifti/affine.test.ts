import { affineToQform, applyAffine, baseAffine, bestAffine, invertAffine, multiplyAffines, qformAffine, quaternionToRotation } from './affine.js';

const T = -3 * 1.1920928955078125e-7;

describe('qform: quaternion → rotation (nibabel quat2mat / fillpositive)', () => {
  test('hand cases', () => {
    expect(Array.from(quaternionToRotation(0, 0, 0, T))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // b = 1: 180° about x → diag(1, −1, −1).
    expect(Array.from(quaternionToRotation(1, 0, 0, T))).toEqual([1, 0, 0, 0, -1, 0, 0, 0, -1]);
    // 90° about z: a = d = √½ → [[0, −1, 0], [1, 0, 0], [0, 0, 1]].
    const r = quaternionToRotation(0, 0, Math.SQRT1_2, T);
    [0, -1, 0, 1, 0, 0, 0, 0, 1].forEach((x, i) => expect(r[i]).toBeCloseTo(x, 15));
  });

  test('1 − b² − c² − d² slightly negative (float32 rounding) gives a = 0; clearly negative throws', () => {
    const b = 1 + 1e-8;
    expect(quaternionToRotation(b, 0, 0, T)[4]).toBeCloseTo(-1, 7);
    expect(() => quaternionToRotation(1.1, 0, 0, T)).toThrow(RangeError);
  });

  test('qfac −1 flips the third column; voxel sizes scale the columns; qoffset is the translation', () => {
    const a = qformAffine({ quaternB: 0, quaternC: 0, quaternD: 0, qoffset: [1, 2, 3], pixdim: [-1, 2, 3, 4] }, T);
    expect(Array.from(a)).toEqual([2, 0, 0, 1, 0, 3, 0, 2, 0, 0, -4, 3, 0, 0, 0, 1]);
    // pixdim[0] = 0 reads as qfac +1 (nibabel fixes it on load).
    expect(qformAffine({ quaternB: 0, quaternC: 0, quaternD: 0, qoffset: [0, 0, 0], pixdim: [0, 1, 1, 1] }, T)[10]).toBe(1);
  });
});

describe('fall-back and best affine', () => {
  test('baseAffine: diag(−dx, dy, dz), centre voxel at the origin (nibabel get_base_affine)', () => {
    // shape (4, 5, 7), zooms (1, 3, 2): origin (1.5, 2, 3) → translation (1.5·1, −2·3, −3·2).
    expect(Array.from(baseAffine([4, 5, 7], [1, 1, 3, 2]))).toEqual([-1, 0, 0, 1.5, 0, 3, 0, -6, 0, 0, 2, -6, 0, 0, 0, 1]);
    // 2-D data: z of size 1 and zoom 1.
    expect(Array.from(baseAffine([2, 3], [1, 2, 2, 9]))).toEqual([-2, 0, 0, 1, 0, 2, 0, -2, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  test('sform wins when sform_code ≠ 0, then qform, then the fall-back', () => {
    const sform = Float64Array.of(9, 0, 0, 0, 0, 9, 0, 0, 0, 0, 9, 0, 0, 0, 0, 1);
    const h = { sform, shape: [2, 2, 2], pixdim: [1, 1, 1, 1], quaternB: 0, quaternC: 0, quaternD: 0, qoffset: [5, 5, 5] as [number, number, number] };
    expect(bestAffine({ ...h, sformCode: 2, qformCode: 1 }, T).source).toBe('sform');
    expect(bestAffine({ ...h, sformCode: -1, qformCode: 1 }, T).source).toBe('sform'); // nibabel tests ≠ 0
    expect(bestAffine({ ...h, sformCode: 0, qformCode: 1 }, T)).toEqual({ source: 'qform', affine: Float64Array.of(1, 0, 0, 5, 0, 1, 0, 5, 0, 0, 1, 5, 0, 0, 0, 1) });
    expect(bestAffine({ ...h, sformCode: 0, qformCode: 0 }, T).source).toBe('base');
  });
});

describe('affine → qform (nibabel set_qform) round trips', () => {
  test('diag(−2, 3, 4): qfac −1 and a 180° rotation about y', () => {
    const q = affineToQform(Float64Array.of(-2, 0, 0, 1, 0, 3, 0, 2, 0, 0, 4, 3, 0, 0, 0, 1));
    expect(q.qfac).toBe(-1);
    expect(q.zooms).toEqual([2, 3, 4]);
    expect([q.b, q.c, q.d]).toEqual([0, 1, 0]);
    expect(q.offset).toEqual([1, 2, 3]);
  });

  test('a rotated, zoomed affine comes back through qformAffine to 1e-12', () => {
    const c = Math.cos(0.3), s = Math.sin(0.3), c2 = Math.cos(-1.1), s2 = Math.sin(-1.1);
    const rz = Float64Array.of(c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
    const rx = Float64Array.of(1, 0, 0, 0, 0, c2, -s2, 0, 0, s2, c2, 0, 0, 0, 0, 1);
    const zoom = Float64Array.of(-2, 0, 0, 0, 0, 2.5, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1);
    const a = multiplyAffines(multiplyAffines(rz, rx), zoom);
    a[3] = -90; a[7] = 12.5; a[11] = 40;
    const q = affineToQform(a);
    const back = qformAffine({ quaternB: q.b, quaternC: q.c, quaternD: q.d, qoffset: q.offset, pixdim: [q.qfac, ...q.zooms] }, T);
    a.forEach((x, i) => expect(back[i]).toBeCloseTo(x, 12));
  });

  test('invertAffine and applyAffine', () => {
    const a = Float64Array.of(-2, 0, 0, 117.8, 0, 1.97, -0.36, -35.7, 0, 0.32, 2.17, -7.2, 0, 0, 0, 1);
    const id = multiplyAffines(invertAffine(a), a);
    id.forEach((x, i) => expect(x).toBeCloseTo([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1][i], 12));
    expect(applyAffine(a, 1, 2, 3)).toEqual([-2 + 117.8, 1.97 * 2 - 0.36 * 3 - 35.7, 0.32 * 2 + 2.17 * 3 - 7.2].map((x, i) => expect.closeTo(x, 12) as unknown as number));
    expect(() => invertAffine(new Float64Array(16))).toThrow(RangeError);
  });
});
