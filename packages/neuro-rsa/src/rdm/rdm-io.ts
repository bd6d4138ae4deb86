import { basename, extname } from 'node:path';
import {
  contentLines,
  InvalidArgumentError,
  ParseError,
  parseNumberToken,
  readFileText,
  readNpy,
  ShapeError,
  writeFileAtomic,
  writeNpy,
} from '@conceptlab/core';
import { checkRdm, rdmFromMatrix, rdmToMatrix, type Rdm } from './rdm.js';

/** An RDM read from a file, with the name the CLI shows for it. */
export interface NamedRdm {
  readonly name: string;
  readonly rdm: Rdm;
}

/** The RDMs of one file ({@link readRdmStack}). */
export interface RdmStack {
  /** The leading axes of the stack ([] for a single n×n RDM; [k] for k×n×n; [s, r] for s×r×n×n). */
  readonly shape: readonly number[];
  /** The RDMs in C order of the leading axes. */
  readonly rdms: readonly NamedRdm[];
  /** Condition names from a TSV header line, when present. */
  readonly conditions?: readonly string[];
}

const NUMBER_START = /^[+-]?(?:\d|\.\d|nan$|NaN$|inf|Inf)/;

/**
 * Reads one RDM or a stack of RDMs from `.npy` or text (TSV or whitespace-separated):
 *
 * - `.npy`: shape (n, n), or (…, n, n) with any number of leading axes (C order), any numeric dtype.
 * - text: n columns; n·k rows hold k RDMs one after another (blank lines and `#` comments are
 *   ignored). An optional first line of n condition names (a first token that is not a number;
 *   tab-separated when the line has tabs) names the conditions.
 *
 * Each RDM must be symmetric with a zero diagonal ({@link rdmFromMatrix}; NaNs allowed in mirrored
 * positions). Names are the file's base name, with `[i]` or `[i,j]` (one index per leading axis)
 * for stacks.
 *
 * @throws FileError when the file cannot be read.
 * @throws ParseError naming the file (and line, for text) for a bad shape (also a stack of no RDM), a
 *   non-number, or an RDM that is not symmetric with a zero diagonal.
 */
export function readRdmStack(file: string): RdmStack {
  const base = basename(file, extname(file));
  if (extname(file).toLowerCase() === '.npy') {
    const a = readNpy(file);
    if (a.shape.length < 2 || a.shape[a.shape.length - 1] !== a.shape[a.shape.length - 2]) {
      throw new ParseError({ file }, 'an RDM (n, n) or a stack of RDMs (…, n, n)', `shape (${a.shape.join(', ')})`);
    }
    const n = a.shape[a.shape.length - 1]!;
    const lead = a.shape.slice(0, -2);
    const data = Float64Array.from(a.data as ArrayLike<number | bigint>, (v) => Number(v));
    return { shape: lead, rdms: stackOf(file, base, lead, n, data, () => undefined) };
  }
  const lines = contentLines(readFileText(file));
  if (lines.length === 0) throw new ParseError({ file }, 'an RDM: n rows of n numbers', 'no data');
  const split = (t: string) => (t.includes('\t') ? t.split('\t').map((s) => s.trim()) : t.split(/ +/));
  let conditions: string[] | undefined;
  let first = 0;
  if (!NUMBER_START.test(split(lines[0]!.text)[0]!)) {
    conditions = split(lines[0]!.text);
    first = 1;
  }
  const rowsText = lines.slice(first);
  if (rowsText.length === 0) throw new ParseError({ file, line: lines[0]!.line + 1 }, 'rows of numbers after the header', 'none');
  const n = split(rowsText[0]!.text).length;
  if (conditions && conditions.length !== n) {
    throw new ParseError({ file, line: lines[0]!.line }, `${n} condition names (one per column)`, `${conditions.length}`);
  }
  if (rowsText.length % n !== 0) {
    throw new ParseError({ file, line: rowsText[rowsText.length - 1]!.line }, `a multiple of ${n} rows (k RDMs of ${n}×${n})`, `${rowsText.length} rows`);
  }
  const data = new Float64Array(rowsText.length * n);
  rowsText.forEach(({ line, text }, r) => {
    const tokens = split(text);
    if (tokens.length !== n) throw new ParseError({ file, line }, `${n} values (as on line ${rowsText[0]!.line})`, `${tokens.length}`);
    tokens.forEach((t, c) => (data[r * n + c] = parseNumberToken(t, file, line, c + 1)));
  });
  const k = rowsText.length / n;
  const lead = k === 1 ? [] : [k];
  return { shape: lead, rdms: stackOf(file, base, lead, n, data, (i) => rowsText[i * n]!.line), ...(conditions ? { conditions } : {}) };
}

