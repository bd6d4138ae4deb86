/**
 * The patterns of an object's text, definition and word, and how they are found in a reply.
 *
 * Each object text, definition and word is a pattern `(?<![\p{L}\p{N}])…` under the `giu` flags. Such a
 * regex is costly to compile (the case-closed `\p{L}`) and to run (the lookbehind is tried at every
 * character), and the texts change with every triplet. For an ASCII pattern we find the same matches
 * with `indexOf` over an ASCII-case-folded copy of the reply plus explicit checks. This is exact:
 * under `iu` the only non-ASCII characters that match an ASCII letter are U+017F (ſ) and U+212A
 * (Kelvin sign), which NFKC removes (a reply that still holds one falls back to the regex); every
 * other choice point (`\s+`, `[\s-]+` before a literal that is neither space nor hyphen) cannot
 * backtrack, and the word's inflections are tried in the regex's order. Non-ASCII patterns use the
 * (cached) regex itself.
 */
import { LB, RB, isAscii, lnAt, lnBefore, skipSpace } from './scan.js';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
}

/** A regex source matching a phrase with flexible whitespace (and optional space before `(`). */
function phraseSource(p: string): string {
  return p
    .trim()
    .split(/\s+/)
    .map(escapeRe)
    .join(String.raw`\s+`)
    .split(String.raw`\s+\(`)
    .join(String.raw`\s*\(`);
}

function wordSource(w: string): string {
  const tokens = w.trim().split(/[\s-]+/).filter((t) => t !== '').map(escapeRe);
  const last = tokens.pop() ?? '';
  const lastRaw = w.trim().split(/[\s-]+/).pop() ?? '';
  const plural = /[^aeiou]y$/i.test(lastRaw) ? `(?:${last}|${escapeRe(lastRaw.slice(0, -1))}ies|${last}s)` : `${last}(?:s|es)?`;
  return [...tokens, plural].join(String.raw`[\s-]+`);
}

/** A reply as the object patterns read it. */
export interface ReplyText {
  readonly norm: string;
  /** `norm` with ASCII letters lower-cased (same indices); undefined when only the regexes are exact. */
  readonly folded: string | undefined;
}

export function replyText(norm: string): ReplyText {
  if (isAscii(norm)) return { norm, folded: norm.toLowerCase() };
  if (/[\u017F\u212A]/.test(norm)) return { norm, folded: undefined };
  return { norm, folded: norm.replace(/[A-Z]+/g, (u) => u.toLowerCase()) };
}

/** An object text, definition or word pattern: its regex, and a literal matcher where exact. */
export class ObjectPattern {
  private compiled: RegExp | undefined;

  constructor(
    private readonly source: string,
    /** The literal every match starts with (lower case). */
    private readonly first: string,
    /** Matches the rest from the end of `first` at `j`; returns the end, or -1. */
    private readonly rest: ((s: string, j: number, norm: string) => number) | undefined,
  ) {}

  private get re(): RegExp {
    return (this.compiled ??= new RegExp(this.source, 'giu'));
  }

  /** `[start, end]` of each match, as `norm.matchAll` of the regex. */
  matches(t: ReplyText): [number, number][] {
    const out: [number, number][] = [];
    if (this.rest === undefined || t.folded === undefined) {
      for (const m of t.norm.matchAll(this.re)) out.push([m.index!, m.index! + m[0].length]);
      return out;
    }
    const s = t.folded;
    const first = this.first;
    for (let from = 0; ; ) {
      const i = s.indexOf(first, from);
      if (i < 0) break;
      const end = lnBefore(t.norm, i) ? -1 : this.rest(s, i + first.length, t.norm);
      if (end < 0) from = i + 1;
      else {
        out.push([i, end]);
        from = end;
      }
    }
    return out;
  }
}

/** The pattern of a (grouped, lower-case) object text or definition: the phrase, whitespace flexible. */
export function phrasePattern(key: string): ObjectPattern {
  const source = `${LB}${phraseSource(key)}`;
  if (!isAscii(key)) return new ObjectPattern(source, '', undefined);
  const tokens = key.trim().split(/\s+/);
  const lits = tokens.slice(1);
  const required = lits.map((t) => !t.startsWith('('));
  // Most often the reply has the phrase as it is, single spaces and all (`\s+`, `\s*` take just those).
  const tail = key.slice(tokens[0].length);
  return new ObjectPattern(source, tokens[0], (s, j) => {
    if (s.startsWith(tail, j)) return j + tail.length;
    for (let k = 0; k < lits.length; k++) {
      const after = skipSpace(s, j, 1);
      if ((required[k] && after === j) || !s.startsWith(lits[k], after)) return -1;
      j = after + lits[k].length;
    }
    return j;
  });
}

/** The pattern of a (grouped, lower-case) word: whole word, `s`/`es`/`ies` plural, flexible separators. */
export function wordPattern(key: string): ObjectPattern {
  const source = `${LB}${wordSource(key)}${RB}`;
  const raw = key.trim().split(/[\s-]+/);
  if (!isAscii(key) || raw.some((t) => t === '')) return new ObjectPattern(source, '', undefined);
  const last = raw[raw.length - 1];
  // In the regex's order: `(?:w|wies|ws)` after a consonant + y, else `w(?:s|es)?` (greedy).
  const ies = /[^aeiou]y$/i.test(last);
  const forms = ies ? [last, `${last.slice(0, -1)}ies`, `${last}s`] : [`${last}s`, `${last}es`, last];
  const lead = raw.slice(0, -1);
  // What every match starts with: the first word, or the stem shared by the forms.
  const first = lead.length > 0 ? lead[0] : ies ? last.slice(0, -1) : last;
  return new ObjectPattern(source, first, (s, j, norm) => {
    if (lead.length === 0) j -= first.length; // back to the start of the forms
    // After the first word: the other words, each after `[\s-]+`, then `[\s-]+` and a form.
    for (let k = 1; k <= lead.length; k++) {
      const after = skipSpace(s, j, 2);
      if (after === j) return -1;
      j = after;
      if (k < lead.length) {
        if (!s.startsWith(lead[k], j)) return -1;
        j += lead[k].length;
      }
    }
    for (const f of forms) if (s.startsWith(f, j) && !lnAt(norm, j + f.length)) return j + f.length;
    return -1;
  });
}
