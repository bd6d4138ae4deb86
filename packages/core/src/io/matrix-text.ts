import { ParseError } from '../errors.js';
import type { Matrix, NumericArray } from '../matrix.js';
import { contentLines, parseNumberToken } from './delimited.js';
import { readFileText, writeFileAtomic } from './files.js';

/**
 * Parse a numeric matrix written as text: one row per line, values separated by tabs or runs of
 * spaces (as `numpy.savetxt` and the SPoSE reference write them). Blank lines and `#` comments are
 * skipped. Every row must have the same number of values; any non-numeric token is an error that
 * names the file, line and column.
 */
export function parseMatrixText(text: string, file = '<text>'): Matrix<Float64Array> {
  const lines = contentLines(text);
  if (lines.length === 0) throw new ParseError({ file }, 'at least one row of numbers', 'no data');
  const cols = lines[0].text.split(/[\t ]+/).length;
  const data = new Float64Array(lines.length * cols);
  for (let r = 0; r < lines.length; r++) {
    const { line, text: t } = lines[r];
    const tokens = t.split(/[\t ]+/);
    if (tokens.length !== cols) {
      throw new ParseError({ file, line }, `${cols} values (as on line ${lines[0].line})`, `${tokens.length}`);
    }
    for (let c = 0; c < cols; c++) data[r * cols + c] = parseNumberToken(tokens[c], file, line, c + 1);
  }
  return { rows: lines.length, cols, data };
}

/** Read a text matrix file (see {@link parseMatrixText}). */
export function readMatrixText(file: string): Matrix<Float64Array> {
  return parseMatrixText(readFileText(file), file);
}

/**
 * Format a matrix as text, one row per line. Values use the shortest representation that reads back
 * to the same number (JavaScript's `String(x)`), so a round trip is exact.
 */
export function formatMatrixText(m: Matrix<NumericArray>, delimiter: '\t' | ' ' = ' '): string {
  const out: string[] = [];
  for (let i = 0; i < m.rows; i++) {
    const row: string[] = [];
    for (let j = 0; j < m.cols; j++) row.push(formatNumber(m.data[i * m.cols + j]));
    out.push(row.join(delimiter));
  }
  return out.join('\n') + (m.rows > 0 ? '\n' : '');
}

function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

/** Write a text matrix atomically. */
export function writeMatrixText(file: string, m: Matrix<NumericArray>, delimiter: '\t' | ' ' = ' '): void {
  writeFileAtomic(file, formatMatrixText(m, delimiter));
}
