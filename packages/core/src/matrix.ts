import { InvalidArgumentError, ShapeError } from './errors.js';

/** Typed arrays a {@link Matrix} may hold. */
export type NumericArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array;

/** A dense row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface Matrix<T extends NumericArray = Float64Array> {
  readonly rows: number;
  readonly cols: number;
  readonly data: T;
}

function checkDims(rows: number, cols: number): void {
  if (!Number.isInteger(rows) || rows < 0) throw new InvalidArgumentError('rows', 'a non-negative integer', rows);
  if (!Number.isInteger(cols) || cols < 0) throw new InvalidArgumentError('cols', 'a non-negative integer', cols);
}

/** Wrap `data` (length rows·cols) as a matrix, or allocate a zero Float64 matrix. */
export function createMatrix(rows: number, cols: number): Matrix<Float64Array>;
export function createMatrix<T extends NumericArray>(rows: number, cols: number, data: T): Matrix<T>;
export function createMatrix(rows: number, cols: number, data?: NumericArray): Matrix<NumericArray> {
  checkDims(rows, cols);
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) {
    throw new ShapeError(`matrix data has ${d.length} elements; ${rows}×${cols} needs ${rows * cols}`);
  }
  return { rows, cols, data: d };
}

/** Build a Float64 matrix from nested arrays; every row must have the same length. */
export function matrixFromRows(rows: ReadonlyArray<ArrayLike<number>>): Matrix<Float64Array> {
  const n = rows.length;
  const m = n === 0 ? 0 : rows[0].length;
  const data = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (r.length !== m) throw new ShapeError(`row ${i} has ${r.length} values; row 0 has ${m}`);
    for (let j = 0; j < m; j++) data[i * m + j] = r[j];
  }
  return { rows: n, cols: m, data };
}

/** Nested plain arrays (for JSON and tests). */
export function matrixToRows(m: Matrix<NumericArray>): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

export function matrixGet(m: Matrix<NumericArray>, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

/** A view (no copy) of row i. */
export function matrixRow<T extends NumericArray>(m: Matrix<T>, i: number): T {
  if (!Number.isInteger(i) || i < 0 || i >= m.rows) throw new InvalidArgumentError('row', `an integer in [0, ${m.rows})`, i);
  return m.data.subarray(i * m.cols, (i + 1) * m.cols) as T;
}

/** A new Float64 matrix with the values of `m`. */
export function toFloat64Matrix(m: Matrix<NumericArray>): Matrix<Float64Array> {
  return { rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) };
}

/** A new Float32 matrix with the values of `m`. */
export function toFloat32Matrix(m: Matrix<NumericArray>): Matrix<Float32Array> {
  return { rows: m.rows, cols: m.cols, data: Float32Array.from(m.data) };
}

/** The transpose, as a new matrix of the same element type. */
export function transpose<T extends NumericArray>(m: Matrix<T>): Matrix<T> {
  const Ctor = m.data.constructor as { new (n: number): T };
  const out = new Ctor(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j];
  return { rows: m.cols, cols: m.rows, data: out };
}
