import type { Matrix } from '@conceptlab/core';

/**
 * The deterministic regression problem of the ridge/encoding tests and their numpy reference script:
 * X[i, j] = sin(0.37(i+1)(j+1) + 0.5j), B[j, c] = cos(0.9j + 1.3c),
 * Y = X·B + 0.05·3^c·cos(1.7i + c) + 0.5c (noise growing with the voxel).
 */
export function sineProblem(n: number, p: number, v: number): { x: Matrix<Float64Array>; y: Matrix<Float64Array> } {
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) x[i * p + j] = Math.sin(0.37 * (i + 1) * (j + 1) + 0.5 * j);
  const y = new Float64Array(n * v);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < v; c++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += x[i * p + j]! * Math.cos(0.9 * j + 1.3 * c);
      y[i * v + c] = s + 0.05 * 3 ** c * Math.cos(1.7 * i + c) + 0.5 * c;
    }
  }
  return { x: { rows: n, cols: p, data: x }, y: { rows: n, cols: v, data: y } };
}
