import { createRng, InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { defaultAlphas, logspace, ridgeCv, ridgeFit, ridgePredict } from './ridge.js';
import { sineProblem } from '../../test/sine-problem.js';
import { expectClose } from '../../../../test-support/expect-close.js';


/*
 * Reference values: a brute-force numpy solve per fold and alpha (np.linalg.solve(XcᵀXc + αI, XcᵀYc) with X, Y
 * centred on the training rows), contiguous 5-fold CV, mean over folds of the held-out MSE, argmin per voxel,
 * then a refit on all rows.
 */
const REFERENCE = [
  {
    p: 4, // 6 test rows per fold > rank 4: the Gram-matrix path
    idx: [29, 0, 27, 54, 99, 99],
    err0: [0.0019434379172216761, 0.017582469705574397, 0.13788984293805046, 1.3878446651489351, 13.022354220225514, 101.32706915266681],
    err50: [0.014518622762665944, 0.07146758655765698, 0.17310680165982645, 1.3553224021659258, 12.442005400811249, 99.06780937005061],
    w0: [0.996999464345056, 0.6205953141724362, -0.22518500092744628, -0.8993189843786946],
    wLast: [0.025684782589480988, 0.02282964175639883, 0.0074579312758292025, -0.02046998759372737],
    icpt: [0.000854285274301439, 0.5034166573530642, 1.0058643667557643, 1.4899114032189205, 2.0415505269361685, 2.5242358762236954],
  },
  {
    p: 8, // 6 test rows per fold ≤ rank 8: the direct-prediction path
    idx: [0, 39, 43, 56, 99, 99],
    err0: [0.009211776523542953, 0.09889233736880684, 0.20608034174038284, 5.353188736570246, 76.3002555524968, 193.31957408421232],
    err50: [0.05755319667078036, 0.10913351083216112, 0.17724395552589484, 1.80352875012394, 14.039562631710043, 118.93668288211424],
    w0: [1.0006264421469286, 0.6225006849652137, -0.22674104602336118, -0.903804123574927, -0.9022925121301755, -0.21543106072567914, 0.6304247863746548, 0.9970330972077375],
    wLast: [0.026759855800881107, 0.024332144882025234, 0.008851244470916095, -0.019695060736901786, 0.0409238393464362, 0.017083086550772668, 0.01681658436222327, 0.012490975116696005],
    icpt: [0.00027962285704606626, 0.49984652220636394, 1.000257365837593, 1.501548460863176, 2.081121218247245, 2.5077756478176485],
  },
];

// These assertions were |Δ| ≤ tol·max(1, |want|): {abs: tol} where |want| ≤ 1 (w0 of p = 8 reaches 1.0006, so
// 0.06 % stricter there), {rel: tol} where |want| ≥ 1 (both exact otherwise), and {abs: tol/2, rel: tol/2} where the
// values straddle 1 (never looser: (1 + |w|)/2 ≤ max(1, |w|)).

describe('logspace', () => {
  test('matches numpy.logspace(-3, 3, 100) at its ends and middle', () => {
    const a = defaultAlphas();
    expect(a.length).toBe(100);
    expect(a[0]).toBe(0.001);
    expect(a[99]).toBe(1000);
    // numpy: np.logspace(-3, 3, 100)[50] = 1.072267222010323
    expectClose(a[50], 1.072267222010323, { rel: 1e-14 });
    expect(Array.from(logspace(0, 2, 3))).toEqual([1, 10, 100]);
  });
});

describe('ridgeCv', () => {
  for (const ref of REFERENCE) {
    test(`per-voxel alphas, CV errors and refitted weights match a brute-force numpy solve (p = ${ref.p})`, () => {
      const { x, y } = sineProblem(30, ref.p, 6);
      const fit = ridgeCv(x, y, { folds: 5 });
      expect(Array.from(fit.alphaIndex)).toEqual(ref.idx);
      for (let c = 0; c < 6; c++) {
        expectClose(fit.cvError.data[c], ref.err0[c], { abs: 5e-10, rel: 5e-10 }); // 0.002 … 193
        expectClose(fit.cvError.data[50 * 6 + c], ref.err50[c], { abs: 5e-10, rel: 5e-10 });
        expectClose(fit.intercept[c], ref.icpt[c], { abs: 5e-10, rel: 5e-10 }); // 0.0003 … 2.5
      }
      for (let j = 0; j < ref.p; j++) {
        expectClose(fit.weights.data[j * 6], ref.w0[j], { abs: 1e-9 });
        expectClose(fit.weights.data[j * 6 + 5], ref.wLast[j], { abs: 1e-9 });
      }
    });
  }

  test('recovers a planted linear map from noisy data', () => {
    const rng = createRng(21);
    const n = 300, p = 6, v = 4;
    const x = Float64Array.from({ length: n * p }, () => rng.nextNormal());
    const b = Float64Array.from({ length: p * v }, () => rng.nextNormal());
    const y = new Float64Array(n * v);
    for (let i = 0; i < n; i++) for (let c = 0; c < v; c++) {
      let s = 2;
      for (let j = 0; j < p; j++) s += x[i * p + j] * b[j * v + c];
      y[i * v + c] = s + 0.1 * rng.nextNormal();
    }
    const fit = ridgeCv({ rows: n, cols: p, data: x }, { rows: n, cols: v, data: y }, { shuffle: true, seed: 1 });
    for (let q = 0; q < p * v; q++) expect(Math.abs(fit.weights.data[q] - b[q])).toBeLessThan(0.03);
    for (let c = 0; c < v; c++) expect(Math.abs(fit.intercept[c] - 2)).toBeLessThan(0.03);
    // Low noise: small penalties win.
    for (let c = 0; c < v; c++) expect(fit.alpha[c]).toBeLessThan(10);
    const pred = ridgePredict(fit, { rows: 1, cols: p, data: x.subarray(0, p) });
    expect(Math.abs(pred.data[0] - y[0])).toBeLessThan(0.5);
  });

  test('ridgeFit with alpha 0 is ordinary least squares (exact on a noiseless map)', () => {
    const { x } = sineProblem(12, 3, 1);
    const y = Float64Array.from({ length: 12 }, (_, i) => 1 + 2 * x.data[i * 3] - x.data[i * 3 + 1] + 0.5 * x.data[i * 3 + 2]);
    const m = ridgeFit(x, { rows: 12, cols: 1, data: y }, 0);
    expectClose(m.weights.data, [2, -1, 0.5], { abs: 5e-13, rel: 5e-13 });
    expectClose(m.intercept[0], 1, { abs: 1e-12 });
  });

  test('bad inputs are typed errors', () => {
    const { x, y } = sineProblem(10, 2, 2);
    expect(() => ridgeCv(x, { rows: 9, cols: 2, data: new Float64Array(18) })).toThrow(ShapeError);
    expect(() => ridgeCv(x, y, { alphas: [-1] })).toThrow(InvalidArgumentError);
    expect(() => ridgeCv(x, y, { alphas: [] })).toThrow(InvalidArgumentError);
    expect(() => ridgeCv(x, y, { folds: 11 })).toThrow(InvalidArgumentError);
    const bad = Float64Array.from(y.data);
    bad[3] = Number.NaN;
    expect(() => ridgeCv(x, { rows: 10, cols: 2, data: bad })).toThrow(InvalidArgumentError);
    expect(() => ridgeFit(x, y, [1, 2, 3])).toThrow(ShapeError);
    expect(() => ridgePredict(ridgeFit(x, y, 1), { rows: 1, cols: 3, data: new Float64Array(3) })).toThrow(ShapeError);
  });
});
