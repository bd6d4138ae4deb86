import { InvalidArgumentError, ShapeError, type Matrix } from '@conceptlab/core';
import { expectClose } from '../../../../test-support/expect-close.js';
import { invertMatrix, noiseCovariance, noisePrecision, type NoiseCovarianceMethod } from './noise-covariance.js';

function matrix(rows: number, cols: number, f: (r: number, c: number) => number): Matrix<Float64Array> {
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, (_, k) => f(Math.floor(k / cols), k % cols)) };
}

// 12 residual rows × 4 channels, as in the numpy script.
const R = matrix(12, 4, (r, c) => ((r * 17 + c * 5 + r * c * c) % 23) / 7);

// numpy 2.4: a literal port of rsatoolbox's _check_demean + _covariance_full / _variance /
// _covariance_eye / _covariance_diag (cov_from_residuals on one 2-D array), default dof = 11 and dof = 9;
// *_prec = np.linalg.inv of the default-dof covariance (prec_from_residuals).
const REF: Record<string, number[]> = {
  'full': [1.062925170068027, -0.3582251082251082, -0.20871985157699446, 0.1459492888064317, -0.3582251082251082, 1.0888991960420533, 0.37012987012987003, -0.38095238095238104, -0.20871985157699446, 0.37012987012987003, 0.9332096474953618, 0.3710575139146568, 0.1459492888064317, -0.38095238095238104, 0.3710575139146568, 1.121830550401979],
  'full_dof9': [1.2991307634164775, -0.43783068783068785, -0.25510204081632654, 0.17838246409674985, -0.43783068783068785, 1.3308767951625096, 0.4523809523809523, -0.46560846560846575, -0.25510204081632654, 0.4523809523809523, 1.1405895691609977, 0.45351473922902497, 0.17838246409674985, -0.46560846560846575, 0.45351473922902497, 1.3711262282690853],
  'full_prec': [1.0781421725941887, 0.24880203982942795, 0.1895634589176597, -0.11847716182353732, 0.24880203982942803, 1.582208642897964, -0.8896557787840151, 0.7991823097551325, 0.1895634589176597, -0.8896557787840151, 1.8385501384797993, -0.9348925132984569, -0.1184771618235373, 0.7991823097551325, -0.9348925132984569, 1.487426913439135],
  'diag': [1.062925170068027, 0.0, 0.0, 0.0, 0.0, 1.0888991960420533, 0.0, 0.0, 0.0, 0.0, 0.9332096474953618, 0.0, 0.0, 0.0, 0.0, 1.121830550401979],
  'diag_dof9': [1.2991307634164775, 0.0, 0.0, 0.0, 0.0, 1.3308767951625096, 0.0, 0.0, 0.0, 0.0, 1.1405895691609977, 0.0, 0.0, 0.0, 0.0, 1.3711262282690853],
  'diag_prec': [0.9408000000000003, 0.0, 0.0, 0.0, 0.0, 0.9183586539826777, 0.0, 0.0, 0.0, 0.0, 1.0715705765407555, 0.0, 0.0, 0.0, 0.0, 0.8914002205071665],
  'shrinkage_eye': [1.0531017230482755, -0.04428129105594664, -0.025800493278173485, 0.01804123381821909, -0.04428129105594664, 1.0563124511006707, 0.045752874746627634, -0.04709067810179221, -0.025800493278173485, 0.045752874746627634, 1.0370671942628034, 0.04586754360564174, 0.01804123381821909, -0.04709067810179221, 0.04586754360564174, 1.0603831955956713],
  'shrinkage_eye_dof9': [1.2871243281701146, -0.05412157795726811, -0.031533936228878706, 0.022050396888934443, -0.05412157795726811, 1.291048551345264, 0.05592018024587822, -0.05755527323552381, -0.031533936228878706, 0.05592018024587822, 1.2675265707656487, 0.056060331073562134, 0.022050396888934443, -0.05755527323552381, 0.056060331073562134, 1.2960239057280427],
  'shrinkage_eye_prec': [0.9520045542208236, 0.03823607214995072, 0.022682063849414392, -0.015480389366859798, 0.03823607214995072, 0.9520927283071188, -0.0429762412896849, 0.04349001482362754, 0.022682063849414392, -0.04297624128968489, 0.9686726340486035, -0.04419499218626814, -0.015480389366859797, 0.04349001482362754, -0.044194992186268135, 0.9471617237200028],
  'shrinkage_diag': [1.062925170068027, -0.09995474202671974, -0.05823862828488203, 0.04072390007476196, -0.09995474202671974, 1.0888991960420533, 0.10327650082519076, -0.10629628155107358, -0.05823862828488203, 0.10327650082519076, 0.9332096474953618, 0.1035353391731236, 0.04072390007476196, -0.10629628155107358, 0.1035353391731236, 1.121830550401979],
  'shrinkage_diag_dof9': [1.2991307634164775, -0.06381281925367474, -0.03718053776109663, 0.02599883529368535, -0.06381281925367474, 1.3308767951625096, 0.06593348696301134, -0.06786136669877195, -0.03718053776109663, 0.06593348696301134, 1.1405895691609977, 0.06609873379750512, 0.02599883529368535, -0.06786136669877195, 0.06609873379750512, 1.3711262282690853],
  'shrinkage_diag_prec': [0.9524442360538546, 0.07915304856304466, 0.054238495982285403, -0.032080754285954506, 0.07915304856304467, 0.9455613110303319, -0.11045603506722715, 0.09691511210515186, 0.054238495982285403, -0.11045603506722713, 1.099820382697347, -0.11393890565682363, -0.032080754285954506, 0.09691511210515186, -0.11393890565682364, 0.9122633292079899],
};

