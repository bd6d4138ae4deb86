/**
 * The text header of a NumPy `.npy` file: a Python dict literal such as
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`.
 *
 * This module parses that header without `eval`: a small reader for the subset of Python literals
 * a header may contain (strings, integers, `True`/`False`/`None`, tuples, lists, dicts), then a
 * check of the three keys numpy requires. It also formats a header exactly as numpy writes it.
 * Every problem is a {@link ParseError} naming the file.
 *
 * Format reference: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
import { ParseError } from '../errors.js';

/** Element types this package reads and writes: numpy's `<kind><bytes>` names. */
export type NpyDtype = 'f4' | 'f8' | 'i1' | 'i2' | 'i4' | 'i8' | 'u1' | 'u2' | 'u4' | 'b1';

/** Every supported {@link NpyDtype}, in a stable order. */
export const NPY_DTYPES: readonly NpyDtype[] = ['f4', 'f8', 'i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4', 'b1'];

/** Byte size of one element of each dtype. */
export const NPY_DTYPE_SIZE: Readonly<Record<NpyDtype, number>> = {
  f4: 4,
  f8: 8,
  i1: 1,
  i2: 2,
  i4: 4,
  i8: 8,
  u1: 1,
  u2: 2,
  u4: 4,
  b1: 1,
};

/** What a header says about the array that follows it. */
export interface NpyHeader {
  /** The element type. */
  readonly dtype: NpyDtype;
  /** The `descr` string as written in the file, e.g. `'>i4'`. */
  readonly descr: string;
  /**
   * Byte order of the stored data: `'little'`, `'big'`, or `'native'` (`=`, `|` or no prefix;
   * also what 1-byte types use).
   */
  readonly byteOrder: 'little' | 'big' | 'native';
  /** True when the data is stored in column-major (Fortran) order. */
  readonly fortranOrder: boolean;
  /** The array's dimensions; `[]` for a 0-d (scalar) array. */
  readonly shape: number[];
}

const SUPPORTED_LIST = NPY_DTYPES.join(', ');
const EXPECTED_DTYPE = `a supported numeric dtype (${SUPPORTED_LIST})`;

