import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectClose } from '../../../../test-support/expect-close.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { matrixFromRows } from '../matrix.js';
import { columnCorrelations, columnPairCorrelations, fisherZ, inverseFisherZ, pearson, standardizeColumns } from './pearson.js';

// Reference values: numpy 2 (np.corrcoef, np.arctanh, np.tanh) and scipy 1.17 (scipy.stats.pearsonr),
// printed with 17 significant digits. Tolerance 1e-14 absolute (the two libraries differ by 1e-16).
const TOL = 1e-14;
const close = (a: number, b: number, tol = TOL) => expectClose(a, b, { abs: tol });

const x = [1.5, 2.25, -0.5, 4, 3.125, 0.75];
const y = [0.2, 1.1, -0.9, 2.5, 1.4, 1.0];
const A = matrixFromRows([
  [0.1, 2.0, 0.0],
  [0.5, 1.0, 0.3],
  [0.9, 0.5, 0.0],
  [0.2, 0.2, 1.2],
  [0.7, 1.5, 0.4],
]);
const B = matrixFromRows([
  [1.0, 0.0],
  [0.0, 2.0],
  [3.0, 1.0],
  [0.5, 0.5],
  [2.0, 0.1],
]);

describe('pearson', () => {
  it('matches numpy.corrcoef / scipy.stats.pearsonr', () => {
    // np.corrcoef(x, y)[0, 1] = 0.9117572686204162; pearsonr → 0.9117572686204163
    close(pearson(x, y), 0.9117572686204162);
    close(pearson(Float64Array.from(x), Float32Array.from([0, 1, 0, 1, 0, 1])), pearson(x, [0, 1, 0, 1, 0, 1]));
  });

  it('is exactly ±1 for (anti)linear pairs and NaN for a constant vector', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 15);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    expect(Math.abs(pearson([0.1, 0.2, 0.3, 0.7], [0.3, 0.6, 0.9, 2.1]))).toBeLessThanOrEqual(1);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    // A constant whose rounded mean is not the constant itself (0.1·3/3 ≠ 0.1): still NaN, not a tiny spurious r.
    const c = new Array(46).fill(46 / 48 / 3);
    expect(c.reduce((a, b) => a + b, 0) / 46).not.toBe(c[0]);
    expect(pearson(c, Array.from({ length: 46 }, (_, i) => Math.sin(i)))).toBeNaN();
  });

  it('rejects mismatched or too-short vectors', () => {
    expect(() => pearson([1, 2], [1, 2, 3])).toThrow(ShapeError);
    expect(() => pearson([1], [1])).toThrow(InvalidArgumentError);
  });
});

describe('columnCorrelations', () => {
  it('matches np.corrcoef(A.T, B.T)[:3, 3:]', () => {
    const ref = [
      [0.732030208803561, 0.31281976572086784],
      [-0.04550010361949455, -0.4167732835757091],
      [-0.4515772996578306, -0.07964882591903906],
    ];
    const C = columnCorrelations(A, B);
    expect([C.rows, C.cols]).toEqual([3, 2]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) close(C.data[i * 2 + j], ref[i][j]);
  });

  it('matches np.corrcoef(A.T) with one argument (symmetric, unit diagonal)', () => {
    const ref = [
      [1.0, -0.26194333837063233, -0.3674842076295835],
      [-0.26194333837063233, 1.0, -0.5819356972401045],
      [-0.3674842076295835, -0.5819356972401045, 0.9999999999999999],
    ];
    const C = columnCorrelations(A);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) close(C.data[i * 3 + j], ref[i][j]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(C.data[i * 3 + j]).toBe(C.data[j * 3 + i]);
  });

  it('gives NaN for a constant column and rejects mismatched rows', () => {
    const M = matrixFromRows([[1, 0.5], [2, 0.5], [4, 0.5]]);
    const C = columnCorrelations(M);
    expect(C.data[0]).toBe(1);
    expect(C.data[1]).toBeNaN();
    expect(C.data[3]).toBeNaN();
    expect(() => columnCorrelations(A, M)).toThrow(ShapeError);
    expect(() => columnCorrelations(matrixFromRows([[1, 2]]))).toThrow(InvalidArgumentError);
  });

  it('standardizes columns to zero mean and unit length, column-major', () => {
    const z = standardizeColumns(B);
    for (let c = 0; c < 2; c++) {
      let s = 0, ss = 0;
      for (let r = 0; r < 5; r++) {
        s += z[c * 5 + r];
        ss += z[c * 5 + r] ** 2;
      }
      close(s, 0);
      close(ss, 1);
    }
  });
});

