/**
 * Regex scanning primitives: the `[\p{L}\p{N}]` boundaries the patterns use, checked with ASCII fast
 * paths, and scans that give the matches `matchAll` gives for a fixed pattern, found faster (a leading
 * lookbehind is tried at every character; these try the regex only where a match may start).
 */

/** No letter or digit before (a regex source). */
export const LB = String.raw`(?<![\p{L}\p{N}])`;
/** No letter or digit after (a regex source). */
export const RB = String.raw`(?![\p{L}\p{N}])`;

/** ASCII letters and digits (1), for the `[\p{L}\p{N}]` boundary checks. */
const ASCII_LN = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (/[\p{L}\p{N}]/iu.test(String.fromCharCode(c))) ASCII_LN[c] = 1;
/** The boundary class as the patterns see it (under `iu`, which adds U+0345). */
const LN_IU = /^[\p{L}\p{N}]$/iu;
/** ASCII `\s` (1), `\s` or `-` (2 bit). */
const ASCII_SPACE = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (/\s/.test(String.fromCharCode(c))) ASCII_SPACE[c] |= 1;
  if (/[\s-]/.test(String.fromCharCode(c))) ASCII_SPACE[c] |= 2;
}
const NON_ASCII_SPACE = /^\s$/u;

/** Whether a letter or digit ends at `i` (`(?<![\p{L}\p{N}])` fails there). */
export function lnBefore(s: string, i: number): boolean {
  if (i <= 0) return false;
  const c = s.charCodeAt(i - 1);
  if (c < 128) return ASCII_LN[c] === 1;
  const ch = c >= 0xdc00 && c <= 0xdfff && i >= 2 && (s.charCodeAt(i - 2) & 0xfc00) === 0xd800 ? s.slice(i - 2, i) : s[i - 1];
  return LN_IU.test(ch);
}

/** Whether a letter or digit starts at `i` (`(?![\p{L}\p{N}])` fails there). */
export function lnAt(s: string, i: number): boolean {
  if (i >= s.length) return false;
  const c = s.charCodeAt(i);
  if (c < 128) return ASCII_LN[c] === 1;
  return LN_IU.test(String.fromCodePoint(s.codePointAt(i)!));
}

/** ASCII letters (1), for `[\p{L}]` boundary checks. */
const ASCII_L = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (/\p{L}/iu.test(String.fromCharCode(c))) ASCII_L[c] = 1;
const L_IU = /^\p{L}$/iu;

/** Whether a letter ends at `i` (`(?<![\p{L}])` fails there). */
export function lBefore(s: string, i: number): boolean {
  if (i <= 0) return false;
  const c = s.charCodeAt(i - 1);
  if (c < 128) return ASCII_L[c] === 1;
  const ch = c >= 0xdc00 && c <= 0xdfff && i >= 2 && (s.charCodeAt(i - 2) & 0xfc00) === 0xd800 ? s.slice(i - 2, i) : s[i - 1];
  return L_IU.test(ch);
}

/** The length in code units of the code point at `i`. */
export function cpLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
}

/** The matches `s.matchAll(re)` gives for a fixed pattern, found faster. */
export type Scan = (s: string) => RegExpExecArray[];

/** `s.matchAll(re)`. */
export function allMatches(re: RegExp): Scan {
  return (s) => [...s.matchAll(re)];
}

/**
 * The matches of `(?<![\p{L}\p{N}])core` (`'LN'`) or `(?<![\p{L}])core` (`'L'`) under `giu`: those of
 * `core` where no letter (or digit) precedes. A leading lookbehind is tried at every character; `core`
 * alone lets the regex engine skip ahead to where it can match.
 */
export function afterBoundary(boundary: 'L' | 'LN', core: string): Scan {
  const re = new RegExp(core, 'giu');
  const preceded = boundary === 'LN' ? lnBefore : lBefore;
  return (s) => {
    const out: RegExpExecArray[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(s); m !== null; m = re.exec(s)) {
      const ok = !preceded(s, m.index);
      if (ok) out.push(m);
      if (!ok || m[0].length === 0) re.lastIndex = m.index + cpLength(s, m.index);
    }
    return out;
  };
}

/**
 * The matches of `re` (its flags with `y` for `g`), tried only at the positions `next(s, from)` gives:
 * the first position at or after `from` where a match may start (-1: none).
 */
export function atCandidates(re: RegExp, next: (s: string, from: number) => number): Scan {
  return (s) => {
    const out: RegExpExecArray[] = [];
    for (let from = 0; ; ) {
      const i = next(s, from);
      if (i < 0) break;
      re.lastIndex = i;
      const m = re.exec(s);
      if (m !== null) out.push(m);
      from = m !== null && m[0].length > 0 ? i + m[0].length : i + cpLength(s, i);
    }
    return out;
  };
}

const CAPITAL_ABC = /[A-C]/g;
/** The next `A`, `B` or `C`. */
export function nextCapitalAbc(s: string, from: number): number {
  CAPITAL_ABC.lastIndex = from;
  return CAPITAL_ABC.exec(s)?.index ?? -1;
}
/** The next line start. */
export function nextLineStart(s: string, from: number): number {
  if (from === 0) return 0;
  const nl = s.indexOf('\n', from - 1);
  return nl < 0 ? -1 : nl + 1;
}

/** Skips `\s` (mask 1) or `[\s-]` (mask 2) characters from `i`. */
export function skipSpace(s: string, i: number, mask: 1 | 2): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if ((ASCII_SPACE[c] & mask) === 0) break;
    } else if (!NON_ASCII_SPACE.test(s[i])) break;
  }
  return i;
}

// eslint-disable-next-line no-control-regex
export const isAscii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);
