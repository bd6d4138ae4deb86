import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileError, InvalidArgumentError, ParseError, ShapeError } from '../errors.js';
import { dataDirForTests } from '../data-dir.js';
import type { Matrix, NumericArray } from '../matrix.js';
import {
  NPY_DTYPES,
  matrixFromNdArray,
  ndarrayFromMatrix,
  parseNpy,
  readNpy,
  readNpyMatrix,
  serializeNpy,
  writeNpy,
  writeNpyMatrix,
  type NdArray,
  type NpyDtype,
} from './npy.js';

// Fixtures written by real numpy: see test/fixtures/make_npy_fixtures.py.
const FIXTURES = path.resolve(__dirname, '../../test/fixtures/npy');

interface ExpectedArray {
  descr: string;
  dtype: NpyDtype;
  shape: number[];
  fortran_order: boolean;
  version: number;
  values: Array<number | string>;
}
const EXPECTED = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as {
  numpy_version: string;
  arrays: Record<string, ExpectedArray>;
  errors: Record<string, string>;
};

const CTOR_NAME: Record<NpyDtype, string> = {
  f4: 'Float32Array',
  f8: 'Float64Array',
  i1: 'Int8Array',
  i2: 'Int16Array',
  i4: 'Int32Array',
  i8: 'BigInt64Array',
  u1: 'Uint8Array',
  u2: 'Uint16Array',
  u4: 'Uint32Array',
  b1: 'Uint8Array',
};

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES, name)));
}

/** An expected value from expected.json as the typed array would hold it. */
function decodeValue(v: number | string, dtype: NpyDtype): number | bigint {
  if (dtype === 'i8') return BigInt(v);
  if (typeof v === 'number') return v;
  const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };
  if (!(v in special)) throw new Error(`bad expected value ${v}`);
  return special[v];
}

/** Compare element by element with Object.is (so NaN, -0 and every bit of a float count). */
function expectValues(a: NdArray, expected: ExpectedArray): void {
  expect(a.data.length).toBe(expected.values.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.values.length; i++) {
    const want = decodeValue(expected.values[i], expected.dtype);
    const got = a.data[i];
    if (!Object.is(got, want)) bad.push(`[${i}] got ${String(got)}, want ${String(want)}`);
  }
  expect(bad).toEqual([]);
}

function expectParseError(fn: () => unknown, file: string, ...parts: string[]): ParseError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ParseError);
  const pe = err as ParseError;
  expect(pe.file).toBe(file);
  expect(pe.message.startsWith(`${file}: expected `)).toBe(true);
  for (const p of parts) expect(pe.message).toContain(p);
  return pe;
}

/** Build a .npy file by hand from header text (padded to 64 bytes like numpy) and raw data bytes. */
function makeNpy(header: string, data: Uint8Array = new Uint8Array(0), major = 1): Uint8Array {
  const enc = major === 3 ? Buffer.from(header, 'utf8') : Buffer.from(header, 'latin1');
  const pre = major === 1 ? 10 : 12;
  let hlen = enc.length + 1;
  hlen += (64 - ((pre + hlen) % 64)) % 64;
  const out = new Uint8Array(pre + hlen + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, hlen, true);
  else view.setUint32(8, hlen, true);
  out.set(enc, pre);
  out.fill(0x20, pre + enc.length, pre + hlen - 1);
  out[pre + hlen - 1] = 0x0a;
  out.set(data, pre + hlen);
  return out;
}