describe('Fisher z', () => {
  it('matches np.arctanh and np.tanh', () => {
    close(fisherZ(0.5), 0.5493061443340549);
    close(fisherZ(-0.3), -0.3095196042031117);
    close(fisherZ(0.99), 2.6466524123622457);
    close(inverseFisherZ(0.5), 0.46211715726000974);
    close(inverseFisherZ(-1.2), -0.8336546070121552);
    close(inverseFisherZ(3.0), 0.9950547536867305);
  });

  it('round-trips and is infinite at ±1', () => {
    for (const r of [-0.95, -0.2, 0, 0.4, 0.999]) close(inverseFisherZ(fisherZ(r)), r, 1e-15);
    expect(fisherZ(1)).toBe(Infinity);
    expect(fisherZ(-1)).toBe(-Infinity);
  });
});

// numpy/scipy reference: packages/core/reference/stats_reference.py → stats_reference.json
const REF = JSON.parse(readFileSync(join(__dirname, '../../reference/stats_reference.json'), 'utf8')) as {
  pearson_sin_cos1000: number;
  colcorr: { a: number[][]; b: number[][]; ab: number[][]; aa: number[][]; pairs: number[] };
};

describe('pearson and columnCorrelations on larger inputs (numpy, stats_reference.py)', () => {
  const sinX = Array.from({ length: 1000 }, (_, i) => Math.sin(1.7 * i));
  const cosU = sinX.map((v, i) => Math.cos(0.9 * i) + 0.3 * v);
  test('np.corrcoef of two 1,000-vectors', () => {
    expectClose(pearson(sinX, cosU), REF.pearson_sin_cos1000, { abs: 1e-14 });
  });
  test('np.corrcoef(A.T, B.T) blocks for 50 × 4 and 50 × 3 matrices', () => {
    const a = matrixFromRows(REF.colcorr.a), b = matrixFromRows(REF.colcorr.b);
    expectClose(columnCorrelations(a, b).data, REF.colcorr.ab.flat(), { abs: 1e-14 });
    expectClose(columnCorrelations(a).data, REF.colcorr.aa.flat(), { abs: 1e-14 });
  });
});

describe('columnPairCorrelations', () => {
  test('hand-computed: column c of a against column c of b', () => {
    const a = matrixFromRows([[1, 0, 5], [2, 1, 5], [3, 0, 5]]);
    const b = matrixFromRows([[2, 1, 1], [4, 0, 2], [6, 1, 3]]);
    const r = columnPairCorrelations(a, b);
    expect(r[0]).toBeCloseTo(1, 15); // b₀ = 2·a₀
    expect(r[1]).toBeCloseTo(-1, 15); // b₁ = 1 − a₁
    expect(r[2]).toBeNaN(); // a₂ constant: NaN, as pearson
  });
  test('equals pearson per column and scipy.stats.pearsonr (stats_reference.py)', () => {
    const a = matrixFromRows(REF.colcorr.a.map((row) => row.slice(0, 3)));
    const b = matrixFromRows(REF.colcorr.b.map((row, i) => row.map((v, c) => v + REF.colcorr.a[i][c + 1])));
    const r = columnPairCorrelations(a, b);
    expectClose(r, REF.colcorr.pairs, { abs: 1e-14 });
    for (let c = 0; c < 3; c++) {
      expect(r[c]).toBe(pearson(Array.from({ length: 50 }, (_, i) => a.data[i * 3 + c]), Array.from({ length: 50 }, (_, i) => b.data[i * 3 + c])));
    }
  });
  test('rejects different shapes and fewer than 2 rows', () => {
    expect(() => columnPairCorrelations(A, B)).toThrow(ShapeError);
    expect(() => columnPairCorrelations(matrixFromRows([[1, 2]]), matrixFromRows([[1, 2]]))).toThrow(InvalidArgumentError);
  });
});
