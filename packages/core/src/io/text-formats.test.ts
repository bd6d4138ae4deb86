import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParseError, FileError } from '../errors.js';
import { formatMatrixText, parseMatrixText, readMatrixText, writeMatrixText } from './matrix-text.js';
import { formatTripletText, parseTripletText, readTripletText, writeTripletText } from './triplet-text.js';
import { parseDelimited } from './delimited.js';
import { matrixFromRows } from '../matrix.js';
import { createTriplets, tripletsToRows } from '../triplets.js';

function expectParseError(fn: () => unknown, at: string, expected: RegExp): ParseError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ParseError);
  const pe = err as ParseError;
  expect(pe.message.startsWith(at)).toBe(true);
  expect(pe.message).toMatch(expected);
  return pe;
}

describe('numeric matrix text', () => {
  test('whitespace and tabs, comments and blank lines', () => {
    const m = parseMatrixText('# header comment\n1 2.5\t-3e-2\n\n  4   5 6  \r\n');
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(Array.from(m.data)).toEqual([1, 2.5, -0.03, 4, 5, 6]);
  });

  test('nan and inf tokens', () => {
    const m = parseMatrixText('nan inf -inf');
    expect(Number.isNaN(m.data[0])).toBe(true);
    expect(m.data[1]).toBe(Infinity);
    expect(m.data[2]).toBe(-Infinity);
  });

  test('ragged rows name the line', () => {
    const e = expectParseError(() => parseMatrixText('1 2 3\n4 5\n', 'emb.txt'), 'emb.txt:2:', /expected 3 values/);
    expect(e.line).toBe(2);
  });

  test('non-numeric text names line and column', () => {
    const e = expectParseError(() => parseMatrixText('1 2\n3 abc\n', 'emb.txt'), 'emb.txt:2: column 2:', /expected a number, found "abc"/);
    expect(e.column).toBe(2);
    expectParseError(() => parseMatrixText('1 2x\n', 'f'), 'f:1: column 2', /a number/);
  });

  test('empty input', () => {
    expectParseError(() => parseMatrixText('\n# nothing\n', 'e.txt'), 'e.txt:', /at least one row/);
  });

  test('exact round trip through a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-mt-'));
    const m = matrixFromRows([[0.1, 1 / 3, -2e-300], [NaN, 7, 1e21]]);
    const f = join(dir, 'm.txt');
    writeMatrixText(f, m, '\t');
    const back = readMatrixText(f);
    expect(back.rows).toBe(2);
    expect(Array.from(back.data)).toEqual(Array.from(m.data));
    expect(formatMatrixText(matrixFromRows([[1, 2]]))).toBe('1 2\n');
  });

  test('missing file is a FileError naming it', () => {
    expect(() => readMatrixText('/nonexistent/x.txt')).toThrow(FileError);
    expect(() => readMatrixText('/nonexistent/x.txt')).toThrow('/nonexistent/x.txt: cannot read: no such file or directory');
  });
});

describe('SPoSE triplet text', () => {
  test('parses i j k rows', () => {
    const t = parseTripletText('0 1 2\n\n3\t4  5\n');
    expect(tripletsToRows(t)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  test('wrong column count', () => {
    expectParseError(() => parseTripletText('0 1 2\n0 1\n', 't.txt'), 't.txt:2:', /expected 3 object indices \(i j k\), found 2 values/);
    expectParseError(() => parseTripletText('0 1 2 3\n', 't.txt'), 't.txt:1:', /found 4 values/);
  });

  test('non-integer, negative and out-of-range indices', () => {
    expectParseError(() => parseTripletText('0 1 x\n', 't.txt'), 't.txt:1: column 3:', /an integer, found "x"/);
    expectParseError(() => parseTripletText('0 1 2.0\n', 't.txt'), 't.txt:1: column 3:', /an integer/);
    expectParseError(() => parseTripletText('0 -1 2\n', 't.txt'), 't.txt:1: column 2:', /≥ 0/);
    expectParseError(() => parseTripletText('0 1 2\n5 1 2\n', 't.txt', { nObjects: 5 }), 't.txt:2: column 1:', /\[0, 4\], found 5/);
  });

  test('the same object twice in a row', () => {
    expectParseError(() => parseTripletText('0 1 2\n\n7 3 7\n', 't.txt'), 't.txt:3:', /three distinct objects, found 7 3 7/);
  });

  test('round trip through a file, atomically (no temp files left)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-tt-'));
    const t = createTriplets([[5, 6, 7], [0, 2, 1]]);
    const f = join(dir, 'sub', 't.txt');
    writeTripletText(f, t);
    expect(tripletsToRows(readTripletText(f))).toEqual(tripletsToRows(t));
    expect(readdirSync(join(dir, 'sub'))).toEqual(['t.txt']);
    expect(formatTripletText(t)).toBe('5 6 7\n0 2 1\n');
  });

  test('a bad file leaves the target untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-tt-'));
    const f = join(dir, 'bad.txt');
    writeFileSync(f, '0 1 2\n0 0 1\n');
    expect(() => readTripletText(f)).toThrow(`${f}:2: expected three distinct objects`);
  });
});

describe('delimited text with quotes', () => {
  test('quoted fields hold tabs, newlines and doubled quotes', () => {
    const recs = parseDelimited('a\t"b\tc"\t"say ""hi"""\n"multi\nline"\tx\n\nlast', 'q.tsv');
    expect(recs).toEqual([
      { line: 1, fields: ['a', 'b\tc', 'say "hi"'] },
      { line: 2, fields: ['multi\nline', 'x'] },
      { line: 4, fields: [''] },
      { line: 5, fields: ['last'] },
    ]);
  });

  test('an unclosed quote names the line where it opened', () => {
    expectParseError(() => parseDelimited('a\tb\nc\t"open\n\n', 'q.tsv'), 'q.tsv:2:', /closing quote/);
  });

  test('text after a closing quote', () => {
    expectParseError(() => parseDelimited('"a"b\tc\n', 'q.tsv'), 'q.tsv:1:', /delimiter or line end/);
  });
});
