import { InvalidArgumentError, ShapeError, type Matrix } from '@conceptlab/core';
import { crossnobisRdm } from './crossnobis.js';
import { mahalanobisRdm } from './mahalanobis.js';
import { computeRdm } from './measures.js';
import { noisePrecision } from './noise-covariance.js';
import { expectClose } from '../../../../test-support/expect-close.js';

function matrix(rows: number, cols: number, f: (r: number, c: number) => number): Matrix<Float64Array> {
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, (_, k) => f(Math.floor(k / cols), k % cols)) };
}

// The inputs of the numpy script: residuals R (12 × 4), patterns X (5 conditions × 4 channels),
// crossnobis observations Y (13 rows × 4) in 3 runs × 4 conditions, rows shuffled, condition 1 twice in run 2.
const R = matrix(12, 4, (r, c) => ((r * 17 + c * 5 + r * c * c) % 23) / 7);
const X = matrix(5, 4, (i, c) => ((i * 7 + c * 13) % 11) / 3 - 1);
const rows: [number, number][] = [[0, 2], [0, 0], [0, 1], [0, 3], [1, 0], [1, 1], [1, 2], [1, 3], [2, 3], [2, 2], [2, 1], [2, 0], [2, 1]];
const runs = rows.map(([r]) => r);
const conds = rows.map(([, c]) => c);
const Y = matrix(13, 4, (k, c) => ((k * 11 + c * 5 + k * c) % 13) / 4 - 1.5);
const P = noisePrecision(R, { method: 'shrinkage_diag' });

// numpy 2.4, literal ports of rsatoolbox's calc_rdm_mahalanobis (K = XPXᵀ, diag(K)ᵢ + diag(K)ⱼ − 2Kᵢⱼ,
// upper triangle / p) and calc_rdm_crossnobis with one precision (leave-one-run-out, per-condition
// means of the training and test runs, K = A P Bᵀ, Kᵢᵢ + Kⱼⱼ − Kᵢⱼ − Kⱼᵢ, / p, mean over folds);
// P = np.linalg.inv(shrinkage_diag covariance of R).
const MAHAL_I = [3.6111111111111107, 1.0000000000000004, 2.8611111111111116, 3.6944444444444446, 3.6111111111111116, 2.5277777777777786, 2.8611111111111116, 2.6944444444444446, 2.5277777777777777, 3.611111111111112];
const MAHAL_P = [3.578445086851451, 0.9644377955676192, 2.6644692546082176, 3.759054062639332, 3.3290148218677467, 2.2887564571510715, 3.2356503014896294, 2.339981365646661, 2.448198441782141, 3.102532066873948];
const CROSS_I = [0.09809027777777779, 0.14583333333333334, 0.2604166666666667, 0.04383680555555556, 0.2938368055555556, 0.578125];
const CROSS_P = [0.08928908969364513, 0.1846529995112287, 0.28206640061797766, 0.04610155897808077, 0.31549528190920845, 0.5345061988155603];
// The same with only the first 12 rows (one observation per condition and run); numpy also checked
// that it equals the mean over the 3 run pairs of (xᵢᵣ − xⱼᵣ) P (xᵢₛ − xⱼₛ)ᵀ / p (|Δ| ≤ 1.2e-16).
const CROSS_BAL_P = [0.0882736786244999, 0.1846529995112287, 0.28206640061797766, 0.10403941545419544, 0.08138095383617697, 0.5345061988155603];

describe('mahalanobisRdm', () => {
  test('matches rsatoolbox calc_rdm_mahalanobis within 1e-12', () => {
    expectClose(mahalanobisRdm(X, P).vector, MAHAL_P, { abs: 1e-12 });
    expectClose(mahalanobisRdm(X).vector, MAHAL_I, { abs: 1e-12 });
  });
  test('with the identity it is the squared Euclidean RDM / p', () => {
    const I = matrix(4, 4, (r, c) => (r === c ? 1 : 0));
    expectClose(mahalanobisRdm(X, I).vector, Array.from(computeRdm(X, 'euclidean').vector), { abs: 1e-12 });
    // two conditions, two channels, P = diag(1, 4): d = (1·1² + 4·2²) / 2 = 8.5
    const two = matrix(2, 2, (r, c) => (r === 0 ? 0 : c + 1));
    expect(mahalanobisRdm(two, matrix(2, 2, (r, c) => (r === c ? (r === 0 ? 1 : 4) : 0))).vector[0]).toBeCloseTo(8.5, 14);
  });
  test('bad arguments', () => {
    expect(() => mahalanobisRdm(X, matrix(3, 3, () => 1))).toThrow(ShapeError);
    expect(() => mahalanobisRdm(X, matrix(4, 4, (r, c) => r * 4 + c))).toThrow(InvalidArgumentError); // asymmetric
    expect(() => mahalanobisRdm(matrix(1, 4, () => 1))).toThrow(ShapeError);
  });
});

describe('crossnobisRdm', () => {
  test('matches rsatoolbox calc_rdm_crossnobis within 1e-12 (unbalanced, shuffled rows)', () => {
    expectClose(crossnobisRdm(Y, runs, { conditions: conds }).vector, CROSS_I, { abs: 1e-12 });
    expectClose(crossnobisRdm(Y, runs, { conditions: conds, precision: P }).vector, CROSS_P, { abs: 1e-12 });
  });
  test('balanced design; default conditions are the row order within each run', () => {
    const Yb = { rows: 12, cols: 4, data: Y.data.subarray(0, 48) };
    expectClose(crossnobisRdm(Yb, runs.slice(0, 12), { conditions: conds.slice(0, 12), precision: P }).vector, CROSS_BAL_P, { abs: 1e-12 });
    // Reorder rows so that within each run they are conditions 0, 1, 2, 3; then the default labels apply.
    const order = [0, 1, 2].flatMap((r) => [0, 1, 2, 3].map((c) => rows.findIndex(([rr, cc]) => rr === r && cc === c)));
    const sorted = { rows: 12, cols: 4, data: Float64Array.from(order.flatMap((k) => Array.from(Y.data.subarray(k * 4, k * 4 + 4)))) };
    expectClose(crossnobisRdm(sorted, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], { precision: P }).vector, CROSS_BAL_P, { abs: 1e-12 });
  });
  test('hand-computed: 2 runs, 2 conditions, 1 channel', () => {
    // run 0: (1, 3), run 1: (2, 5): folds give (2 − 5)(1 − 3) = 6 and (1 − 3)(2 − 5) = 6 → mean 6 / p = 6.
    expect(crossnobisRdm(matrix(4, 1, (r) => [1, 3, 2, 5][r]!), [0, 0, 1, 1]).vector[0]).toBe(6);
    // pure noise around equal patterns can give a negative distance
    expect(crossnobisRdm(matrix(4, 1, (r) => [1, 2, 2, 1][r]!), [0, 0, 1, 1]).vector[0]).toBe(-1);
  });
  test('bad arguments', () => {
    expect(() => crossnobisRdm(Y, runs.slice(1))).toThrow(ShapeError);
    expect(() => crossnobisRdm(Y, runs.map(() => 0))).toThrow(InvalidArgumentError); // one run
    expect(() => crossnobisRdm(matrix(3, 1, (r) => r), [0, 0, 1], { conditions: [0, 1, 0] })).toThrow(ShapeError); // run 1 lacks condition 1
    expect(() => crossnobisRdm(Y, runs, { conditions: conds, precision: matrix(2, 2, () => 1) })).toThrow(ShapeError);
  });
});