function f8Bytes(values: number[]): Uint8Array {
  return new Uint8Array(new Float64Array(values).buffer);
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'npy-test-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('reading fixtures written by numpy', () => {
  const names = Object.keys(EXPECTED.arrays).sort();

  it('covers every dtype × byte order × C/Fortran order, 0-d, 1-d, 3-d and header versions 1–3', () => {
    for (const dtype of NPY_DTYPES) {
      const orders = dtype.endsWith('1') ? ['na'] : ['le', 'be'];
      for (const bo of orders) {
        for (const layout of ['c', 'f']) expect(names).toContain(`${dtype}_${bo}_${layout}_2x3x4.npy`);
      }
    }
    const arrays = Object.values(EXPECTED.arrays);
    for (const ndim of [0, 1, 2, 3]) expect(arrays.some((a) => a.shape.length === ndim)).toBe(true);
    for (const v of [1, 2, 3]) expect(arrays.some((a) => a.version === v)).toBe(true);
    for (const prefix of ['<', '>', '|']) expect(arrays.some((a) => a.descr.startsWith(prefix))).toBe(true);
    expect(arrays.some((a) => a.fortran_order && a.descr.startsWith('>'))).toBe(true);
  });

  it.each(names)('%s', (name) => {
    const exp = EXPECTED.arrays[name];
    const bytes = fixture(name);
    expect(bytes[6]).toBe(exp.version);
    const a = parseNpy(bytes, name);
    expect(a.dtype).toBe(exp.dtype);
    expect(a.shape).toEqual(exp.shape);
    expect(a.data.constructor.name).toBe(CTOR_NAME[exp.dtype]);
    expectValues(a, exp);

    // readNpy gives the same.
    const fromFile = readNpy(path.join(FIXTURES, name));
    expect(fromFile.shape).toEqual(a.shape);
    expect(fromFile.data).toEqual(a.data);

    // Round trip through the writer, in both layouts.
    for (const fortranOrder of [false, true]) {
      const back = parseNpy(serializeNpy(a, { fortranOrder }));
      expect(back.dtype).toBe(a.dtype);
      expect(back.shape).toEqual(a.shape);
      expectValues(back, exp);
    }

    // Where numpy's own file is little-endian (or 1-byte) format 1.0, the writer reproduces it byte for byte.
    if (exp.version === 1 && !exp.descr.startsWith('>')) {
      expect(Buffer.from(serializeNpy(a, { fortranOrder: exp.fortran_order })).equals(Buffer.from(bytes))).toBe(true);
    }
  });
});

describe('header parsing', () => {
  const data = f8Bytes([1, 2, 3, 4, 5, 6]);

  it.each([
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", 1],
    ["{'shape': (2, 3), 'fortran_order': False, 'descr': '<f8'}", 1],
    ['{"fortran_order":False,"descr":"<f8","shape":(2,3)}', 1],
    ["{ 'descr' : '<f8' ,\n 'fortran_order' : False ,\t'shape' : ( 2 , 3 , ) , }", 1],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }", 1],
    ["{'descr': 'f8', 'fortran_order': False, 'shape': (2, 3), }", 2],
    ["{'descr': '=f8', 'fortran_order': False, 'shape': (2, 3), }", 3],
  ])('accepts %j (version %d)', (header, version) => {
    const a = parseNpy(makeNpy(header as string, data, version as number), 'h.npy');
    expect(a).toEqual({ dtype: 'f8', shape: [2, 3], data: new Float64Array([1, 2, 3, 4, 5, 6]) });
  });

  it("reads '=' as native (little-endian) order in a numpy-written file", () => {
    const bytes = fixture('f8_le_c_2x3x4.npy');
    const text = Buffer.from(bytes).toString('latin1').replace("'<f8'", "'=f8'");
    const a = parseNpy(new Uint8Array(Buffer.from(text, 'latin1')), 'eq.npy');
    expectValues(a, EXPECTED.arrays['f8_le_c_2x3x4.npy']);
  });

  it('reads a 0-d array and a 1-d (n,) array', () => {
    expect(parseNpy(makeNpy("{'descr': '<i4', 'fortran_order': False, 'shape': ()}", new Uint8Array([7, 0, 0, 0])))).toEqual({
      dtype: 'i4',
      shape: [],
      data: new Int32Array([7]),
    });
    const one = parseNpy(makeNpy("{'descr': '|u1', 'fortran_order': True, 'shape': (3,)}", new Uint8Array([1, 2, 3])));
    expect(one).toEqual({ dtype: 'u1', shape: [3], data: new Uint8Array([1, 2, 3]) });
  });

  it('reads bool bytes other than 0/1 as 1', () => {
    const a = parseNpy(makeNpy("{'descr': '|b1', 'fortran_order': False, 'shape': (3,)}", new Uint8Array([0, 2, 255])));
    expect(a.data).toEqual(new Uint8Array([0, 1, 1]));
  });

  it('reads a format 3.0 header with UTF-8 text', () => {
    // Non-ASCII text is legal in a 3.0 header; a non-ASCII descr must come back in the message intact.
    const bytes = makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", f8Bytes([2.5]), 3);
    expect(parseNpy(bytes).data).toEqual(new Float64Array([2.5]));
    const bad = makeNpy("{'descr': 'é8', 'fortran_order': False, 'shape': (1,), }", f8Bytes([2.5]), 3);
    expectParseError(() => parseNpy(bad, 'u.npy'), 'u.npy', "'é8'");
  });
});