/** `(10, 20)`, `(5,)` or `()`: a shape as Python prints a tuple. */
export function formatShape(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/**
 * The header dict text numpy writes for an array (numpy's `_write_array_header`): keys sorted,
 * `repr` values, a trailing `, }`, then spare spaces so the header can be rewritten in place when the
 * array grows along its first axis (last axis for Fortran order). Padding to the 64-byte alignment
 * and the final newline are added by the caller.
 */
export function formatNpyHeaderDict(descr: string, fortranOrder: boolean, shape: readonly number[]): string {
  const GROWTH_AXIS_MAX_DIGITS = 21;
  let text = `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${formatShape(shape)}, }`;
  if (shape.length > 0) {
    const growthAxis = shape[fortranOrder ? shape.length - 1 : 0];
    text += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(growthAxis).length));
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// A reader for Python literals.

type PyValue =
  | { kind: 'str'; value: string; src: string }
  | { kind: 'int'; value: bigint; src: string }
  | { kind: 'bool'; value: boolean; src: string }
  | { kind: 'none'; src: string }
  | { kind: 'tuple' | 'list'; items: PyValue[]; src: string }
  | { kind: 'dict'; entries: Array<[PyValue, PyValue]>; src: string };

const KIND_NAMES: Record<PyValue['kind'], string> = {
  str: 'a string',
  int: 'an integer',
  bool: 'a bool',
  none: 'None',
  tuple: 'a tuple',
  list: 'a list',
  dict: 'a dict',
};

/** Header text on one line for an error message: line breaks and other control characters as escapes. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f\u2028\u2029]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Shorten header text for an error message (on one line). */
function excerpt(s: string, max = 60): string {
  return oneLine(s.length <= max ? s : `${s.slice(0, max)}…`);
}

class LiteralReader {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  fail(expected: string, found?: string): never {
    const what = found ?? this.describeHere();
    throw new ParseError({ file: this.file }, `${expected} in the .npy header (at header character ${this.pos})`, what);
  }

  describeHere(): string {
    const rest = this.text.slice(this.pos).trimEnd();
    if (rest === '') return 'end of header';
    return JSON.stringify(rest.length <= 20 ? rest : `${rest.slice(0, 20)}…`);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  value(depth = 0): PyValue {
    if (depth > 64) this.fail('literals nested at most 64 deep');
    this.skipSpace();
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === undefined) this.fail('a value');
    if (c === "'" || c === '"') {
      const value = this.string();
      return { kind: 'str', value, src: this.text.slice(start, this.pos) };
    }
    if (c === '(' || c === '[') return this.sequence(depth);
    if (c === '{') return this.dict(depth);
    if (c === '-' || c === '+' || (c >= '0' && c <= '9')) return this.integer();
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos))?.[0];
    if (ident === 'True' || ident === 'False') {
      this.pos += ident.length;
      return { kind: 'bool', value: ident === 'True', src: ident };
    }
    if (ident === 'None') {
      this.pos += ident.length;
      return { kind: 'none', src: ident };
    }
    return this.fail('a Python literal (string, integer, True/False, tuple, list or dict)');
  }

  private integer(): PyValue {
    const start = this.pos;
    const m = /^[-+]?\s*\d+/.exec(this.text.slice(this.pos));
    if (!m) return this.fail('an integer');
    this.pos += m[0].length;
    // Python 2 wrote long integers as `123L`; numpy still reads those headers.
    if (this.text[this.pos] === 'L' || this.text[this.pos] === 'l') this.pos++;
    if (/^[.eExXoObBjJ_]/.test(this.text.slice(this.pos, this.pos + 1))) {
      this.pos = start;
      return this.fail('an integer');
    }
    const src = this.text.slice(start, this.pos);
    return { kind: 'int', value: BigInt(m[0].replace(/\s+/g, '')), src };
  }

  private string(): string {
    const quote = this.text[this.pos];
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') {
        this.pos = start;
        return this.fail('a string closed on the same line');
      }
      this.pos++;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      switch (e) {
        case '\\':
        case "'":
        case '"':
          out += e;
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '0':
          out += '\0';
          break;
        case 'x':
        case 'u':
        case 'U': {
          const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = this.text.slice(this.pos, this.pos + len);
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) {
            this.pos -= 2;
            return this.fail(`a \\${e} escape with ${len} hex digits`);
          }
          this.pos += len;
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff) {
            this.pos -= len + 2;
            return this.fail('a Unicode code point ≤ 0x10FFFF');
          }
          out += String.fromCodePoint(cp);
          break;
        }
        default:
          this.pos -= 2;
          return this.fail('a known string escape');
      }
    }
  }

  private sequence(depth: number): PyValue {
    const start = this.pos;
    const open = this.text[this.pos++];
    const close = open === '(' ? ')' : ']';
    const items: PyValue[] = [];
    let sawComma = false;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos++;
        break;
      }
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        sawComma = true;
        continue;
      }
      if (this.text[this.pos] === close) {
        this.pos++;
        break;
      }
      this.fail(`',' or '${close}'`);
    }
    const src = this.text.slice(start, this.pos);
    if (open === '(' && items.length === 1 && !sawComma) {
      // `(x)` is just a parenthesised value in Python, not a tuple.
      return { ...items[0], src };
    }
    return { kind: open === '(' ? 'tuple' : 'list', items, src };
  }

  private dict(depth: number): PyValue {
    const start = this.pos;
    this.pos++;
    const entries: Array<[PyValue, PyValue]> = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        break;
      }
      const key = this.value(depth + 1);
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("':' after a dict key");
      this.pos++;
      const value = this.value(depth + 1);
      entries.push([key, value]);
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (this.text[this.pos] === '}') {
        this.pos++;
        break;
      }
      this.fail("',' or '}' after a dict value");
    }
    return { kind: 'dict', entries, src: this.text.slice(start, this.pos) };
  }
}

// ---------------------------------------------------------------------------------------------
// From the dict to an NpyHeader.

/** Names for dtype kinds numpy may write that this package does not read. */
const UNSUPPORTED_KIND: Record<string, string> = {
  c: 'complex',
  O: 'object',
  U: 'unicode string',
  S: 'byte string',
  a: 'byte string',
  V: 'void (raw bytes)',
  M: 'datetime64',
  m: 'timedelta64',
};

