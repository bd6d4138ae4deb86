import { ParseError } from '../errors.js';

/** One parsed record of a delimited text file, with its 1-based line number. */
export interface DelimitedRecord {
  readonly line: number;
  readonly fields: string[];
}

/**
 * Parse tab- (or other-) delimited text with optional double-quoted fields, as spreadsheet tools
 * write them: a field that starts with `"` runs to the closing `"`, may hold the delimiter or line
 * breaks, and `""` inside it stands for one `"`. Lines end with LF or CRLF; a final newline is optional.
 * Empty lines are returned as records with a single empty field; callers decide whether to allow them.
 */
export function parseDelimited(text: string, file: string, delimiter = '\t'): DelimitedRecord[] {
  const records: DelimitedRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  let atFieldStart = true;
  while (i < n) {
    const ch = text[i];
    if (atFieldStart && ch === '"') {
      // Quoted field.
      const startLine = line;
      i++;
      for (;;) {
        if (i >= n) throw new ParseError({ file, line: startLine }, 'a closing quote for the field opened here', 'end of file');
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      atFieldStart = false;
      const next = text[i];
      if (i < n && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new ParseError({ file, line }, 'a delimiter or line end after a closing quote', JSON.stringify(next));
      }
      continue;
    }
    if (ch === delimiter) {
      fields.push(field);
      field = '';
      atFieldStart = true;
      i++;
      continue;
    }
    if (ch === '\r' && text[i + 1] === '\n') {
      i++;
      continue;
    }
    if (ch === '\n') {
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      atFieldStart = true;
      line++;
      recordLine = line;
      i++;
      continue;
    }
    field += ch;
    atFieldStart = false;
    i++;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

/**
 * Split text into lines with their 1-based numbers, skipping blank lines and `#` comments.
 * For the simple numeric formats (matrices, triplet lists).
 */
export function contentLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let t = lines[i];
    if (t.endsWith('\r')) t = t.slice(0, -1);
    const trimmed = t.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    out.push({ line: i + 1, text: trimmed });
  }
  return out;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|nan|NaN|inf|Inf|infinity|Infinity)$/;

/**
 * Parse one numeric token (decimal, exponent, nan, ±inf) or throw a ParseError naming the line and column.
 * Infinity comes only from an inf token: a decimal beyond the float64 range (`1e999`) is an error, not ±Infinity.
 */
export function parseNumberToken(token: string, file: string, line: number, column: number): number {
  if (!NUMBER.test(token)) throw new ParseError({ file, line, column }, 'a number', JSON.stringify(token));
  const lower = token.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan') return NaN;
  if (lower === 'inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  const v = Number(token);
  if (!Number.isFinite(v)) throw new ParseError({ file, line, column }, 'a number within the float64 range (±1.8e308)', token);
  return v;
}

const INTEGER = /^[+-]?\d+$/;

/** Parse one integer token or throw a ParseError naming the line and column. */
export function parseIntegerToken(token: string, file: string, line: number, column: number): number {
  if (!INTEGER.test(token)) throw new ParseError({ file, line, column }, 'an integer', JSON.stringify(token));
  const v = Number(token);
  if (!Number.isSafeInteger(v)) throw new ParseError({ file, line, column }, 'an integer of safe size', token);
  return v;
}