describe('writing', () => {
  function written(name: string): Buffer {
    return Buffer.from(fixture(`written_by_numpy_${name}.npy`));
  }
  function same(bytes: Uint8Array, name: string): void {
    const want = written(name);
    const got = Buffer.from(bytes);
    // Compare the header text first for a readable failure, then every byte.
    expect(got.subarray(0, 128).toString('latin1')).toBe(want.subarray(0, 128).toString('latin1'));
    expect(got.equals(want)).toBe(true);
  }

  // The same arrays as make_npy_fixtures.py builds, built here by hand.
  it('matches np.save byte for byte', () => {
    same(serializeNpy({ dtype: 'f8', shape: [3, 4], data: Float64Array.from({ length: 12 }, (_, k) => k * 0.25 - 1) }), 'f8_3x4');
    same(
      serializeNpy(
        { dtype: 'f4', shape: [2, 3, 4], data: Float32Array.from({ length: 24 }, (_, k) => (k - 5) / 8) },
        { fortranOrder: true },
      ),
      'f4_fortran_2x3x4',
    );
    same(
      serializeNpy({ dtype: 'i8', shape: [5], data: new BigInt64Array([0n, -1n, 2n ** 62n, -(2n ** 63n), 2n ** 63n - 1n]) }),
      'i8_5',
    );
    same(serializeNpy({ dtype: 'b1', shape: [2, 3], data: new Uint8Array([1, 0, 1, 0, 0, 1]) }), 'b1_2x3');
    same(serializeNpy({ dtype: 'u1', shape: [], data: new Uint8Array([200]) }), 'u1_scalar');
    same(serializeNpy({ dtype: 'i2', shape: [0, 3], data: new Int16Array(0) }), 'i2_empty_0x3');
    same(serializeNpy({ dtype: 'u2', shape: [1, 5], data: new Uint16Array([1, 2, 3, 4, 65535]) }, { fortranOrder: true }), 'u2_fortran_1x5');
    same(
      serializeNpy({ dtype: 'i4', shape: [3, 2], data: new Int32Array([1, -2, 3, -4, 2 ** 31 - 1, -(2 ** 31)]) }, { fortranOrder: true }),
      'i4_fortran_3x2',
    );
    same(
      serializeNpy(
        { dtype: 'i1', shape: [2, 1000], data: Int8Array.from({ length: 2000 }, (_, k) => (k % 251) - 125) },
        { fortranOrder: true },
      ),
      'i1_fortran_2x1000',
    );
    same(serializeNpy({ dtype: 'u4', shape: [3], data: new Uint32Array([0, 7, 2 ** 32 - 1]) }), 'u4_1d_3');
    same(serializeNpy({ dtype: 'f8', shape: [100000, 0], data: new Float64Array(0) }), 'f8_empty_100000x0');
  });

  it('pads the preamble to a multiple of 64 bytes, ending in a newline', () => {
    for (const shape of [[], [1], [7, 3], [123456789012, 0], [2, 3, 4, 5, 6, 7, 8, 9]]) {
      const n = shape.reduce((p, d) => p * d, 1);
      const bytes = serializeNpy({ dtype: 'u1', shape, data: new Uint8Array(n) });
      const hlen = bytes[8] | (bytes[9] << 8);
      expect((10 + hlen) % 64).toBe(0);
      expect(bytes[10 + hlen - 1]).toBe(0x0a);
      expect(bytes.length).toBe(10 + hlen + n);
    }
  });

  it('switches to format 2.0 only when the header exceeds 65535 bytes', () => {
    const shape = new Array<number>(22000).fill(1);
    const arr: NdArray = { dtype: 'f8', shape, data: new Float64Array([42]) };
    const bytes = serializeNpy(arr);
    expect(bytes[6]).toBe(2);
    const hlen = new DataView(bytes.buffer).getUint32(8, true);
    expect((12 + hlen) % 64).toBe(0);
    expect(hlen).toBeGreaterThan(65535);
    expect(parseNpy(bytes)).toEqual(arr);
    expect(serializeNpy({ dtype: 'f8', shape: new Array<number>(20000).fill(1), data: new Float64Array([1]) })[6]).toBe(1);
  });

  it('writes data column-major with fortranOrder', () => {
    const bytes = serializeNpy({ dtype: 'i2', shape: [2, 3], data: new Int16Array([1, 2, 3, 4, 5, 6]) }, { fortranOrder: true });
    expect(Buffer.from(bytes).toString('latin1')).toContain("'fortran_order': True");
    expect(new Int16Array(bytes.slice(bytes.length - 12).buffer)).toEqual(new Int16Array([1, 4, 2, 5, 3, 6]));
    expect(parseNpy(bytes).data).toEqual(new Int16Array([1, 2, 3, 4, 5, 6]));
  });

  it('writes bool arrays as 0/1 bytes', () => {
    const bytes = serializeNpy({ dtype: 'b1', shape: [3], data: new Uint8Array([0, 5, 1]) });
    expect(Array.from(bytes.subarray(bytes.length - 3))).toEqual([0, 1, 1]);
  });

  it('writeNpy writes the file atomically and readNpy reads it back', () => {
    const file = path.join(tmp, 'sub', 'a.npy');
    const arr: NdArray = { dtype: 'u2', shape: [2, 2], data: new Uint16Array([1, 2, 3, 65535]) };
    writeNpy(file, arr);
    expect(new Uint8Array(readFileSync(file))).toEqual(serializeNpy(arr));
    expect(readNpy(file)).toEqual(arr);
  });

  it('writeNpyMatrix picks the dtype from the typed array; readNpyMatrix gives Float64', () => {
    const cases: Array<[NumericArray, NpyDtype]> = [
      [new Float64Array([1.5, -2, 3, 4, 5, 6]), 'f8'],
      [new Float32Array([1.5, -2, 3, 4, 5, 6]), 'f4'],
      [new Int32Array([1, -2, 3, 4, 5, 6]), 'i4'],
      [new Int16Array([1, -2, 3, 4, 5, 6]), 'i2'],
      [new Int8Array([1, -2, 3, 4, 5, 6]), 'i1'],
      [new Uint32Array([1, 2, 3, 4, 5, 4e9]), 'u4'],
      [new Uint16Array([1, 2, 3, 4, 5, 6]), 'u2'],
      [new Uint8Array([1, 2, 3, 4, 5, 255]), 'u1'],
    ];
    for (const [data, dtype] of cases) {
      const m: Matrix<NumericArray> = { rows: 2, cols: 3, data };
      const file = path.join(tmp, `m_${dtype}.npy`);
      writeNpyMatrix(file, m);
      const raw = readNpy(file);
      expect(raw.dtype).toBe(dtype);
      expect(raw.shape).toEqual([2, 3]);
      expect(raw.data).toEqual(data);
      const back = readNpyMatrix(file);
      expect(back.rows).toBe(2);
      expect(back.cols).toBe(3);
      expect(back.data).toEqual(Float64Array.from(data));
    }
    writeNpyMatrix(path.join(tmp, 'mf.npy'), { rows: 2, cols: 3, data: new Float64Array([1, 2, 3, 4, 5, 6]) }, { fortranOrder: true });
    expect(readNpyMatrix(path.join(tmp, 'mf.npy')).data).toEqual(new Float64Array([1, 2, 3, 4, 5, 6]));
  });

  it('converts every numeric dtype to a Float64 matrix', () => {
    for (const name of ['i8_le_c_2x3x4.npy', 'b1_na_c_2x3x4.npy']) expect(() => matrixFromNdArray(parseNpy(fixture(name)))).toThrow(ParseError);
    const m = readNpyMatrix(path.join(FIXTURES, 'i2_be_f_3x5.npy'));
    const exp = EXPECTED.arrays['i2_be_f_3x5.npy'];
    expect([m.rows, m.cols]).toEqual([3, 5]);
    expect(Array.from(m.data)).toEqual(exp.values);
    const b = matrixFromNdArray({ dtype: 'b1', shape: [1, 3], data: new Uint8Array([1, 0, 1]) });
    expect(b.data).toEqual(new Float64Array([1, 0, 1]));
    const big = matrixFromNdArray({ dtype: 'i8', shape: [1, 2], data: new BigInt64Array([-(2n ** 53n) + 1n, 2n ** 53n - 1n]) });
    expect(big.data).toEqual(new Float64Array([-(2 ** 53) + 1, 2 ** 53 - 1]));
  });

  it('ndarrayFromMatrix shares the data', () => {
    const m = { rows: 2, cols: 2, data: new Float32Array([1, 2, 3, 4]) };
    const a = ndarrayFromMatrix(m);
    expect(a.dtype).toBe('f4');
    expect(a.shape).toEqual([2, 2]);
    expect(a.data).toBe(m.data);
  });

  it('rejects arrays it cannot write', () => {
    expect(() => serializeNpy({ dtype: 'f8', shape: [2], data: new Float32Array(2) })).toThrow(InvalidArgumentError);
    expect(() => serializeNpy({ dtype: 'i8', shape: [2], data: new Int32Array(2) })).toThrow(InvalidArgumentError);
    expect(() => serializeNpy({ dtype: 'c8' as NpyDtype, shape: [2], data: new Float32Array(2) })).toThrow(InvalidArgumentError);
    expect(() => serializeNpy({ dtype: 'f8', shape: [-1], data: new Float64Array(0) })).toThrow(InvalidArgumentError);
    expect(() => serializeNpy({ dtype: 'f8', shape: [2, 2], data: new Float64Array(3) })).toThrow(ShapeError);
    expect(() => ndarrayFromMatrix({ rows: 2, cols: 2, data: new Float64Array(3) })).toThrow(ShapeError);
  });
});

