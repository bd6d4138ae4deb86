/**
 * Property-based bad-input tests of the .npy reader (issue 13): arbitrary bytes, and valid files with random byte
 * changes, a truncation at a random offset, or a header field replaced, are either read into an array whose data
 * length is the product of its shape (in the dtype's typed array) or refused with a one-line ParseError naming the
 * file. Fixed seeds: a failure reproduces.
 */
import fc from 'fast-check';
import { ConceptlabError } from '../errors.js';
import { readOrRefuse } from '../../../../test-support/typed-error.js';
import { NPY_DTYPES, parseNpy, parseNpyHeader, serializeNpy, type NdArray, type NpyDtype } from './npy.js';

const FILE = '/data/fuzz/embedding.npy';

const TYPED = { f4: Float32Array, f8: Float64Array, i1: Int8Array, i2: Int16Array, i4: Int32Array, i8: BigInt64Array, u1: Uint8Array, u2: Uint16Array, u4: Uint32Array, b1: Uint8Array } as const;

const CTOR_NAME: Record<NpyDtype, string> = {
  f4: 'Float32Array', f8: 'Float64Array', i1: 'Int8Array', i2: 'Int16Array', i4: 'Int32Array',
  i8: 'BigInt64Array', u1: 'Uint8Array', u2: 'Uint16Array', u4: 'Uint32Array', b1: 'Uint8Array',
};

/** The reader's invariants on a value it returned. */
function checkArray(a: NdArray): void {
  expect(NPY_DTYPES).toContain(a.dtype);
  expect(a.shape.every((d) => Number.isSafeInteger(d) && d >= 0)).toBe(true);
  expect(a.data.length).toBe(a.shape.reduce((p, d) => p * d, 1));
  expect(a.data.constructor.name).toBe(CTOR_NAME[a.dtype]);
  if (a.dtype === 'b1') expect(Array.from(a.data as Uint8Array).every((v) => v === 0 || v === 1)).toBe(true);
}

function read(bytes: Uint8Array): NdArray | undefined {
  const a = readOrRefuse(() => parseNpy(bytes, FILE), ConceptlabError, FILE);
  if (a !== undefined) checkArray(a);
  return a;
}

/** A valid array of any supported dtype and a small shape (0–3 axes of 0–4). */
const validArray: fc.Arbitrary<NdArray> = fc
  .record({ dtype: fc.constantFrom(...NPY_DTYPES), shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }), seed: fc.integer() })
  .map(({ dtype, shape, seed }) => {
    const n = shape.reduce((p, d) => p * d, 1);
    const Typed = TYPED[dtype];
    const bytes = new Uint8Array(n * Typed.BYTES_PER_ELEMENT);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (seed * 31 + i * 7919) & 0xff;
    if (dtype === 'b1') for (let i = 0; i < n; i++) bytes[i] &= 1;
    const arr = new Typed(bytes.buffer, 0, n);
    return { dtype, shape, data: arr };
  });

const validFile = fc.tuple(validArray, fc.boolean()).map(([a, fortran]) => serializeNpy(a, { fortranOrder: fortran }));

/** Text that may stand in a header field: numbers of any size, Python literals, NaN/Inf, junk (with newlines). */
const fieldText = fc.oneof(
  fc.constantFrom('NaN', 'inf', '-1', '1e300', '99999999999999999999', 'None', 'True', "'<f8'", '()', '(3,)', '(-1, 2)', "'<c16'", "'O'", '[]', '{}', '(1,\n2)', "'\\x'", '(((((((('),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.array(fc.bigInt({ min: -5n, max: 2n ** 60n }), { maxLength: 4 }).map((xs) => `(${xs.join(', ')}${xs.length === 1 ? ',' : ''})`),
  fc.string({ maxLength: 20 }),
);

/** Replace the value of one header key (descr, fortran_order or shape) by `value`, keeping the .npy framing. */
function withHeaderField(file: Uint8Array, key: 'descr' | 'fortran_order' | 'shape', value: string): Uint8Array {
  const headerLen = file[8] | (file[9] << 8);
  const text = Buffer.from(file.subarray(10, 10 + headerLen)).toString('latin1');
  const re = { descr: /'descr': '[^']*'/, fortran_order: /'fortran_order': (?:True|False)/, shape: /'shape': \([^)]*\)/ }[key];
  const header = Buffer.from(text.replace(re, `'${key}': ${value}`), 'latin1');
  if (header.length > 0xffff) return file;
  const out = new Uint8Array(10 + header.length + (file.length - 10 - headerLen));
  out.set(file.subarray(0, 8));
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  out.set(header, 10);
  out.set(file.subarray(10 + headerLen), 10 + header.length);
  return out;
}

describe('parseNpy on bad bytes: an array whose length matches its shape, or a one-line ParseError naming the file', () => {
  test('arbitrary bytes (and arbitrary bytes after the magic)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, magic) => {
        const b = magic ? Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, ...bytes]) : bytes;
        read(b);
      }),
      { seed: 1301, numRuns: 1000 },
    );
  });

  test('a valid file reads back; with random bytes changed it reads or is refused', () => {
    fc.assert(
      fc.property(validFile, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (file, changes) => {
        expect(read(file)).toBeDefined();
        const b = Uint8Array.from(file);
        for (const [at, v] of changes) b[at % b.length] = v;
        read(b);
      }),
      { seed: 1302, numRuns: 1000 },
    );
  });

  test('a valid file truncated at any offset (or with bytes appended) is refused', () => {
    fc.assert(
      fc.property(validFile, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 9 }), (file, at, extra) => {
        const cut = at % file.length;
        expect(read(file.subarray(0, cut))).toBeUndefined();
        expect(read(Uint8Array.from([...file, ...extra]))).toBeUndefined();
      }),
      { seed: 1303, numRuns: 500 },
    );
  });

  test('a header field replaced by any value (huge, negative, NaN, junk, newlines)', () => {
    fc.assert(
      fc.property(validFile, fc.constantFrom('descr' as const, 'fortran_order' as const, 'shape' as const), fieldText, (file, key, value) => {
        read(withHeaderField(file, key, value));
      }),
      { seed: 1304, numRuns: 1500 },
    );
  });

  test('parseNpyHeader on any text: a header or a one-line ParseError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fieldText.map((v) => `{'descr': '<f8', 'fortran_order': False, 'shape': ${v}, }`)), (text) => {
        readOrRefuse(() => parseNpyHeader(text, FILE), ConceptlabError, FILE);
      }),
      { seed: 1305, numRuns: 1000 },
    );
  });
});

describe('regressions found by the properties above', () => {
  // A header value spanning two lines was quoted raw: the message had a line break.
  test.each([
    ["{'descr': (1,\n2), 'fortran_order': False, 'shape': (2,), }", "found a tuple (1,\\n2)"],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,\n-2), }", "found (1,\\n-2) (element -2)"],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'a\\nb': 1}", "found extra key 'a\\nb'"],
    ["{'descr': '<f\\n8', 'fortran_order': False, 'shape': (2,), }", "found unsupported dtype '<f\\n8'"],
  ])('%j: one line', (header, found) => {
    expect(() => parseNpyHeader(header, FILE)).toThrow(found);
    expect(readOrRefuse(() => parseNpyHeader(header, FILE), ConceptlabError, FILE)).toBeUndefined();
  });
});