/** Parse a `descr` string such as `'<f8'` into a dtype and byte order, or throw naming it. */
export function parseDescr(descr: string, file: string): { dtype: NpyDtype; byteOrder: NpyHeader['byteOrder'] } {
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)(.*)$/s.exec(descr);
  const quoted = `'${oneLine(descr)}'`;
  if (!m) throw new ParseError({ file }, EXPECTED_DTYPE, `dtype ${quoted}`);
  const [, order, kind, size, rest] = m;
  if (kind === 'O') {
    throw new ParseError({ file }, EXPECTED_DTYPE, `object dtype ${quoted} (pickled Python objects cannot be read)`);
  }
  const unsupported = UNSUPPORTED_KIND[kind];
  if (unsupported !== undefined) throw new ParseError({ file }, EXPECTED_DTYPE, `${unsupported} dtype ${quoted}`);
  const name = `${kind}${size}`;
  if (rest !== '' || !(NPY_DTYPES as readonly string[]).includes(name)) {
    const hint = name === 'f2' ? ' (float16)' : name === 'u8' ? ' (uint64)' : /^f(1[026])$/.test(name) ? ' (long double)' : '';
    throw new ParseError({ file }, EXPECTED_DTYPE, `unsupported dtype ${quoted}${hint}`);
  }
  const byteOrder = order === '<' ? 'little' : order === '>' ? 'big' : 'native';
  return { dtype: name as NpyDtype, byteOrder };
}

/**
 * Parse the header text of a `.npy` file (the part after the magic, version and length fields).
 * Accepts any key order, single or double quotes, extra spaces, trailing commas and Python 2 `L`
 * integer suffixes; requires exactly the keys `descr`, `fortran_order` and `shape`.
 */
export function parseNpyHeader(text: string, file: string): NpyHeader {
  const reader = new LiteralReader(text, file);
  const root = reader.value();
  if (root.kind !== 'dict') {
    throw new ParseError({ file }, 'a .npy header that is a Python dict', `${KIND_NAMES[root.kind]} ${excerpt(root.src)}`);
  }
  if (!reader.atEnd()) reader.fail('nothing but spaces after the header dict');

  const found = new Map<string, PyValue>();
  for (const [k, v] of root.entries) {
    if (k.kind !== 'str') throw new ParseError({ file }, 'string keys in the .npy header dict', `key ${excerpt(k.src)}`);
    if (found.has(k.value)) throw new ParseError({ file }, 'each .npy header key once', `'${oneLine(k.value)}' twice`);
    found.set(k.value, v);
  }
  const keysExpected = "a .npy header with exactly the keys 'descr', 'fortran_order' and 'shape'";
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!found.has(key)) throw new ParseError({ file }, keysExpected, `no '${key}' in ${excerpt(root.src, 100)}`);
  }
  for (const key of found.keys()) {
    if (key !== 'descr' && key !== 'fortran_order' && key !== 'shape') {
      throw new ParseError({ file }, keysExpected, `extra key '${oneLine(key)}'`);
    }
  }

  const descrV = found.get('descr')!;
  if (descrV.kind === 'list') {
    throw new ParseError({ file }, EXPECTED_DTYPE, `structured dtype ${excerpt(descrV.src, 100)}`);
  }
  if (descrV.kind !== 'str') {
    throw new ParseError({ file }, `${EXPECTED_DTYPE} as the header's 'descr' string`, `${KIND_NAMES[descrV.kind]} ${excerpt(descrV.src)}`);
  }
  const { dtype, byteOrder } = parseDescr(descrV.value, file);

  const fortranV = found.get('fortran_order')!;
  if (fortranV.kind !== 'bool') {
    throw new ParseError({ file }, "True or False for the header's 'fortran_order'", excerpt(fortranV.src));
  }

  const shapeV = found.get('shape')!;
  if (shapeV.kind !== 'tuple') {
    throw new ParseError({ file }, "a tuple of non-negative integers for the header's 'shape'", excerpt(shapeV.src));
  }
  const shape: number[] = [];
  for (const item of shapeV.items) {
    if (item.kind !== 'int' || item.value < 0n || item.value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ParseError(
        { file },
        "a tuple of non-negative integers for the header's 'shape'",
        `${excerpt(shapeV.src)} (element ${excerpt(item.src, 30)})`,
      );
    }
    shape.push(Number(item.value));
  }

  return { dtype, descr: descrV.value, byteOrder, fortranOrder: fortranV.value, shape };
}
