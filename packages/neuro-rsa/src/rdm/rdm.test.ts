import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { meanRdm, rdmFromMatrix, rdmFromSimilarity, rdmFromVector, rdmIndex, rdmToMatrix } from './rdm.js';

const m4 = {
  rows: 4,
  cols: 4,
  // prettier-ignore
  data: Float64Array.from([
    0, 1, 2, 3,
    1, 0, 4, 5,
    2, 4, 0, 6,
    3, 5, 6, 0,
  ]),
};

test('rdmFromMatrix takes the upper triangle in row-major (rsatoolbox / squareform) order', () => {
  const r = rdmFromMatrix(m4);
  expect(r.n).toBe(4);
  expect(Array.from(r.vector)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(r.vector[rdmIndex(4, 2, 1)]).toBe(4);
  expect(r.vector[rdmIndex(4, 2, 3)]).toBe(6);
});

test('rdmToMatrix inverts rdmFromMatrix; rdmFromVector infers n', () => {
  expect(rdmToMatrix(rdmFromMatrix(m4))).toEqual(m4);
  expect(rdmFromVector([1, 2, 3, 4, 5, 6]).n).toBe(4);
  expect(() => rdmFromVector([1, 2, 3, 4])).toThrow(InvalidArgumentError);
});

test('rdmFromMatrix rejects non-square, asymmetric and non-zero-diagonal matrices, naming the element', () => {
  expect(() => rdmFromMatrix({ rows: 2, cols: 3, data: new Float64Array(6) })).toThrow(ShapeError);
  const asym = Float64Array.from(m4.data);
  asym[2 * 4 + 1] = 4.001;
  expect(() => rdmFromMatrix({ ...m4, data: asym })).toThrow(/m\[2\]\[1\]: expected a symmetric matrix/);
  const diag = Float64Array.from(m4.data);
  diag[3 * 4 + 3] = 0.5;
  expect(() => rdmFromMatrix({ ...m4, data: diag })).toThrow(/m\[3\]\[3\]: expected a zero diagonal, got 0.5/);
  // within 1e-9 · scale is accepted
  const tiny = Float64Array.from(m4.data);
  tiny[1 * 4 + 0] = 1 + 1e-10;
  expect(rdmFromMatrix({ ...m4, data: tiny }).vector[0]).toBe(1);
});

test('rdmFromSimilarity is 1 − S', () => {
  const s = { rows: 3, cols: 3, data: Float64Array.from([1, 0.5, -0.25, 0.5, 1, 0.75, -0.25, 0.75, 1]) };
  expect(Array.from(rdmFromSimilarity(s).vector)).toEqual([0.5, 1.25, 0.25]);
  expect(() => rdmFromSimilarity({ ...s, data: Float64Array.from([0.9, 0.5, -0.25, 0.5, 1, 0.75, -0.25, 0.75, 1]) })).toThrow(
    InvalidArgumentError,
  );
});

test('meanRdm averages element-wise', () => {
  const r = meanRdm([rdmFromVector([1, 2, 3]), rdmFromVector([3, 4, 5])]);
  expect(Array.from(r.vector)).toEqual([2, 3, 4]);
  expect(() => meanRdm([rdmFromVector([1, 2, 3]), rdmFromVector([1])])).toThrow(ShapeError);
});
