/**
 * Read and write NumPy `.npy` files (format versions 1.0, 2.0 and 3.0).
 *
 * A file is the magic `\x93NUMPY`, two version bytes, a little-endian header length (uint16 in 1.0,
 * uint32 in 2.0/3.0), a Python-dict header (`descr`, `fortran_order`, `shape`) padded with spaces to
 * a 64-byte boundary and ending in `\n`, then the raw array data.
 *
 * In memory an {@link NdArray} always holds its data in C (row-major) order and the host's byte order,
 * whatever the file used: big-endian data is byte-swapped and Fortran-order data transposed on read.
 * The writer produces the same bytes as numpy's `np.save` for the same array.
 *
 * Format reference: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
import { InvalidArgumentError, ParseError, ShapeError } from '../errors.js';
import type { Matrix, NumericArray } from '../matrix.js';
import { readFileBytes, writeFileAtomic } from './files.js';
import {
  NPY_DTYPES,
  NPY_DTYPE_SIZE,
  formatNpyHeaderDict,
  formatShape,
  parseNpyHeader,
  type NpyDtype,
  type NpyHeader,
} from './npy-header.js';

export { NPY_DTYPES, formatShape, parseNpyHeader } from './npy-header.js';
export type { NpyDtype, NpyHeader } from './npy-header.js';

/** The typed arrays an {@link NdArray} may hold. */
export type NpyTypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array;

/**
 * An n-dimensional array as stored in a `.npy` file.
 *
 * `data` is always in C (row-major) order and native byte order; its length is the product of
 * `shape` (1 for a 0-d array, `shape = []`). The typed array matches the dtype: `f4` Float32Array,
 * `f8` Float64Array, `i1` Int8Array, `i2` Int16Array, `i4` Int32Array, `i8` BigInt64Array,
 * `u1` Uint8Array, `u2` Uint16Array, `u4` Uint32Array, `b1` Uint8Array of 0/1.
 */
export interface NdArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyTypedArray;
}

/** Options for {@link serializeNpy} and the writers. */
export interface NpyWriteOptions {
  /**
   * Store the data in column-major (Fortran) order. As numpy does, the header says
   * `'fortran_order': True` only when that layout differs from row-major (at least two axes longer
   * than 1); otherwise both layouts are the same bytes and the header says False.
   */
  fortranOrder?: boolean;
}

type TypedArrayCtor = {
  new (length: number): NpyTypedArray;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): NpyTypedArray;
  readonly name: string;
};

const CTOR: Readonly<Record<NpyDtype, TypedArrayCtor>> = {
  f4: Float32Array,
  f8: Float64Array,
  i1: Int8Array,
  i2: Int16Array,
  i4: Int32Array,
  i8: BigInt64Array,
  u1: Uint8Array,
  u2: Uint16Array,
  u4: Uint32Array,
  b1: Uint8Array,
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const MAGIC_EXPECTED = 'a NumPy .npy file (magic \\x93NUMPY)';
const ARRAY_ALIGN = 64;
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Printable ASCII as is, anything else as `\xNN`, in double quotes: for error messages. */
function showBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `"${s}"`;
}