/** The data of a 4 × 4 matrix (asserting the shape), for the shared `expectClose`. */
function data4x4(m: Matrix<Float64Array>): Float64Array {
  expect([m.rows, m.cols]).toEqual([4, 4]);
  return m.data;
}

describe.each(['full', 'diag', 'shrinkage_eye', 'shrinkage_diag'] as NoiseCovarianceMethod[])('%s', (method) => {
  test('covariance matches rsatoolbox cov_from_residuals within 1e-13 (default dof and dof = 9)', () => {
    expectClose(data4x4(noiseCovariance(R, { method })), REF[method]!, { abs: 1e-13 });
    expectClose(data4x4(noiseCovariance(R, { method, dof: 9 })), REF[`${method}_dof9`]!, { abs: 1e-13 });
  });
  test('precision matches rsatoolbox prec_from_residuals within 1e-12', () => {
    expectClose(data4x4(noisePrecision(R, { method })), REF[`${method}_prec`]!, { abs: 1e-12 });
  });
});

test('hand-computed: 2 rows, full and diag', () => {
  // rows (1, 2) and (3, 6): demeaned (−1, −2), (1, 2); S = [[2, 4], [4, 8]], dof = 1.
  const two = matrix(2, 2, (r, c) => [[1, 2], [3, 6]][r]![c]!);
  expect(Array.from(noiseCovariance(two, { method: 'full' }).data)).toEqual([2, 4, 4, 8]);
  expect(Array.from(noiseCovariance(two, { method: 'diag' }).data)).toEqual([2, 0, 0, 8]);
  expect(noiseCovariance(two).data).toHaveLength(4); // default shrinkage_diag
});

test('invertMatrix: hand-computed 2×2 and singular input', () => {
  const inv = invertMatrix({ rows: 2, cols: 2, data: Float64Array.from([4, 7, 2, 6]) });
  [0.6, -0.7, -0.2, 0.4].forEach((v, k) => expect(inv.data[k]).toBeCloseTo(v, 14));
  expect(() => invertMatrix({ rows: 2, cols: 2, data: Float64Array.from([1, 2, 2, 4]) })).toThrow(InvalidArgumentError);
  expect(() => invertMatrix({ rows: 2, cols: 3, data: new Float64Array(6) })).toThrow(ShapeError);
});

test('bad arguments', () => {
  expect(() => noiseCovariance(R, { method: 'ledoit' as never })).toThrow(InvalidArgumentError);
  expect(() => noiseCovariance(R, { dof: 0 })).toThrow(InvalidArgumentError);
  expect(() => noiseCovariance(matrix(1, 4, () => 1))).toThrow(ShapeError);
  expect(() => noiseCovariance(matrix(3, 2, (r) => (r === 1 ? NaN : r)))).toThrow(InvalidArgumentError);
  // 'full' with fewer rows than channels is singular
  expect(() => noisePrecision(matrix(3, 4, (r, c) => r * c + c), { method: 'full' })).toThrow(InvalidArgumentError);
});
