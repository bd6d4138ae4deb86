/**
 * fast-check generators of bad inputs made from good ones, shared by the property-based bad-input tests (issue 13):
 * a text file with a token replaced (NaN, Inf, huge, negative, junk), a line inserted, a cut at any offset or
 * characters changed; a binary file with bytes changed, a cut, or bytes appended.
 */
import fc from 'fast-check';

/** Tokens a bad file may hold where a number belongs. */
export const badToken: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('NaN', 'nan', 'Inf', '-inf', 'Infinity', '-1', '0', '1.5', '1e3', '1e999', '2147483647', '2147483648', '4294967296', '-2147483649', '9007199254740993', '0x10', '', '#', '"3"', '\u00a0', '٣'),
  fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }).map(String),
  fc.integer().map(String),
  fc.string({ maxLength: 6 }),
);

/** One change to a text file (see {@link mutateText}). */
export type TextMutation =
  | { readonly kind: 'token'; readonly line: number; readonly col: number; readonly token: string }
  | { readonly kind: 'line'; readonly line: number; readonly text: string }
  | { readonly kind: 'cut'; readonly at: number }
  | { readonly kind: 'chars'; readonly at: readonly [number, string][] };

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('token' as const), line: fc.nat(), col: fc.nat(), token: badToken }),
  fc.record({ kind: fc.constant('line' as const), line: fc.nat(), text: fc.oneof(fc.array(badToken, { maxLength: 6 }).map((t) => t.join(' ')), fc.string({ maxLength: 20 })) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('chars' as const), at: fc.array(fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 2 })), { minLength: 1, maxLength: 3 }) }),
);

/** Apply a {@link TextMutation}; `sep` separates the tokens of a line (positions wrap around the text's size). */
export function mutateText(text: string, m: TextMutation, sep = ' '): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'token': {
      const i = m.line % lines.length;
      const tokens = lines[i].split(sep);
      tokens[m.col % tokens.length] = m.token;
      lines[i] = tokens.join(sep);
      return lines.join('\n');
    }
    case 'line':
      lines.splice(m.line % (lines.length + 1), 0, m.text);
      return lines.join('\n');
    case 'cut':
      return text.slice(0, m.at % (text.length + 1));
    case 'chars': {
      let t = text;
      for (const [at, s] of m.at) {
        const k = at % (t.length + 1);
        t = t.slice(0, k) + s + t.slice(k + 1);
      }
      return t;
    }
  }
}

/** One change to a binary file (see {@link mutateBytes}). */
export type ByteMutation =
  | { readonly kind: 'bytes'; readonly at: readonly [number, number][] }
  | { readonly kind: 'cut'; readonly at: number }
  | { readonly kind: 'append'; readonly bytes: Uint8Array }
  /** 8 bytes of 0xff (a float64 NaN, a float32 NaN pair) written at an offset counted from the end. */
  | { readonly kind: 'nan'; readonly fromEnd: number };

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('bytes' as const), at: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('nan' as const), fromEnd: fc.nat(64) }),
);

/** Apply a {@link ByteMutation} to a copy of `bytes` (positions wrap around the file's size). */
export function mutateBytes(bytes: Uint8Array, m: ByteMutation): Uint8Array {
  switch (m.kind) {
    case 'bytes': {
      const b = Uint8Array.from(bytes);
      for (const [at, v] of m.at) b[at % b.length] = v;
      return b;
    }
    case 'cut':
      return bytes.slice(0, m.at % bytes.length);
    case 'append':
      return Uint8Array.from([...bytes, ...m.bytes]);
    case 'nan': {
      const b = Uint8Array.from(bytes);
      const start = Math.max(0, b.length - 8 - 8 * Math.floor(m.fromEnd / 8));
      b.fill(0xff, start, Math.min(b.length, start + 8));
      return b;
    }
  }
}
