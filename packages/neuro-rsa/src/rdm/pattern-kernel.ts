import { InvalidArgumentError, ShapeError, type Matrix, type NumericArray } from '@conceptlab/core';
import { rdmLength, type Rdm } from './rdm.js';

/* Internal helpers of the pattern-based measures (not part of the public API). */

/** @internal Checks a p×p precision matrix (square, matching the channels, finite, symmetric within 1e-9·scale). */
export function checkPrecision(precision: Matrix<NumericArray>, channels: number, name = 'precision'): void {
  const { rows, cols, data } = precision;
  if (rows !== cols || rows !== channels || data.length !== rows * cols) {
    throw new ShapeError(`${name} must be ${channels}×${channels} (channels × channels), got ${rows}×${cols}`);
  }
  let scale = 0;
  for (let k = 0; k < data.length; k++) {
    const v = data[k]!;
    if (!Number.isFinite(v)) throw new InvalidArgumentError(`${name}[${Math.floor(k / cols)}][${k % cols}]`, 'a finite number', v);
    scale = Math.max(scale, Math.abs(v));
  }
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) {
      if (Math.abs(data[i * cols + j]! - data[j * cols + i]!) > 1e-9 * scale) {
        throw new InvalidArgumentError(`${name}[${j}][${i}]`, `a symmetric matrix (${name}[${i}][${j}] = ${data[i * cols + j]})`, data[j * cols + i]);
      }
    }
  }
}

/** @internal Checks a conditions × channels pattern matrix. */
export function checkPatterns(patterns: Matrix<NumericArray>, minRows = 2): void {
  const { rows, cols, data } = patterns;
  if (data.length !== rows * cols) throw new ShapeError(`patterns data has ${data.length} elements, expected ${rows}×${cols}`);
  if (rows < minRows) throw new ShapeError(`patterns must have at least ${minRows} rows, got ${rows}`);
  if (cols < 1) throw new ShapeError(`patterns must have at least 1 channel (column), got ${cols}`);
}

/** @internal X·P for X (n×p) and P (p×p), row-major. */
export function multiply(x: ArrayLike<number>, n: number, p: number, pm: ArrayLike<number>): Float64Array {
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < p; k++) {
      const v = x[i * p + k]!;
      if (v === 0) continue;
      const o = i * p;
      const r = k * p;
      for (let j = 0; j < p; j++) out[o + j]! += v * pm[r + j]!;
    }
  }
  return out;
}

/**
 * @internal d(i, j) = (a_i − a_j)·(b_i − b_j) / p for row sets a (n×p) and b (n×p), with b = X·P or
 * the test-fold means times P: the symmetric form of rsatoolbox's K_ii + K_jj − K_ij − K_ji.
 */
export function kernelRdm(a: ArrayLike<number>, b: ArrayLike<number>, n: number, p: number): Rdm {
  const vector = new Float64Array(rdmLength(n));
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += (a[i * p + c]! - a[j * p + c]!) * (b[i * p + c]! - b[j * p + c]!);
      vector[k++] = s / p;
    }
  }
  return { n, vector };
}
