import { ParseError } from '../errors.js';
import type { Triplets } from '../triplets.js';
import { contentLines, parseIntegerToken } from './delimited.js';
import { readFileText, writeFileAtomic } from './files.js';

/** The largest object index a {@link Triplets} (an Int32Array) holds. */
const MAX_INDEX = 2 ** 31 - 1;

export interface TripletTextOptions {
  /** Reject indices ≥ nObjects (as a file:line error). */
  readonly nObjects?: number;
}

/**
 * Parse the SPoSE triplet text format: one triplet per line, three 0-based integer object indices
 * separated by spaces or tabs, the odd one out last (`i j k`: k was the odd one out). Blank lines and
 * `#` comments are skipped. Wrong column counts, non-integers, negative or out-of-range indices and an
 * object repeated within a row are errors naming the file and line.
 */
export function parseTripletText(text: string, file = '<text>', options: TripletTextOptions = {}): Triplets {
  const lines = contentLines(text);
  const data = new Int32Array(lines.length * 3);
  const n = options.nObjects;
  for (let r = 0; r < lines.length; r++) {
    const { line, text: t } = lines[r];
    const tokens = t.split(/[\t ]+/);
    if (tokens.length !== 3) throw new ParseError({ file, line }, '3 object indices (i j k)', `${tokens.length} values`);
    for (let c = 0; c < 3; c++) {
      const v = parseIntegerToken(tokens[c], file, line, c + 1);
      if (v < 0) throw new ParseError({ file, line, column: c + 1 }, 'a 0-based object index (≥ 0)', String(v));
      // Triplets hold 32-bit indices: a larger one would wrap around to another object.
      if (v > MAX_INDEX) throw new ParseError({ file, line, column: c + 1 }, `a 0-based object index (≤ ${MAX_INDEX})`, String(v));
      if (n !== undefined && v >= n) {
        throw new ParseError({ file, line, column: c + 1 }, `an object index in [0, ${n - 1}]`, String(v));
      }
      data[r * 3 + c] = v;
    }
    const a = data[r * 3], b = data[r * 3 + 1], c = data[r * 3 + 2];
    if (a === b || a === c || b === c) {
      throw new ParseError({ file, line }, 'three distinct objects', `${a} ${b} ${c}`);
    }
  }
  return { count: lines.length, data };
}

/** Read a SPoSE triplet text file (see {@link parseTripletText}). */
export function readTripletText(file: string, options: TripletTextOptions = {}): Triplets {
  return parseTripletText(readFileText(file), file, options);
}

/** Format triplets as SPoSE text: `i j k` per line. */
export function formatTripletText(t: Triplets): string {
  const parts: string[] = new Array(t.count);
  const d = t.data;
  for (let i = 0; i < t.count; i++) parts[i] = `${d[3 * i]} ${d[3 * i + 1]} ${d[3 * i + 2]}`;
  return parts.join('\n') + (t.count > 0 ? '\n' : '');
}

/** Write triplets as SPoSE text, atomically. */
export function writeTripletText(file: string, t: Triplets): void {
  writeFileAtomic(file, formatTripletText(t));
}