/** Reverse the bytes of each `size`-byte element, in place. */
function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let off = 0; off + size <= bytes.length; off += size) {
    for (let a = off, b = off + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** Number of elements for a shape (1 for `[]`). */
function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** True when row-major and column-major layouts of `shape` differ (numpy's C- vs F-contiguity). */
function layoutsDiffer(shape: readonly number[]): boolean {
  if (shapeSize(shape) === 0) return false;
  return shape.filter((d) => d > 1).length >= 2;
}

interface Indexable {
  [i: number]: number | bigint;
  readonly length: number;
}

/**
 * Convert between C and Fortran layouts of `shape`: with `toC`, `src` is column-major and the
 * result row-major; otherwise the reverse. Returns a new array of the same type.
 */
function relayout<T extends NpyTypedArray>(src: T, shape: readonly number[], toC: boolean): T {
  const n = src.length;
  const nd = shape.length;
  const out = new (src.constructor as TypedArrayCtor)(n) as T;
  const s = src as unknown as Indexable;
  const o = out as unknown as Indexable;
  // Row-major strides; walk the elements in column-major order, tracking the row-major offset.
  const cStride = new Array<number>(nd);
  for (let k = nd - 1, st = 1; k >= 0; k--) {
    cStride[k] = st;
    st *= shape[k];
  }
  const idx = new Array<number>(nd).fill(0);
  let c = 0;
  for (let f = 0; f < n; f++) {
    if (toC) o[c] = s[f];
    else o[f] = s[c];
    for (let k = 0; k < nd; k++) {
      idx[k]++;
      c += cStride[k];
      if (idx[k] < shape[k]) break;
      c -= cStride[k] * shape[k];
      idx[k] = 0;
    }
  }
  return out;
}

/** Decode the header bytes: latin1 for versions 1.0/2.0, UTF-8 for 3.0. */
function decodeHeader(bytes: Uint8Array, major: number, file: string): string {
  if (major < 3) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ParseError({ file }, 'a UTF-8 header (format version 3.0)', 'bytes that are not valid UTF-8');
  }
}

/**
 * Parse the bytes of a `.npy` file. `file` names the source in error messages.
 *
 * @throws ParseError for a bad magic string, an unsupported version, a malformed header, an
 *   unsupported dtype (complex, object, structured, strings, datetimes, float16, uint64, …), or
 *   data shorter or longer than the header's shape requires.
 */
export function parseNpy(bytes: Uint8Array, file = '<buffer>'): NdArray {
  const loc = { file };
  for (let i = 0; i < MAGIC.length; i++) {
    if (i >= bytes.length) {
      const found = bytes.length === 0 ? 'an empty file' : `only ${bytes.length} bytes ${showBytes(bytes)}`;
      throw new ParseError(loc, MAGIC_EXPECTED, found);
    }
    if (bytes[i] !== MAGIC[i]) throw new ParseError(loc, MAGIC_EXPECTED, showBytes(bytes.subarray(0, 8)));
  }
  if (bytes.length < 8) {
    throw new ParseError(loc, 'a format version after the .npy magic', `end of file after ${bytes.length} bytes`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (minor !== 0 || major < 1 || major > 3) {
    throw new ParseError(loc, '.npy format version 1.0, 2.0 or 3.0', `version ${major}.${minor}`);
  }
  const lenBytes = major === 1 ? 2 : 4;
  const preamble = 8 + lenBytes;
  if (bytes.length < preamble) {
    throw new ParseError(
      loc,
      `a ${lenBytes}-byte header length after the .npy version`,
      `end of file after ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = preamble + headerLen;
  if (bytes.length < dataStart) {
    throw new ParseError(
      loc,
      `a ${headerLen}-byte .npy header`,
      `only ${bytes.length - preamble} header bytes before the end of the file`,
    );
  }
  const header = parseNpyHeader(decodeHeader(bytes.subarray(preamble, dataStart), major, file), file);
  return decodeData(header, bytes.subarray(dataStart), file);
}

/** Turn the data section into an NdArray, checking its length against the header. */
function decodeData(header: NpyHeader, raw: Uint8Array, file: string): NdArray {
  const { dtype, shape } = header;
  const size = NPY_DTYPE_SIZE[dtype];
  const count = shapeSize(shape);
  const nbytes = count * size;
  const what = `data bytes for shape ${formatShape(shape)} ${dtype}`;
  if (!Number.isSafeInteger(nbytes)) {
    throw new ParseError({ file }, `a shape whose size fits in memory`, `shape ${formatShape(shape)} ${dtype}`);
  }
  if (raw.length !== nbytes) {
    const found = raw.length < nbytes ? `${raw.length}` : `${raw.length} (${raw.length - nbytes} extra bytes after the array data)`;
    throw new ParseError({ file }, `${nbytes} ${what}`, found);
  }

  const buf = new ArrayBuffer(nbytes);
  const copy = new Uint8Array(buf);
  copy.set(raw);
  const fileLittle = header.byteOrder === 'native' ? HOST_LITTLE_ENDIAN : header.byteOrder === 'little';
  if (fileLittle !== HOST_LITTLE_ENDIAN) swapBytes(copy, size);
  if (dtype === 'b1') for (let i = 0; i < copy.length; i++) copy[i] = copy[i] !== 0 ? 1 : 0;

  let data: NpyTypedArray = new CTOR[dtype](buf, 0, count);
  if (header.fortranOrder && layoutsDiffer(shape)) data = relayout(data, shape, true);
  return { dtype, shape: [...shape], data };
}

/** Check an NdArray before writing it. */
function validateArray(arr: NdArray): void {
  if (!(NPY_DTYPES as readonly string[]).includes(arr.dtype)) {
    throw new InvalidArgumentError('dtype', `one of ${NPY_DTYPES.join(', ')}`, arr.dtype);
  }
  if (!Array.isArray(arr.shape) || !arr.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new InvalidArgumentError('shape', 'an array of non-negative integers', arr.shape);
  }
  const Ctor = CTOR[arr.dtype];
  if (!(arr.data instanceof Ctor)) {
    const got = (arr.data as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? typeof arr.data;
    throw new InvalidArgumentError('data', `a ${Ctor.name} for dtype ${arr.dtype}`, got);
  }
  const count = shapeSize(arr.shape);
  if (arr.data.length !== count) {
    throw new ShapeError(`array data has ${arr.data.length} elements; shape ${formatShape(arr.shape)} needs ${count}`);
  }
}

/**
 * Encode an array as the bytes of a `.npy` file, exactly as numpy's `np.save` would: format 1.0
 * (2.0 only when the header is longer than 65535 bytes), little-endian data (`<`, or `|` for
 * 1-byte types), the header padded with spaces and a final `\n` to a multiple of 64 bytes.
 *
 * @throws InvalidArgumentError for an unknown dtype, a bad shape or a typed array that does not
 *   match the dtype; ShapeError when the data length is not the product of the shape.
 */
export function serializeNpy(arr: NdArray, options: NpyWriteOptions = {}): Uint8Array {
  validateArray(arr);
  const { dtype, shape } = arr;
  const size = NPY_DTYPE_SIZE[dtype];
  const fortran = options.fortranOrder === true && layoutsDiffer(shape);
  const descr = `${size === 1 ? '|' : '<'}${dtype}`;
  const headerText = formatNpyHeaderDict(descr, fortran, shape);

  // numpy's _wrap_header: header + padding spaces + '\n', so magic + version + length + header is a
  // multiple of ARRAY_ALIGN (a full extra block of spaces when it already is).
  let major = 1;
  let lenBytes = 2;
  let padded = headerText.length + 1;
  padded += ARRAY_ALIGN - ((8 + lenBytes + padded) % ARRAY_ALIGN);
  if (padded > 0xffff) {
    major = 2;
    lenBytes = 4;
    padded = headerText.length + 1;
    padded += ARRAY_ALIGN - ((8 + lenBytes + padded) % ARRAY_ALIGN);
  }
  const preamble = 8 + lenBytes;

  const payload = fortran ? relayout(arr.data, shape, false) : arr.data;
  const nbytes = payload.byteLength;
  const out = new Uint8Array(preamble + padded + nbytes);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (lenBytes === 2) view.setUint16(8, padded, true);
  else view.setUint32(8, padded, true);
  // The header is ASCII: descr, True/False and digits only.
  for (let i = 0; i < headerText.length; i++) out[preamble + i] = headerText.charCodeAt(i);
  out.fill(0x20, preamble + headerText.length, preamble + padded - 1);
  out[preamble + padded - 1] = 0x0a;

  const dataStart = preamble + padded;
  out.set(new Uint8Array(payload.buffer, payload.byteOffset, nbytes), dataStart);
  const dataBytes = out.subarray(dataStart);
  if (dtype === 'b1') for (let i = 0; i < dataBytes.length; i++) dataBytes[i] = dataBytes[i] !== 0 ? 1 : 0;
  if (!HOST_LITTLE_ENDIAN) swapBytes(dataBytes, size);
  return out;
}

/** Read a `.npy` file. @throws FileError when it cannot be read; ParseError as {@link parseNpy}. */
export function readNpy(file: string): NdArray {
  return parseNpy(readFileBytes(file), file);
}

/**
 * Write a `.npy` file atomically (a temporary file renamed into place), creating parent directories.
 * @throws FileError when it cannot be written; the errors of {@link serializeNpy}.
 */
export function writeNpy(file: string, arr: NdArray, options?: NpyWriteOptions): void {
  writeFileAtomic(file, serializeNpy(arr, options));
}

/** The dtype matching a matrix's typed array (Uint8Array → `u1`). */
function dtypeOfMatrixData(data: NumericArray): NpyDtype {
  if (data instanceof Float64Array) return 'f8';
  if (data instanceof Float32Array) return 'f4';
  if (data instanceof Int32Array) return 'i4';
  if (data instanceof Int16Array) return 'i2';
  if (data instanceof Int8Array) return 'i1';
  if (data instanceof Uint32Array) return 'u4';
  if (data instanceof Uint16Array) return 'u2';
  if (data instanceof Uint8Array) return 'u1';
  throw new InvalidArgumentError('matrix data', 'a Float64/Float32/Int32/Int16/Int8/Uint32/Uint16/Uint8 array', typeof data);
}

/**
 * A 2-D NdArray `[rows, cols]` viewing a matrix's data (no copy), with the matching dtype:
 * Float64Array → f8, Float32Array → f4, Int32Array → i4, Int16Array → i2, Int8Array → i1,
 * Uint32Array → u4, Uint16Array → u2, Uint8Array → u1.
 * @throws ShapeError when the data length is not rows·cols.
 */
export function ndarrayFromMatrix(m: Matrix<NumericArray>): NdArray {
  if (m.data.length !== m.rows * m.cols) {
    throw new ShapeError(`matrix data has ${m.data.length} elements; ${m.rows}×${m.cols} needs ${m.rows * m.cols}`);
  }
  return { dtype: dtypeOfMatrixData(m.data), shape: [m.rows, m.cols], data: m.data };
}

/**
 * A Float64 matrix from a 2-D array of any dtype (b1 gives 0/1). An `f8` array's data is used
 * without copying. `file` names the source in error messages.
 * @throws ParseError when the array is not 2-D, or an `i8` value is outside ±(2^53 − 1) and so
 *   cannot be held exactly by a float64.
 */
export function matrixFromNdArray(a: NdArray, file = '<array>'): Matrix<Float64Array> {
  if (a.shape.length !== 2) {
    throw new ParseError({ file }, 'a 2-D array (rows, cols)', `a ${a.shape.length}-D array of shape ${formatShape(a.shape)}`);
  }
  const [rows, cols] = a.shape;
  const { data } = a;
  if (data instanceof Float64Array) return { rows, cols, data };
  if (data instanceof BigInt64Array) {
    const out = new Float64Array(data.length);
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v > max || v < -max) {
        const at = cols === 0 ? `${i}` : `(${Math.floor(i / cols)}, ${i % cols})`;
        throw new ParseError({ file }, 'int64 values within ±(2^53 − 1), exactly representable as float64', `${v} at ${at}`);
      }
      out[i] = Number(v);
    }
    return { rows, cols, data: out };
  }
  return { rows, cols, data: Float64Array.from(data) };
}

/**
 * Read a `.npy` file holding a 2-D array of any supported dtype as a Float64 matrix.
 * @throws FileError, ParseError (also when the array is not 2-D; see {@link matrixFromNdArray}).
 */
export function readNpyMatrix(file: string): Matrix<Float64Array> {
  return matrixFromNdArray(readNpy(file), file);
}

/**
 * Write a matrix as a 2-D `.npy` file with the dtype matching its typed array (see
 * {@link ndarrayFromMatrix}), atomically.
 */
export function writeNpyMatrix(file: string, m: Matrix<NumericArray>, options?: NpyWriteOptions): void {
  writeNpy(file, ndarrayFromMatrix(m), options);
}
