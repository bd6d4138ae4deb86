import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { rdmFromSquareMatrix, squareMatrixKind } from './square-matrix.js';

const sq = (rows: number[][]) => ({ rows: rows.length, cols: rows[0]!.length, data: Float64Array.from(rows.flat()) });

describe('squareMatrixKind / rdmFromSquareMatrix', () => {
  const s = sq([[1, 0.2, 0.5], [0.2, 1, 0.4], [0.5, 0.4, 1]]);
  const d = sq([[0, 0.8, 0.5], [0.8, 0, 0.6], [0.5, 0.6, 0]]);

  test('the kind comes from the whole diagonal: unit = similarity, zero = RDM', () => {
    expect(squareMatrixKind(s)).toBe('similarity');
    expect(squareMatrixKind(d)).toBe('rdm');
    expect(rdmFromSquareMatrix(s, 'auto').kind).toBe('similarity');
    expect(Array.from(rdmFromSquareMatrix(s, 'auto').rdm.vector)).toEqual([1 - 0.2, 1 - 0.5, 1 - 0.4]);
    expect(Array.from(rdmFromSquareMatrix(d, 'auto').rdm.vector)).toEqual([0.8, 0.5, 0.6]);
    // an explicit kind is taken as given
    expect(rdmFromSquareMatrix(d, 'rdm').kind).toBe('rdm');
    expect(() => rdmFromSquareMatrix(d, 'similarity')).toThrow(InvalidArgumentError);
  });

  test('a diagonal that is neither, or a mixed one, is an error naming the entry', () => {
    expect(() => squareMatrixKind(sq([[0.5, 1], [1, 0.5]]))).toThrow(/m\[0\]\[0\]/);
    expect(() => squareMatrixKind(sq([[1, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 1]]))).toThrow(/m\[1\]\[1\]/);
  });

  test('a unit diagonal that is also zero within tolerance (entries ≥ 1e9) is ambiguous: a typed error', () => {
    const huge = sq([[1, 2e9], [2e9, 1]]);
    expect(() => squareMatrixKind(huge)).toThrow(InvalidArgumentError);
    expect(rdmFromSquareMatrix(huge, 'rdm').rdm.vector[0]).toBe(2e9);
  });

  test('a matrix that is not square is a ShapeError', () => {
    expect(() => squareMatrixKind({ rows: 2, cols: 3, data: new Float64Array(6) })).toThrow(ShapeError);
  });
});
