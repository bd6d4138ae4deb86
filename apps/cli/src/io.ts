import { extname } from 'node:path';
import {
  ParseError,
  parseNoiseCeilingTsv,
  parseTripletText,
  readFileText,
  readMatrixText,
  readNpy,
  readNpyMatrix,
  writeNpy,
  writeTripletText,
  type Matrix,
  type Triplets,
} from '@conceptlab/core';

/** Read a matrix from `.npy` (2-D) or whitespace/TSV text. */
export function readMatrixFile(file: string): Matrix<Float64Array> {
  return extname(file).toLowerCase() === '.npy' ? readNpyMatrix(file) : readMatrixText(file);
}

/**
 * Read an embedding (objects × dims) and check its values: every value finite, and non-negative when
 * asked (SPoSE runs). A bad value is an error naming the file, the row and the column.
 */
export function readEmbeddingFile(file: string, options: { nonNegative?: boolean } = {}): Matrix<Float64Array> {
  const m = readMatrixFile(file);
  if (m.rows === 0 || m.cols === 0) throw new ParseError({ file }, 'an embedding with at least one row and one column', `shape ${m.rows}×${m.cols}`);
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (!Number.isFinite(v) || (options.nonNegative && v < 0)) {
      const row = Math.floor(i / m.cols), col = i % m.cols;
      throw new ParseError({ file }, options.nonNegative ? 'finite non-negative weights' : 'finite values', `${v} at object row ${row}, dimension ${col} (0-based)`);
    }
  }
  return m;
}

/** Read a triplet list from SPoSE text or a 2-D `.npy` integer array with 3 columns (0-based). */
export function readTripletsFile(file: string, nObjects?: number): Triplets {
  if (extname(file).toLowerCase() === '.npy') {
    const a = readNpy(file);
    if (a.shape.length !== 2 || a.shape[1] !== 3) {
      throw new ParseError({ file }, 'a 2-D array with 3 columns (i j k)', `shape (${a.shape.join(', ')})`);
    }
    if (!/^[iu]/.test(a.dtype)) throw new ParseError({ file }, 'an integer array of object indices', `dtype ${a.dtype}`);
    const n = a.shape[0];
    const data = new Int32Array(n * 3);
    for (let i = 0; i < n * 3; i++) {
      const v = Number(a.data[i]);
      const row = Math.floor(i / 3);
      if (v < 0 || v > 2147483647 || (nObjects !== undefined && v >= nObjects)) {
        throw new ParseError({ file }, `object indices in [0, ${(nObjects ?? 2147483648) - 1}] (row ${row})`, String(v));
      }
      data[i] = v;
    }
    for (let r = 0; r < n; r++) {
      const x = data[3 * r], y = data[3 * r + 1], z = data[3 * r + 2];
      if (x === y || x === z || y === z) throw new ParseError({ file }, `three distinct objects in row ${r}`, `${x} ${y} ${z}`);
    }
    return { count: n, data };
  }
  return parseTripletText(readFileText(file), file, { nObjects });
}

/** Write triplets as SPoSE text, or as an int32 `.npy` when the name ends in `.npy`. Atomic either way. */
export function writeTripletsFile(file: string, t: Triplets): void {
  if (extname(file).toLowerCase() === '.npy') writeNpy(file, { dtype: 'i4', shape: [t.count, 3], data: t.data });
  else writeTripletText(file, t);
}

export type AnsweredFormat = 'spose' | 'things-tsv';

/**
 * Read answered triplets in either the SPoSE format (`i j k`, 0-based, odd one out last) or the THINGS
 * noise-ceiling TSV (`obj1 obj2 obj3 choice subject`, 1-based, choice = position of the odd one out).
 * With `format` undefined, the first data line decides: 5 columns → THINGS TSV, otherwise SPoSE.
 */
export function readAnsweredFile(file: string, format?: AnsweredFormat, nObjects?: number): { triplets: Triplets; format: AnsweredFormat } {
  if (extname(file).toLowerCase() === '.npy') return { triplets: readTripletsFile(file, nObjects), format: 'spose' };
  const text = readFileText(file);
  let fmt = format;
  if (fmt === undefined) {
    const first = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#'));
    fmt = first !== undefined && first.split(/[\t ]+/).length === 5 ? 'things-tsv' : 'spose';
  }
  const triplets = fmt === 'things-tsv' ? parseNoiseCeilingTsv(text, file, { nObjects }).answered : parseTripletText(text, file, { nObjects });
  return { triplets, format: fmt };
}

/** Read a list of object indices (whitespace- or newline-separated integers). */
export function readIndexList(file: string, nObjects: number): Int32Array {
  const text = readFileText(file);
  const out: number[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, li) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    line.split(/[\t ,]+/).forEach((tok, ci) => {
      if (!/^\d+$/.test(tok)) throw new ParseError({ file, line: li + 1, column: ci + 1 }, 'a 0-based object index', JSON.stringify(tok));
      const v = Number(tok);
      if (v >= nObjects) throw new ParseError({ file, line: li + 1, column: ci + 1 }, `an object index in [0, ${nObjects - 1}]`, tok);
      out.push(v);
    });
  });
  if (out.length === 0) throw new ParseError({ file }, 'at least one object index', 'none');
  return Int32Array.from(out);
}
