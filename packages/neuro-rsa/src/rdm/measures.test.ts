import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@conceptlab/core';
import { expectClose } from '../../../../test-support/expect-close.js';
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

describe("euclideanSums: 'gram' (rsatoolbox's ‖x_i‖² + ‖x_j‖² − 2·x_i·x_j) beside the default differences", () => {
  // python3 reference/rsa_speed_reference.py > reference/rsa_speed_reference.json (numpy 2.4, scipy 1.17):
  // rsatoolbox's calc_rdm_euclidean formula (gram) and pdist 'sqeuclidean' / p (differences) on 7 × 9 patterns
  // whose rows 5 and 6 are 1e-7 apart.
  const ref = JSON.parse(readFileSync(join(__dirname, '../../reference/rsa_speed_reference.json'), 'utf8')).euclideanGram as {
    patterns: number[][];
    gram: number[];
    differences: number[];
  };
  const x = { rows: 7, cols: 9, data: Float64Array.from(ref.patterns.flat()) };

  it('hand-computed: rows [0, 0] and [3, 4] are 25/2 apart either way', () => {
    const two = { rows: 2, cols: 2, data: Float64Array.from([0, 0, 3, 4]) };
    expect(computeRdm(two, 'euclidean', { euclideanSums: 'gram' }).vector[0]).toBe(12.5);
    expect(computeRdm(two, 'euclidean').vector[0]).toBe(12.5);
  });

  it.each(['wasm', 'js'] as const)('%s: gram matches numpy doing rsatoolbox within 1e-12 relative plus the cancellation of the close pair; the default matches pdist within 1e-12', (kernel) => {
    const gram = computeRdm(x, 'euclidean', { euclideanSums: 'gram', kernel }).vector;
    const diff = computeRdm(x, 'euclidean', { kernel }).vector;
    // The close pair (index 20) is ~1e-14: both gram values are cancellation noise of size 1e-16·‖x‖²/p.
    const scale = 1e-15 * Math.max(...ref.patterns.map((r) => r.reduce((s, v) => s + v * v, 0))) / 9;
    expectClose(gram, ref.gram, { rel: 1e-12, abs: scale });
    expectClose(diff, ref.differences, { rel: 1e-12 });
    // The default is accurate for the close pair; the Gram form is not (1.3% off in numpy too).
    expectClose(diff[20]!, 1e-14, { rel: 1e-6 });
    expect(Math.abs(ref.gram[20]! - ref.differences[20]!) / ref.differences[20]!).toBeGreaterThan(1e-3);
    // Away from it the two forms agree within 1e-12 relative.
    for (let k = 0; k < 20; k++) expectClose(gram[k]!, diff[k]!, { rel: 1e-12 });
  });

  it('rejects an unknown form', () => {
    expect(() => computeRdm(x, 'euclidean', { euclideanSums: 'blas' as 'gram' })).toThrow(InvalidArgumentError);
  });
});
