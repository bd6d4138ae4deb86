import { createMatrix, matrixFromRows, matrixGet, matrixRow, matrixToRows, transpose, toFloat32Matrix } from './matrix.js';
import { ShapeError, InvalidArgumentError } from './errors.js';

describe('Matrix', () => {
  test('row-major layout', () => {
    const m = matrixFromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(matrixGet(m, 1, 0)).toBe(4);
    expect(Array.from(matrixRow(m, 1))).toEqual([4, 5, 6]);
    expect(matrixToRows(transpose(m))).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });

  test('row views share memory', () => {
    const m = createMatrix(2, 2);
    matrixRow(m, 1)[0] = 7;
    expect(matrixGet(m, 1, 0)).toBe(7);
  });

  test('shape checks', () => {
    expect(() => createMatrix(2, 3, new Float64Array(5))).toThrow(ShapeError);
    expect(() => matrixFromRows([[1, 2], [3]])).toThrow(/row 1 has 1 values/);
    expect(() => createMatrix(-1, 2)).toThrow(InvalidArgumentError);
    expect(() => matrixRow(createMatrix(2, 2), 2)).toThrow(InvalidArgumentError);
  });

  test('float32 conversion keeps the shape', () => {
    const m = toFloat32Matrix(matrixFromRows([[0.1, 0.2]]));
    expect(m.data).toBeInstanceOf(Float32Array);
    expect(m.data[0]).toBeCloseTo(0.1, 7);
  });
});