describe('errors', () => {
  const name = 'f8_le_c_2x3x4.npy';
  const good = fixture(name);

  it('names the file, the byte count, shape and dtype for truncated data', () => {
    const pe = expectParseError(() => parseNpy(good.subarray(0, good.length - 8), name), name);
    expect(pe.message).toBe(`${name}: expected 192 data bytes for shape (2, 3, 4) f8, found 184`);
    expectParseError(() => parseNpy(good.subarray(0, 128), name), name, 'expected 192 data bytes for shape (2, 3, 4) f8, found 0');
  });

  it('rejects extra bytes after the data', () => {
    const extra = new Uint8Array(good.length + 3);
    extra.set(good);
    const pe = expectParseError(() => parseNpy(extra, name), name);
    expect(pe.message).toBe(`${name}: expected 192 data bytes for shape (2, 3, 4) f8, found 195 (3 extra bytes after the array data)`);
  });

  it('rejects a truncated header or preamble', () => {
    expectParseError(() => parseNpy(good.subarray(0, 50), name), name, 'a 118-byte .npy header', 'only 40 header bytes');
    expectParseError(() => parseNpy(good.subarray(0, 9), name), name, '2-byte header length', 'end of file after 9 bytes');
    expectParseError(() => parseNpy(good.subarray(0, 7), name), name, 'format version', 'end of file after 7 bytes');
    expectParseError(() => parseNpy(good.subarray(0, 4), name), name, 'magic \\x93NUMPY', 'only 4 bytes');
    expectParseError(() => parseNpy(new Uint8Array(0), name), name, 'a NumPy .npy file', 'an empty file');
  });

  it('rejects a bad magic string', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const pe = expectParseError(() => parseNpy(png, 'img.png'), 'img.png');
    expect(pe.message).toBe('img.png: expected a NumPy .npy file (magic \\x93NUMPY), found "\\x89PNG\\x0d\\x0a\\x1a\\x0a"');
    const text = new Uint8Array(Buffer.from('hello, world\n'));
    expectParseError(() => parseNpy(text, 'x.txt'), 'x.txt', 'magic \\x93NUMPY', '"hello, w"');
    const oneOff = good.slice();
    oneOff[0] = 0x92;
    expectParseError(() => parseNpy(oneOff, name), name, 'magic');
  });

  it('rejects an unsupported version', () => {
    for (const [major, minor, shown] of [
      [4, 0, 'version 4.0'],
      [0, 0, 'version 0.0'],
      [1, 1, 'version 1.1'],
    ] as const) {
      const b = good.slice();
      b[6] = major;
      b[7] = minor;
      expectParseError(() => parseNpy(b, name), name, '.npy format version 1.0, 2.0 or 3.0', shown);
    }
  });

  it.each(Object.entries(EXPECTED.errors))('rejects the numpy-written %s naming %s', (file, word) => {
    const full = path.join(FIXTURES, file);
    const pe = expectParseError(() => readNpy(full), full, 'a supported numeric dtype', word);
    expect(pe.found).toBeDefined();
  });

  it('names complex, object and structured dtypes', () => {
    const dir = FIXTURES;
    expectParseError(() => readNpy(path.join(dir, 'err_complex128.npy')), path.join(dir, 'err_complex128.npy'), "complex dtype '<c16'");
    expectParseError(() => readNpy(path.join(dir, 'err_object.npy')), path.join(dir, 'err_object.npy'), "object dtype '|O'");
    expectParseError(
      () => readNpy(path.join(dir, 'err_structured.npy')),
      path.join(dir, 'err_structured.npy'),
      "structured dtype [('x', '<i4'), ('y', '<f8')]",
    );
    const hdr = (descr: string): Uint8Array => makeNpy(`{'descr': ${descr}, 'fortran_order': False, 'shape': (1,)}`);
    expectParseError(() => parseNpy(hdr("'<f16'"), 'q.npy'), 'q.npy', "unsupported dtype '<f16' (long double)");
    expectParseError(() => parseNpy(hdr("'|S5'"), 'q.npy'), 'q.npy', "byte string dtype '|S5'");
    expectParseError(() => parseNpy(hdr("'<f8x'"), 'q.npy'), 'q.npy', "unsupported dtype '<f8x'");
    expectParseError(() => parseNpy(hdr('3'), 'q.npy'), 'q.npy', "'descr' string", 'an integer 3');
  });

  it.each([
    ["['descr', '<f8']", 'a Python dict', 'a list'],
    ["{'descr': '<f8', 'fortran_order': False}", "exactly the keys 'descr', 'fortran_order' and 'shape'", "no 'shape'"],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", 'exactly the keys', "extra key 'x'"],
    ["{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", 'each .npy header key once', "'descr' twice"],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': [1]}", "a tuple of non-negative integers for the header's 'shape'", '[1]'],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (2, -1)}", 'non-negative integers', '(2, -1) (element -1)'],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1.5,)}", 'an integer', '"1.5,)'],
    ["{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}", "True or False for the header's 'fortran_order'", '0'],
    ["{'descr': '<f8', 'fortran_order': false, 'shape': (1,)}", 'a Python literal', '"false'],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,)", "',' or '}' after a dict value", 'end of header'],
    ["{'descr': '<f8' 'fortran_order': False, 'shape': (1,)}", "',' or '}'", "'fortran_order'"],
    ["{'descr' '<f8', 'fortran_order': False, 'shape': (1,)}", "':' after a dict key", "'<f8'"],
    ["{'descr': '<f8, 'fortran_order': False, 'shape': (1,)}", 'in the .npy header'],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} junk", 'nothing but spaces after the header dict', '"junk"'],
    ['', 'a value in the .npy header', 'end of header'],
    ["{1: '<f8'}", 'string keys', 'key 1'],
  ])('rejects the malformed header %j', (header, ...parts) => {
    expectParseError(() => parseNpy(makeNpy(header, f8Bytes([0])), 'bad.npy'), 'bad.npy', ...parts);
  });

  it('rejects a format 3.0 header that is not UTF-8', () => {
    const b = makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", f8Bytes([1]), 3);
    b[14] = 0xff;
    expectParseError(() => parseNpy(b, 'v3.npy'), 'v3.npy', 'a UTF-8 header (format version 3.0)');
  });

  it('rejects a shape whose byte size is not a safe integer', () => {
    const b = makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}");
    expectParseError(() => parseNpy(b, 's.npy'), 's.npy', 'fits in memory');
  });

  it('readNpyMatrix requires exactly 2-D and int64 values a float64 holds exactly', () => {
    const file3 = path.join(FIXTURES, 'f8_le_c_2x3x4.npy');
    expectParseError(() => readNpyMatrix(file3), file3, 'a 2-D array (rows, cols)', 'a 3-D array of shape (2, 3, 4)');
    const file1 = path.join(FIXTURES, 'f4_le_1d_7.npy');
    expectParseError(() => readNpyMatrix(file1), file1, 'a 1-D array of shape (7,)');
    const file0 = path.join(FIXTURES, 'f8_le_scalar.npy');
    expectParseError(() => readNpyMatrix(file0), file0, 'a 0-D array of shape ()');

    const file = path.join(tmp, 'big.npy');
    writeNpy(file, { dtype: 'i8', shape: [2, 2], data: new BigInt64Array([0n, 1n, 2n, 2n ** 53n + 1n]) });
    expectParseError(() => readNpyMatrix(file), file, 'int64 values within ±(2^53 − 1)', '9007199254740993 at (1, 1)');
  });

  it('turns a missing file into a FileError', () => {
    expect(() => readNpy(path.join(tmp, 'missing.npy'))).toThrow(FileError);
  });

  it('leaves no partial file when writing fails', () => {
    const file = path.join(tmp, 'w.npy');
    writeFileSync(file, 'old');
    expect(() => writeNpy(file, { dtype: 'f8', shape: [2], data: new Float64Array(3) })).toThrow(ShapeError);
    expect(readFileSync(file, 'utf8')).toBe('old');
  });
});

