import { ParseError } from '../errors.js';
import type { Triplets } from '../triplets.js';
import { contentLines, parseIntegerToken } from './delimited.js';
import { readFileText } from './files.js';

/** The THINGS noise-ceiling triplets: the same object sets answered by many people. */
export interface NoiseCeilingTrials {
  /** The object sets as presented, 0-based. */
  readonly presented: Triplets;
  /** The position (0, 1 or 2) of the odd one out in each presented row. */
  readonly choice: Uint8Array;
  /** The subject id of each row, as in the file. */
  readonly subject: Int32Array;
  /** The same trials in the SPoSE convention: the other two in presentation order, the odd one out last. */
  readonly answered: Triplets;
}

export interface NoiseCeilingTsvOptions {
  /** Reject object numbers > nObjects. */
  readonly nObjects?: number;
}

/**
 * Parse the THINGS noise-ceiling TSV: rows `obj1 obj2 obj3 choice subject`, tab- or space-separated,
 * objects **1-based**, `choice` ∈ {1, 2, 3} the position of the odd one out. A header line whose
 * first field is `obj1` is allowed. Every malformed row is an error naming the file and line.
 */
export function parseNoiseCeilingTsv(text: string, file = '<text>', options: NoiseCeilingTsvOptions = {}): NoiseCeilingTrials {
  let lines = contentLines(text);
  if (lines.length > 0 && /^obj1\b/i.test(lines[0].text)) lines = lines.slice(1);
  const n = lines.length;
  const presented = new Int32Array(n * 3);
  const answered = new Int32Array(n * 3);
  const choice = new Uint8Array(n);
  const subject = new Int32Array(n);
  const max = options.nObjects;
  for (let r = 0; r < n; r++) {
    const { line, text: t } = lines[r];
    const tokens = t.split(/[\t ]+/);
    if (tokens.length !== 5) {
      throw new ParseError({ file, line }, '5 columns (obj1 obj2 obj3 choice subject)', `${tokens.length} columns`);
    }
    const objs = [0, 1, 2].map((c) => {
      const v = parseIntegerToken(tokens[c], file, line, c + 1);
      // Triplets hold 32-bit indices: a larger number would wrap around to another object.
      if (v < 1 || v > (max ?? 2 ** 31)) {
        throw new ParseError({ file, line, column: c + 1 }, `a 1-based object number in [1, ${max ?? 2 ** 31}]`, String(v));
      }
      return v - 1;
    });
    if (objs[0] === objs[1] || objs[0] === objs[2] || objs[1] === objs[2]) {
      throw new ParseError({ file, line }, 'three distinct objects', tokens.slice(0, 3).join(' '));
    }
    const ch = parseIntegerToken(tokens[3], file, line, 4);
    if (ch < 1 || ch > 3) throw new ParseError({ file, line, column: 4 }, 'a choice position in {1, 2, 3}', String(ch));
    const subj = parseIntegerToken(tokens[4], file, line, 5);
    if (subj < -2147483648 || subj > 2147483647) throw new ParseError({ file, line, column: 5 }, 'a 32-bit subject id', String(subj));
    presented.set(objs, r * 3);
    const odd = ch - 1;
    const rest = objs.filter((_, i) => i !== odd);
    answered[r * 3] = rest[0];
    answered[r * 3 + 1] = rest[1];
    answered[r * 3 + 2] = objs[odd];
    choice[r] = odd;
    subject[r] = subj;
  }
  return {
    presented: { count: n, data: presented },
    answered: { count: n, data: answered },
    choice,
    subject,
  };
}

/** Read the THINGS noise-ceiling TSV (see {@link parseNoiseCeilingTsv}). */
export function readNoiseCeilingTsv(file: string, options: NoiseCeilingTsvOptions = {}): NoiseCeilingTrials {
  return parseNoiseCeilingTsv(readFileText(file), file, options);
}