/** {@link readRdmStack}'s RDMs with their names (`file`, `file[i]`, `file[i,j]`). */
export function readRdmFile(file: string): NamedRdm[] {
  return [...readRdmStack(file).rdms];
}

function stackOf(file: string, base: string, lead: readonly number[], n: number, data: Float64Array, lineOf: (k: number) => number | undefined): NamedRdm[] {
  if (n < 2) throw new ParseError({ file }, 'RDMs over at least 2 conditions', `${n}×${n}`);
  const count = lead.reduce((p, x) => p * x, 1);
  // A .npy stack of shape (0, n, n) holds no RDM: callers index the first one.
  if (count === 0) throw new ParseError({ file }, 'at least one RDM', `a stack of none (shape (${[...lead, n, n].join(', ')}))`);
  const out: NamedRdm[] = [];
  for (let k = 0; k < count; k++) {
    const idx: number[] = [];
    let r = k;
    for (let d = lead.length - 1; d >= 0; d--) {
      idx.unshift(r % lead[d]!);
      r = Math.floor(r / lead[d]!);
    }
    let rdm: Rdm;
    try {
      rdm = rdmFromMatrix({ rows: n, cols: n, data: data.subarray(k * n * n, (k + 1) * n * n) });
    } catch (e) {
      const where = lead.length ? ` (RDM [${idx.join(',')}])` : '';
      throw new ParseError({ file, line: lineOf(k) }, `a symmetric RDM with a zero diagonal${where}`, (e as Error).message);
    }
    out.push({ name: lead.length ? `${base}[${idx.join(',')}]` : base, rdm });
  }
  return out;
}

/** Options of {@link writeRdmFile}. */
export interface WriteRdmOptions {
  /** Leading axes of the stack (default: [] for one RDM, [k] for k). Their product must be the count. */
  readonly shape?: readonly number[];
  /** Condition names for a TSV header line (ignored for `.npy`). */
  readonly conditions?: readonly string[];
}

/**
 * Writes one RDM or a stack (all over the same conditions) as full n×n matrices, atomically:
 * `.npy` float64 of shape (…shape, n, n); otherwise TSV, an optional header of condition names then
 * the RDMs' rows one after another (values in JavaScript's shortest round-trip form, NaN as `nan`),
 * which {@link readRdmStack} reads back exactly.
 *
 * @throws InvalidArgumentError with no RDM, a shape whose product is not the count, or condition
 *   names that are not n tab-free strings.
 * @throws ShapeError when the RDMs differ in size. FileError when the file cannot be written.
 */
export function writeRdmFile(file: string, rdms: Rdm | readonly Rdm[], options: WriteRdmOptions = {}): void {
  const list = Array.isArray(rdms) ? (rdms as readonly Rdm[]) : [rdms as Rdm];
  if (list.length === 0) throw new InvalidArgumentError('rdms', 'at least one RDM', 0);
  const n = list[0]!.n;
  list.forEach((r, k) => {
    checkRdm(r, `rdms[${k}]`);
    if (r.n !== n) throw new ShapeError(`rdms[${k}] has ${r.n} conditions, rdms[0] has ${n}`);
  });
  const shape = options.shape ?? (Array.isArray(rdms) ? [list.length] : []);
  if (shape.reduce((p, x) => p * x, 1) !== list.length || shape.some((x) => !Number.isInteger(x) || x < 1)) {
    throw new InvalidArgumentError('shape', `positive integers whose product is the number of RDMs (${list.length})`, `[${shape.join(', ')}]`);
  }
  const data = new Float64Array(list.length * n * n);
  list.forEach((r, k) => data.set(rdmToMatrix(r).data, k * n * n));
  if (extname(file).toLowerCase() === '.npy') {
    writeNpy(file, { dtype: 'f8', shape: [...shape, n, n], data });
    return;
  }
  const lines: string[] = [];
  if (options.conditions) {
    const c = options.conditions;
    if (c.length !== n || c.some((s) => s === '' || /[\t\n\r]/.test(s))) {
      throw new InvalidArgumentError('conditions', `${n} non-empty names without tabs or newlines`, c.length);
    }
    if (NUMBER_START.test(c[0]!)) throw new InvalidArgumentError('conditions[0]', 'a name that does not start like a number (it would read back as data)', c[0]);
    lines.push(c.join('\t'));
  }
  for (let r = 0; r < list.length * n; r++) {
    const row: string[] = [];
    for (let c = 0; c < n; c++) {
      const v = data[r * n + c]!;
      row.push(Number.isNaN(v) ? 'nan' : String(v));
    }
    lines.push(row.join('\t'));
  }
  writeFileAtomic(file, lines.join('\n') + '\n');
}
