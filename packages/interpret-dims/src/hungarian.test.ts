import { matrixFromRows, InvalidArgumentError } from '@conceptlab/core';
import { linearSumAssignment } from './hungarian.js';

// reference/references.py: scipy.optimize.linear_sum_assignment on rounded normal matrices (numpy seed 7).
const LSA6 = [[0.001, 0.299, -0.274, -0.891, -0.455, -0.992], [0.06, 1.34, -0.492, -0.62, 0.49, 0.357], [0.105, -0.93, -0.029, 0.695, -1.344, -0.458], [-1.901, -1.29, -1.842, -0.235, -1.267, 0.271], [0.157, -0.187, -2.517, -0.539, -0.049, 0.113], [-1.53, -0.478, -0.979, -0.809, 1.061, -0.808]];
const LSA47 = [[-0.033, 0.884, -0.584, -0.112, 0.11, 0.064, -1.225], [0.076, 1.359, -1.547, 0.859, 0.119, -0.641, 2.0], [0.762, -1.199, 0.075, 0.577, -0.189, 0.683, -0.067], [0.667, 1.439, -0.676, 0.203, -0.463, 0.127, -1.187]];
const LSA74 = [[-0.579, -0.196, 0.899, 1.145], [-1.324, -0.795, 0.647, -1.992], [-0.463, -0.097, 1.257, 0.689], [-0.327, -0.369, -0.25, 1.524], [-0.428, -0.304, 0.353, -0.121], [-0.197, -1.114, -0.012, -0.444], [1.166, 0.653, -0.024, 0.668]];

describe('linearSumAssignment', () => {
  test('hand-computed 3 × 3', () => {
    const a = linearSumAssignment(matrixFromRows([[4, 1, 3], [2, 0, 5], [3, 2, 2]]));
    // optimum 1 + 2 + 2 = 5: (0,1), (1,0), (2,2)
    expect(a.cols).toEqual([1, 0, 2]);
    expect(a.total).toBe(5);
  });

  test.each([
    ['6×6', LSA6, -8.293, [5, 3, 4, 1, 2, 0], 3.25],
    ['4×7', LSA47, -4.434, [6, 2, 1, 4], 4.311],
    ['7×4', LSA74, -3.935, [0, 3, 2, 1], 3.751],
  ])('equals scipy on %s', (_name, m, minTotal, minCols, maxTotal) => {
    const M = matrixFromRows(m as number[][]);
    const lo = linearSumAssignment(M);
    expect(lo.total).toBeCloseTo(minTotal as number, 10);
    expect(lo.cols).toEqual(minCols);
    const hi = linearSumAssignment(M, true);
    expect(hi.total).toBeCloseTo(maxTotal as number, 10);
    expect(new Set(hi.cols).size).toBe(hi.cols.length);
  });

  test('a non-finite cost is an error', () => {
    expect(() => linearSumAssignment(matrixFromRows([[1, NaN]]))).toThrow(InvalidArgumentError);
  });
});