describe('reference data', () => {
  const dataDir = dataDirForTests(__dirname, 'the THINGS VICE embedding and the rsa92 brain RDMs (.npy)');
  const dataIt = dataDir ? it : it.skip;
  const dataFile = (rel: string): string => path.join(dataDir!, rel);

  dataIt('reads the THINGS VICE embedding (float32, Fortran order, 1854×42)', () => {
    const file = dataFile('things/human_embedding_vice42.npy');
    const a = readNpy(file);
    expect(a.dtype).toBe('f4');
    expect(a.shape).toEqual([1854, 42]);
    const d = a.data as Float32Array;
    let min = Infinity;
    let max = -Infinity;
    let argmax = -1;
    let zeros = 0;
    let total = 0;
    for (let i = 0; i < d.length; i++) {
      if (d[i] < min) min = d[i];
      if (d[i] > max) {
        max = d[i];
        argmax = i;
      }
      if (d[i] === 0) zeros++;
      total += d[i];
    }
    // Values read with numpy 2.4 (np.load).
    expect(min).toBe(0);
    expect(max).toBe(2.5299265384674072);
    expect([Math.floor(argmax / 42), argmax % 42]).toEqual([442, 41]);
    expect(zeros).toBe(45609);
    expect(total).toBeCloseTo(11615.282305596123, 6);
    const m = readNpyMatrix(file);
    const rowSum = (r: number): number => m.data.subarray(r * 42, (r + 1) * 42).reduce((s, v) => s + v, 0);
    expect(rowSum(0)).toBeCloseTo(3.543644488789141, 12);
    expect(rowSum(1853)).toBeCloseTo(5.101472009439021, 12);
    expect(Array.from(m.data.subarray(0, 6))).toEqual([0, 0, 0, 0.012751110829412937, 0, 0]);
    expect(m.data[10 * 42 + 5]).toBe(0.015397324226796627);
    expect(m.data[1853 * 42 + 41]).toBe(1.775384545326233);
  });

  dataIt('reads the rsa92 brain RDMs (float64 4×2×92×92, symmetric, zero diagonal)', () => {
    const file = dataFile('rsa92/brain_rdms.npy');
    const a = readNpy(file);
    expect(a.dtype).toBe('f8');
    expect(a.shape).toEqual([4, 2, 92, 92]);
    const d = a.data as Float64Array;
    const at = (s: number, r: number, i: number, j: number): number => d[((s * 2 + r) * 92 + i) * 92 + j];
    let asym = 0;
    let diag = 0;
    for (let s = 0; s < 4; s++) {
      for (let r = 0; r < 2; r++) {
        for (let i = 0; i < 92; i++) {
          diag = Math.max(diag, Math.abs(at(s, r, i, i)));
          for (let j = 0; j < i; j++) asym = Math.max(asym, Math.abs(at(s, r, i, j) - at(s, r, j, i)));
        }
      }
    }
    expect(asym).toBe(0);
    expect(diag).toBe(0);
    expect(at(0, 0, 0, 1)).toBe(0.8287830352783203);
    expect(at(3, 1, 50, 7)).toBe(0.7250537872314453);
    expect(at(1, 0, 10, 20)).toBe(0.7500494718551636);
    expect(d.reduce((m, v) => Math.max(m, v), -Infinity)).toBe(1.5373904705047607);
  });
});
