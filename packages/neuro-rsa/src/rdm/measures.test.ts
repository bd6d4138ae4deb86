import { InvalidArgumentError } from '@conceptlab/core';
import { computeRdm, type RdmMethod } from './measures.js';

// 6 conditions × 5 channels; row 3 is constant (its correlation distances are NaN).
const P = [
  [-5, -3, -1, 1, 3],
  [2, -4, 1, -5, 0],
  [-2, -5, 3, 0, -3],
  [5, 5, 5, 5, 5],
  [1, 4, -4, -1, 2],
  [-3, 3, -2, 4, -1],
];
const patterns = { rows: 6, cols: 5, data: Float64Array.from(P.flat()) };

// numpy 2.4 / scipy 1.17: pdist(P, 'sqeuclidean') / 5, pdist(P, 'correlation'), pdist(P, 'cosine')
const expected: Record<RdmMethod, number[]> = {
  euclidean: [19.8, 13.2, 44.0, 19.8, 13.2, 11.0, 46.2, 22.0, 33.0, 48.4, 33.0, 22.0, 28.6, 30.8, 11.0],
  correlation: [
    1.2538365412834047, 0.8444572457904362, NaN, 1.1555427542095638, 0.7461634587165953, 0.7209907944315637, NaN,
    1.2790092055684363, 2.0, NaN, 2.0, 1.2790092055684363, NaN, NaN, 0.7209907944315637,
  ],
  cosine: [
    1.0879173964527715, 0.7173245016768417, 1.3333333333333333, 1.1934603333626699, 0.7851655377881701,
    0.5913742260616268, 1.395628284037472, 1.3109371676027108, 1.9443843292997713, 1.4566296511374095,
    1.9464970485606021, 1.280285101520231, 0.8549047499779976, 0.9283885125960567, 0.7142616165936279,
  ],
};

test.each(['euclidean', 'correlation', 'cosine'] as const)('computeRdm %s matches numpy/scipy within 1e-12', (method) => {
  const r = computeRdm(patterns, method);
  expect(r.n).toBe(6);
  expect(r.vector.length).toBe(15);
  expected[method].forEach((e, k) => {
    if (Number.isNaN(e)) expect(r.vector[k]).toBeNaN();
    else expect(Math.abs(r.vector[k]! - e)).toBeLessThanOrEqual(1e-12);
  });
});

test('euclidean is the squared distance divided by the number of channels (rsatoolbox calc_rdm_euclidean)', () => {
  const r = computeRdm({ rows: 2, cols: 4, data: Float64Array.from([0, 0, 0, 0, 1, 2, 3, 4]) }, 'euclidean');
  expect(r.vector[0]).toBe(30 / 4);
});

test('computeRdm rejects an unknown method', () => {
  expect(() => computeRdm(patterns, 'mahalanobis' as RdmMethod)).toThrow(InvalidArgumentError);
});
