/**
 * The strict reply parser: which of the three presented objects a model's reply chooses as the odd
 * one out — or, when the reply does not say so unambiguously, `unparsed` with a reason. It never
 * guesses (the paper's parsers reused the previous answer on a miss; we record the miss instead).
 *
 * Structured formats (`json-schema`, `tool`): the JSON object's {@link ANSWER_PROPERTY} must equal one
 * of {@link answerOptions} (exactly, else after trimming and case-folding). A missing structured part
 * is `unparsed`; there is no fall-back to free text.
 *
 * Free text. The reply is normalised (Unicode NFKC, curly quotes straightened, markdown `*`, `_`,
 * `` ` ``, `#`, `>` markers dropped) and every mention of an object is located:
 * - names: the full object text; the definition; the word (whole word, case-insensitive, plural `s`/`es`
 *   allowed), optionally followed by a parenthetical that quotes (a prefix of) its definition. A word
 *   shared by two objects (homonyms, e.g. bat/bat) is ambiguous: only a definition-bearing mention
 *   (the full text, the definition, or `word (definition…)`) decides between them;
 * - text mode: letter labels (`(B)`, `Answer: B`, `option C`, a line starting `C.`, a bare `B`/`C`)
 *   and ordinals (`the first`, `second one`, `third object`, `option 2`, `the last one`);
 * - vision mode: positions (`left`, `middle`/`center`/`centre`, `right`, `first/second/third image`,
 *   `image 1/2/3`).
 * The reply is cut into sentences and lines (never inside a mention), and the answer is read from the
 * first *answer statement* that names an object: `the odd one out [in the triplet] is X`, `Answer: X`,
 * `X is the odd one out`, `X does not belong`, `X is the least similar` … The object that is the
 * complement (or subject) of the statement decides — `X is the odd one out because unlike Y and Z …`
 * is X — together with labels attached to it (`C. The lion …`, `the lion (C)`); if they disagree, or
 * two objects are coordinated (`X or Y is …`), or a clause names several objects with no clear head,
 * the reply is unparsed. In vision mode the answer (item 1) and the location (item 2, or a sentence
 * with `location`/`located`) must agree. A reply without answer statement is read only when its first
 * sentence naming an object consists of nothing but that object (e.g. `**Cup.**`, `C`, `Right.`).
 */
import { InvalidArgumentError } from '@conceptlab/core';
import { ANSWER_PROPERTY, ANSWER_TOOL_NAME, VISION_POSITION_LABELS, answerOptions, type AnnotationMode, type AnswerFormat } from './protocol.js';

/** A presentation position: 0, 1, 2 (left, middle, right in vision mode). */
export type ChoicePosition = 0 | 1 | 2;

/** How a parsed answer was read. */
export type ChoiceVia = 'json' | 'tool' | 'name' | 'letter' | 'position';

/** The parser's verdict on one reply. */
export type ParsedChoice =
  | { readonly status: 'parsed'; readonly position: ChoicePosition; readonly via: ChoiceVia }
  | { readonly status: 'unparsed'; readonly reason: string };

/** The part of a chat-completion message the parser reads. */
export interface ReplyMessage {
  readonly content: string | null;
  readonly tool_calls?: readonly { readonly type: string; readonly function?: { readonly name: string; readonly arguments: string } }[] | null;
}

/** What the parser needs to know about the request. */
export interface ParseContext {
  readonly mode: AnnotationMode;
  readonly answerFormat: AnswerFormat;
  /** The three object texts in presentation order (as in the prompt). */
  readonly objectTexts: readonly [string, string, string];
  /** The three words (THINGS `Word`, repeating for homonyms) in presentation order. */
  readonly words: readonly [string, string, string];
}

function unparsed(reason: string): ParsedChoice {
  return { status: 'unparsed', reason };
}

function parsed(position: ChoicePosition, via: ChoiceVia): ParsedChoice {
  return { status: 'parsed', position, via };
}

function preview(s: string, n = 60): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return JSON.stringify(t.length > n ? `${t.slice(0, n)}…` : t);
}

// ---------------------------------------------------------------------------------------------------
// Structured answers

/** The position of an answer among the options: exact, else trimmed and case-folded; else unparsed. */
export function matchAnswerOption(answer: string, options: readonly string[]): ChoicePosition | ParsedChoice {
  const exact = options.flatMap((o, i) => (o === answer ? [i] : []));
  if (exact.length === 1) return exact[0] as ChoicePosition;
  const fold = (s: string): string => s.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
  const loose = options.flatMap((o, i) => (fold(o) === fold(answer) ? [i] : []));
  if (loose.length === 1) return loose[0] as ChoicePosition;
  if (loose.length > 1 || exact.length > 1) return unparsed(`option matches ${Math.max(loose.length, exact.length)} of the three options: ${preview(answer)}`);
  return unparsed(`option not among the three: ${preview(answer)}`);
}

function stripCodeFence(s: string): string {
  const m = /^\s*```[a-zA-Z]*\s*\n?([\s\S]*?)\n?\s*```\s*$/.exec(s);
  return m ? m[1] : s;
}

function parseJsonAnswer(text: string, options: readonly string[], via: 'json' | 'tool'): ParsedChoice {
  let value: unknown;
  try {
    value = JSON.parse(stripCodeFence(text));
  } catch (e) {
    return unparsed(`invalid JSON: expected a JSON answer, got ${preview(text)} (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return unparsed(`expected a JSON answer: an object with "${ANSWER_PROPERTY}", got ${Array.isArray(value) ? 'an array' : preview(String(value))}`);
  }
  const answer = (value as Record<string, unknown>)[ANSWER_PROPERTY];
  if (answer === undefined) return unparsed(`expected a JSON answer: no "${ANSWER_PROPERTY}" property in ${preview(text)}`);
  if (typeof answer !== 'string') return unparsed(`expected a JSON answer: "${ANSWER_PROPERTY}" is not a string`);
  const r = matchAnswerOption(answer, options);
  return typeof r === 'number' ? parsed(r, via) : r;
}

function parseToolCalls(message: ReplyMessage, options: readonly string[]): ParsedChoice {
  const calls = message.tool_calls ?? [];
  const ours = calls.filter((c) => c.type === 'function' && c.function?.name === ANSWER_TOOL_NAME);
  if (ours.length === 0) {
    const names = calls.map((c) => c.function?.name ?? c.type);
    if (names.length > 0) return unparsed(`expected a JSON answer: no ${ANSWER_TOOL_NAME} tool call (called ${names.join(', ')})`);
    if ((message.content ?? '').trim() === '') return unparsed('empty reply');
    return unparsed(`expected a JSON answer: no ${ANSWER_TOOL_NAME} tool call, the reply is text ${preview(message.content ?? '')}`);
  }
  const results = ours.map((c) => parseJsonAnswer(c.function?.arguments ?? '', options, 'tool'));
  const bad = results.find((r) => r.status === 'unparsed');
  if (bad) return bad;
  const positions = new Set(results.map((r) => (r.status === 'parsed' ? r.position : -1)));
  if (positions.size > 1) return unparsed(`${ours.length} ${ANSWER_TOOL_NAME} tool calls with different answers`);
  return results[0];
}

// ---------------------------------------------------------------------------------------------------
// Free text: normalisation and mentions

/** Normalise reply or object text: NFKC, straight quotes, hyphens, no markdown markers, single spaces. */
export function normalizeReplyText(s: string): string {
  let t = s
    .normalize('NFKC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u2018\u2019\u201A\u201B\u2032`\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2010\u2011\u2012\u2212]/g, '-')
    .replace(/'{3}/g, '') // code fences, once backticks are quotes
    .replace(/\*+/g, '');
  // (The next three only change text that holds `_`, `#`, `>`: skip them, and their lookbehind, if none.)
  if (t.includes('_')) t = t.replace(/(^|[^\p{L}\p{N}])_{1,2}(?=\S)|(?<=\S)_{1,2}(?![\p{L}\p{N}])/gu, '$1');
  if (t.includes('#')) t = t.replace(/^[ \t]*#{1,6}[ \t]+/gm, '');
  if (t.includes('>')) t = t.replace(/^[ \t]*>[ \t]?/gm, '');
  return t.replace(/[ \t\u00A0\u2000-\u200B\u202F\u205F\u3000]+/g, ' ');
}

type Kind = 'name' | 'letter' | 'position';

interface Mention {
  readonly start: number;
  readonly end: number;
  readonly pos: readonly ChoicePosition[];
  readonly kind: Kind;
  /** Carries definition text (full text, definition, `word (definition…)`): can decide homonyms. */
  readonly defBearing: boolean;
  readonly prio: number;
  /** 1 for an inflected word match (`glasses` as the plural of `glass`), to prefer exact ones on ties. */
  readonly inflected: number;
}

const MASK = '\uE000';
const LB = String.raw`(?<![\p{L}\p{N}])`;
const RB = String.raw`(?![\p{L}\p{N}])`;

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

const STOPWORDS = new Set(
  'the and for with that which this from into onto are was were has have had its his her their them they used use uses usually often any some such other than then also one ones all not but etc being been very more most less least can may made make makes kind type sort'.split(' '),
);

function contentTokens(s: string): string[] {
  return (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length >= 3 && !STOPWORDS.has(t));
}

/** How strongly a parenthetical `p` quotes definition `d`: Infinity for a verbatim part, else shared content words. */
function definitionScore(p: string, d: string | undefined): number {
  if (d === undefined) return 0;
  const fold = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const pp = fold(p).replace(/(?:\.{3}|…|etc\.?)\s*$/u, '').replace(/[\s.,;:]+$/, '');
  const dd = fold(d);
  if (pp.length >= 3 && (dd.includes(pp) || pp.includes(dd))) return Number.POSITIVE_INFINITY;
  const dt = new Set(contentTokens(dd));
  return new Set(contentTokens(pp).filter((t) => dt.has(t))).size;
}

interface Prepared {
  readonly mode: AnnotationMode;
  readonly texts: readonly string[];
  readonly words: readonly string[];
  readonly defs: readonly (string | undefined)[];
  readonly textGroups: readonly { pat: ObjectPattern; pos: ChoicePosition[] }[];
  readonly defGroups: readonly { pat: ObjectPattern; pos: ChoicePosition[] }[];
  readonly wordGroups: readonly { pat: ObjectPattern; pos: ChoicePosition[]; word: string }[];
}

// ---------------------------------------------------------------------------------------------------
// Object mentions: fast literal scanning
//
// Each object text, definition and word is a pattern `(?<![\p{L}\p{N}])…` under the `giu` flags. Such a
// regex is costly to compile (the case-closed `\p{L}`) and to run (the lookbehind is tried at every
// character), and the texts change with every triplet. For an ASCII pattern we find the same matches
// with `indexOf` over an ASCII-case-folded copy of the reply plus explicit checks. This is exact:
// under `iu` the only non-ASCII characters that match an ASCII letter are U+017F (ſ) and U+212A
// (Kelvin sign), which NFKC removes (a reply that still holds one falls back to the regex); every
// other choice point (`\s+`, `[\s-]+` before a literal that is neither space nor hyphen) cannot
// backtrack, and the word's inflections are tried in the regex's order. Non-ASCII patterns use the
// (cached) regex itself.

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
function lnBefore(s: string, i: number): boolean {
  if (i <= 0) return false;
  const c = s.charCodeAt(i - 1);
  if (c < 128) return ASCII_LN[c] === 1;
  const ch = c >= 0xdc00 && c <= 0xdfff && i >= 2 && (s.charCodeAt(i - 2) & 0xfc00) === 0xd800 ? s.slice(i - 2, i) : s[i - 1];
  return LN_IU.test(ch);
}

/** Whether a letter or digit starts at `i` (`(?![\p{L}\p{N}])` fails there). */
function lnAt(s: string, i: number): boolean {
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
function lBefore(s: string, i: number): boolean {
  if (i <= 0) return false;
  const c = s.charCodeAt(i - 1);
  if (c < 128) return ASCII_L[c] === 1;
  const ch = c >= 0xdc00 && c <= 0xdfff && i >= 2 && (s.charCodeAt(i - 2) & 0xfc00) === 0xd800 ? s.slice(i - 2, i) : s[i - 1];
  return L_IU.test(ch);
}

/** The length in code units of the code point at `i`. */
function cpLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
}

/** The matches `s.matchAll(re)` gives for a fixed pattern, found faster. */
type Scan = (s: string) => RegExpExecArray[];

/** `s.matchAll(re)`. */
function allMatches(re: RegExp): Scan {
  return (s) => [...s.matchAll(re)];
}

/**
 * The matches of `(?<![\p{L}\p{N}])core` (`'LN'`) or `(?<![\p{L}])core` (`'L'`) under `giu`: those of
 * `core` where no letter (or digit) precedes. A leading lookbehind is tried at every character; `core`
 * alone lets the regex engine skip ahead to where it can match.
 */
function afterBoundary(boundary: 'L' | 'LN', core: string): Scan {
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
function atCandidates(re: RegExp, next: (s: string, from: number) => number): Scan {
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
function nextCapitalAbc(s: string, from: number): number {
  CAPITAL_ABC.lastIndex = from;
  return CAPITAL_ABC.exec(s)?.index ?? -1;
}
/** The next line start. */
function nextLineStart(s: string, from: number): number {
  if (from === 0) return 0;
  const nl = s.indexOf('\n', from - 1);
  return nl < 0 ? -1 : nl + 1;
}

/** Skips `\s` (mask 1) or `[\s-]` (mask 2) characters from `i`. */
function skipSpace(s: string, i: number, mask: 1 | 2): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      if ((ASCII_SPACE[c] & mask) === 0) break;
    } else if (!NON_ASCII_SPACE.test(s[i])) break;
  }
  return i;
}

// eslint-disable-next-line no-control-regex
const isAscii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

/** A reply as the object patterns read it. */
interface ReplyText {
  readonly norm: string;
  /** `norm` with ASCII letters lower-cased (same indices); undefined when only the regexes are exact. */
  readonly folded: string | undefined;
}

function replyText(norm: string): ReplyText {
  if (isAscii(norm)) return { norm, folded: norm.toLowerCase() };
  if (/[\u017F\u212A]/.test(norm)) return { norm, folded: undefined };
  return { norm, folded: norm.replace(/[A-Z]+/g, (u) => u.toLowerCase()) };
}

/** An object text, definition or word pattern: its regex, and a literal matcher where exact. */
class ObjectPattern {
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
function phrasePattern(key: string): ObjectPattern {
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
function wordPattern(key: string): ObjectPattern {
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

/** A bounded cache: the oldest entry goes when full. */
class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string, make: (key: string) => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      v = make(key);
      if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
      this.map.set(key, v);
    }
    return v;
  }
}

/** THINGS has 1,854 concepts: caches of a few thousand hold all their texts, definitions and words. */
const phrasePatterns = new BoundedCache<ObjectPattern>(8192);
const wordPatterns = new BoundedCache<ObjectPattern>(4096);

/** What the parser derives from one object (text and word) alone. */
interface PreparedObject {
  readonly text: string;
  readonly word: string;
  readonly def: string | undefined;
  /** Grouping keys (lower case, single spaces; undefined: not matched) and their patterns. */
  readonly textKey: string | undefined;
  readonly defKey: string | undefined;
  readonly wordKey: string | undefined;
  readonly textPat: ObjectPattern | undefined;
  readonly defPat: ObjectPattern | undefined;
  readonly wordPat: ObjectPattern | undefined;
}

/** The grouping key of a text, definition or word: lower case, single spaces; undefined when blank. */
function groupKey(v: string | undefined): string | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  return v.toLowerCase().replace(/\s+/g, ' ').trim();
}

function prepareObjectUncached(objectText: string, word: string): PreparedObject {
  const text = normalizeReplyText(objectText).trim();
  const w = normalizeReplyText(word).trim();
  let def: string | undefined;
  if (!(w === '' || text.slice(0, w.length).toLowerCase() !== w.toLowerCase())) {
    const m = /^\s*\(([\s\S]+)\)\s*$/.exec(text.slice(w.length));
    def = m ? m[1].trim() : undefined;
  }
  const textKey = groupKey(text);
  const defKey = groupKey(def !== undefined && def.length >= 8 ? def : undefined);
  const wordKey = groupKey(w);
  return {
    text,
    word: w,
    def,
    textKey,
    defKey,
    wordKey,
    textPat: textKey === undefined ? undefined : phrasePatterns.get(textKey, phrasePattern),
    defPat: defKey === undefined ? undefined : phrasePatterns.get(defKey, phrasePattern),
    wordPat: wordKey === undefined ? undefined : wordPatterns.get(wordKey, wordPattern),
  };
}

/** Prepared objects by object text, then word (no key strings to build and hash per reply). */
const preparedObjects = new Map<string, Map<string, PreparedObject>>();
const PREPARED_OBJECTS_MAX = 8192;

function prepareObject(objectText: string, word: string): PreparedObject {
  let byWord = preparedObjects.get(objectText);
  let o = byWord?.get(word);
  if (o === undefined) {
    o = prepareObjectUncached(objectText, word);
    if (byWord === undefined) {
      if (preparedObjects.size >= PREPARED_OBJECTS_MAX) preparedObjects.delete(preparedObjects.keys().next().value as string);
      byWord = new Map();
      preparedObjects.set(objectText, byWord);
    } else if (byWord.size >= 16) byWord.clear();
    byWord.set(word, o);
  }
  return o;
}

/** Objects grouped by key (a word shared by homonyms is one group), in order of first appearance. */
function groupsOf<P>(keys: readonly (string | undefined)[], pats: readonly (P | undefined)[]): { key: string; pat: P; pos: ChoicePosition[] }[] {
  const out: { key: string; pat: P; pos: ChoicePosition[] }[] = [];
  keys.forEach((key, i) => {
    if (key === undefined) return;
    const g = out.find((x) => x.key === key);
    if (g) g.pos.push(i as ChoicePosition);
    else out.push({ key, pat: pats[i]!, pos: [i as ChoicePosition] });
  });
  return out;
}

function prepare(ctx: ParseContext): Prepared {
  const objects = [0, 1, 2].map((i) => prepareObject(ctx.objectTexts[i], ctx.words[i]));
  const texts = objects.map((o) => o.text);
  const words = objects.map((o) => o.word);
  const defs = objects.map((o) => o.def);
  const textGroups = groupsOf(
    objects.map((o) => o.textKey),
    objects.map((o) => o.textPat),
  );
  const defGroups = groupsOf(
    objects.map((o) => o.defKey),
    objects.map((o) => o.defPat),
  );
  const wordGroups = groupsOf(
    objects.map((o) => o.wordKey),
    objects.map((o) => o.wordPat),
  ).map((g) => ({ pat: g.pat, pos: g.pos, word: g.key }));
  return { mode: ctx.mode, texts, words, defs, textGroups, defGroups, wordGroups };
}

/** A parenthetical right after a word: closed, or open and cut off by an ellipsis. */
const PAREN_AFTER = /^\s*\(([^()\n]{1,400}?)(?:\)|(?:\.\.\.|…)(?=['"\s]|$))/u;

const ORDINAL: Record<string, ChoicePosition> = { first: 0, '1st': 0, second: 1, '2nd': 1, third: 2, '3rd': 2, last: 2 };
const ORDINAL_WORDS = String.raw`(first|second|third|last|1st|2nd|3rd)`;
const TEXT_ORDINAL_NOUNS = String.raw`(?:one|object|item|option|word|term|element|choice|entry|thing|concept|candidate)`;
const VISION_NOUNS = String.raw`(?:one|object|item|image|picture|photo|photograph|panel|figure|option)`;
/** `the first` alone (after a boundary) — not `the first two`, `the first and second`, `the first of`, … */
const BARE_ORDINAL = String.raw`the\s+${ORDINAL_WORDS}${RB}(?!\s*(?:two|2|three|and|or|of|,|place|time|glance|step|half|point|reason|thing|instinct|impression|sight))`;

interface PatternSpec {
  /** The regex's matches (`matchAll`). */
  readonly scan: Scan;
  readonly kind: Kind;
  /** Position from the match (group 1 when present). */
  readonly pos: (m: RegExpMatchArray) => ChoicePosition | undefined;
  /** Mention span: group 1 only (label letters), or the whole match. */
  readonly group?: boolean;
}

/** A case-insensitive regex source for a keyword, for patterns whose other parts are case-sensitive. */
function anyCase(word: string): string {
  return word.replace(/\p{L}/gu, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

const letterPos = (m: RegExpMatchArray): ChoicePosition | undefined => {
  const i = 'abc'.indexOf((m[1] ?? '').toLowerCase());
  return i < 0 ? undefined : (i as ChoicePosition);
};
const ordinalPos = (m: RegExpMatchArray): ChoicePosition | undefined => ORDINAL[(m[1] ?? '').toLowerCase()];
const digitPos = (m: RegExpMatchArray): ChoicePosition | undefined => {
  const n = Number(m[1]);
  return n >= 1 && n <= 3 ? ((n - 1) as ChoicePosition) : undefined;
};

const TEXT_PATTERNS: readonly PatternSpec[] = [
  // (B)
  { scan: allMatches(/\(([A-Ca-c])\)/dgu), kind: 'letter', pos: letterPos },
  // 'B' or "B": /(?<=['"])([A-C])(?=['"])/dgu
  { scan: atCandidates(/(?<=['"])([A-C])(?=['"])/dyu, nextCapitalAbc), kind: 'letter', pos: letterPos, group: true },
  // a line starting "C." / "B)" / "A:" / "(C)", or a line that is just "C": /(?<=^|\n)…/dgu
  { scan: atCandidates(/(?<=^|\n)[ \t]*([A-C])(?:[.):](?=\s|$)|[ \t]*(?=\n|$))/dyu, nextLineStart), kind: 'letter', pos: letterPos, group: true },
  // Answer: B / option C / choice (A) / letter B (flags dgu)
  {
    scan: atCandidates(
      new RegExp(
        `(?<=(?<![\\p{L}])(?:${['answer', 'option', 'choice', 'letter', 'object', 'item'].map(anyCase).join('|')})(?:\\s+[iI][sS])?\\s*[:\\-–]?\\s*\\(?)([A-C])(?![\\p{L}\\p{N}])(?!\\s+\\p{Ll})`,
        'dyu',
      ),
      nextCapitalAbc,
    ),
    kind: 'letter',
    pos: letterPos,
    group: true,
  },
  // a bare capital B or C (A is the article)
  { scan: allMatches(/(?<![\p{L}\p{N}'\-])([BC])(?![\p{L}\p{N}'\-+&])/dgu), kind: 'letter', pos: letterPos, group: true },
  // the first one, second object, third option, the last one
  { scan: afterBoundary('LN', `(?:the\\s+)?${ORDINAL_WORDS}\\s+${TEXT_ORDINAL_NOUNS}${RB}`), kind: 'position', pos: ordinalPos },
  { scan: afterBoundary('LN', BARE_ORDINAL), kind: 'position', pos: ordinalPos },
  // option 2, object #3, number 1
  { scan: afterBoundary('LN', `(?:object|item|option|number|no\\.?|choice|element|entry)\\s*#?\\s*([1-3])${RB}`), kind: 'position', pos: digitPos },
  { scan: allMatches(new RegExp(`#([1-3])${RB}`, 'gu')), kind: 'position', pos: digitPos },
];

const VISION_PATTERNS: readonly PatternSpec[] = [
  { scan: afterBoundary('LN', `(?:far\\s+)?left(?:most|-most|-hand)?${RB}`), kind: 'position', pos: () => 0 },
  { scan: afterBoundary('LN', `(?:middle|cent(?:er|re)(?:most)?|central|cent(?:er|re)d)${RB}`), kind: 'position', pos: () => 1 },
  { scan: afterBoundary('LN', `(?:far\\s+)?right(?:most|-most|-hand)?${RB}`), kind: 'position', pos: () => 2 },
  { scan: afterBoundary('LN', `(?:the\\s+)?${ORDINAL_WORDS}\\s+${VISION_NOUNS}${RB}`), kind: 'position', pos: ordinalPos },
  { scan: afterBoundary('LN', BARE_ORDINAL), kind: 'position', pos: ordinalPos },
  { scan: afterBoundary('LN', `(?:image|picture|photo|photograph|panel|figure|object)\\s*(?:#|no\\.?|number)?\\s*([1-3])${RB}`), kind: 'position', pos: digitPos },
  {
    scan: afterBoundary('L', String.raw`(?:image|picture|photo|panel)\s+([A-C])(?![\p{L}\p{N}])`),
    kind: 'position',
    pos: (m) => (/[A-C]/.test(m[1] ?? '') ? letterPos(m) : undefined),
  },
];

function detectMentions(norm: string, p: Prepared): Mention[] {
  const cands: Mention[] = [];
  const push = (start: number, end: number, pos: readonly ChoicePosition[], kind: Kind, defBearing: boolean, prio: number, inflected = 0): void => {
    if (end > start && pos.length > 0) cands.push({ start, end, pos, kind, defBearing, prio, inflected });
  };
  const t = replyText(norm);
  for (const g of p.textGroups) for (const [s, e] of g.pat.matches(t)) push(s, e, g.pos, 'name', true, 0);
  for (const g of p.defGroups) for (const [s, e] of g.pat.matches(t)) push(s, e, g.pos, 'name', true, 1);
  for (const g of p.wordGroups) {
    for (const [start, matchEnd] of g.pat.matches(t)) {
      let end = matchEnd;
      let pos: readonly ChoicePosition[] = g.pos;
      let defBearing = false;
      const paren = PAREN_AFTER.exec(norm.slice(end));
      if (paren) {
        const scores = g.pos.map((i) => definitionScore(paren[1], p.defs[i]));
        const strong = g.pos.filter((_, k) => scores[k] === Number.POSITIVE_INFINITY);
        const some = g.pos.filter((_, k) => scores[k] > 0);
        const pick = strong.length === 1 ? strong : strong.length === 0 && some.length === 1 ? some : [];
        if (pick.length === 1) {
          pos = pick;
          end += paren[0].length;
          defBearing = true;
        }
      }
      const inflected = norm.slice(start, matchEnd).toLowerCase().replace(/[\s-]+/g, ' ') === g.word.replace(/[\s-]+/g, ' ') ? 0 : 1;
      push(start, end, pos, 'name', defBearing, 2, inflected);
    }
  }
  for (const spec of p.mode === 'text' ? TEXT_PATTERNS : VISION_PATTERNS) {
    for (const m of spec.scan(norm)) {
      const position = spec.pos(m);
      if (position === undefined) continue;
      const [s, e] = spec.group && m.indices?.[1] ? m.indices[1] : [m.index!, m.index! + m[0].length];
      push(s, e, [position], spec.kind, false, 3);
    }
  }
  cands.sort((a, b) => a.prio - b.prio || b.end - b.start - (a.end - a.start) || a.inflected - b.inflected || a.start - b.start);
  const taken = new Uint8Array(norm.length);
  const accepted: Mention[] = [];
  for (const c of cands) {
    let free = true;
    for (let i = c.start; i < c.end && free; i++) if (taken[i]) free = false;
    if (!free) continue;
    taken.fill(1, c.start, c.end);
    accepted.push(c);
  }
  return accepted.sort((a, b) => a.start - b.start);
}

function maskMentions(norm: string, mentions: readonly Mention[]): string {
  // Mentions are disjoint and sorted by start.
  let out = '';
  let at = 0;
  for (const m of mentions) {
    out += norm.slice(at, m.start) + MASK.repeat(m.end - m.start);
    at = m.end;
  }
  return out + norm.slice(at);
}

// ---------------------------------------------------------------------------------------------------
// Free text: sentences, answer statements, resolution

interface Segment {
  readonly start: number;
  readonly end: number;
}

/** Sentences and lines over the masked text: never inside a mention or the reply's own parentheses. */
function splitSegments(norm: string, masked: string): Segment[] {
  const out: Segment[] = [];
  const push = (s: number, e: number): void => {
    while (s < e && /\s/.test(masked[s])) s++;
    while (e > s && /\s/.test(masked[e - 1])) e--;
    if (e > s) out.push({ start: s, end: e });
  };
  let start = 0;
  let depth = 0;
  for (let i = 0; i < masked.length; i++) {
    const ch = masked[i];
    if (ch === '\n') {
      push(start, i);
      start = i + 1;
      depth = 0;
    } else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
    else if ((ch === '.' || ch === '!' || ch === '?') && depth === 0) {
      let j = i;
      while (j + 1 < masked.length && /[.!?'")\]]/.test(masked[j + 1])) j++;
      const atSpace = j + 1 >= masked.length || /\s/.test(masked[j + 1]);
      const next = /^\s*(\S)?/.exec(masked.slice(j + 1))?.[1];
      const lowerNext = next !== undefined && /\p{Ll}/u.test(next);
      // "C. The lion …", "1. The odd one out …": a lone list label does not end a sentence.
      const loneLabel = /^\s*\(?(?:[A-Za-z]|\d{1,2})\)?\s*$/.test(norm.slice(start, i));
      if (atSpace && !lowerNext && !loneLabel) {
        push(start, j + 1);
        start = j + 1;
      }
      i = j;
    }
  }
  push(start, masked.length);
  return out;
}

const ODD = String.raw`(?:odd[\s-]*(?:one|man|object|item|image|picture)[\s-]*out|odd[\s-]*(?:one|object|item|image|picture)|outlier|least\s+similar(?:\s+(?:one|object|item|image|picture))?|most\s+(?:different|dissimilar)(?:\s+(?:one|object|item|image|picture))?|(?:one|object|item|image|picture)\s+that\s+(?:(?:does\s*n[o']?t|did\s*n[o']?t)\s+(?:belong|fit)(?:\s+in)?|stands\s+out))`;
const COPULA = String.raw`(?:is|was|would\s+be|will\s+be|should\s+be|must\s+be|could\s+be|has\s+to\s+be|seems\s+to\s+be|appears\s+to\s+be|would\s+have\s+to\s+be)`;

/** `the odd one out [in the triplet …] is X`, `Answer: X`: the answer follows (complement). */
const COMPLEMENT_TRIGGER = afterBoundary(
  'L',
  String.raw`(?:(?:the|my|final|an?)\s+)?(?:${ODD}|(?:final\s+)?answer)(?![\p{L}])` +
    String.raw`(?:\s*,?\s*(?:in|among|amongst|of|from|within|for|to|out\s+of|between|here)(?![\p{L}])[^.!?\n;]{0,600}?)?` +
    String.raw`(?:\s*,?\s*(?:${COPULA}(?![\p{L}])\s*:?|[:=])|\s+[-–—]\s)`,
);

/**
 * `X is the odd one out`, `X does not belong`, `X stands out`: the answer precedes (subject).
 * (Each alternative follows a non-letter: `(?<![\p{L}])A|(?<![\p{L}])B|…` is `(?<![\p{L}])(?:A|B|…)`.)
 */
const SUBJECT_TRIGGER = afterBoundary(
  'L',
  String.raw`(?:(?:${COPULA}|can\s+be|may\s+be|might\s+be|is\s+considered|stands\s+out\s+as|seems|appears)` +
    String.raw`(?:\s+(?:clearly|definitely|probably|likely|certainly|undoubtedly|obviously|considered|to\s+be|the\s+one|as))*` +
    String.raw`\s+(?:the\s+|an?\s+)?${ODD}(?![\p{L}])` +
    String.raw`|(?:does\s*n[o']?t|did\s*n[o']?t)\s+(?:really\s+)?(?:belong|fit)(?![\p{L}])` +
    String.raw`|stands\s+out(?![\p{L}]))`,
);

/** `…, making X the odd one out`: X is the answer (the trigger starts after X). */
const SMALL_CLAUSE_TRIGGER = afterBoundary(
  'L',
  String.raw`(?:making|makes|make|leaving|leaves|leave|rendering|renders|render)\s+(?:the\s+|an?\s+)?['"]?${MASK}+['"]?(?=\s+(?:as\s+)?(?:the\s+|an?\s+)?${ODD}(?![\p{L}]))`,
);

/** Vision item 1 (`1. …`): the answer follows. */
const ITEM1_TRIGGER = /^\s*1\s*[.):]\s*(?:(?:my\s+|the\s+)?answer\s*(?:is\s*)?[:\-–]?\s*)?/iu;
const LOCATION_TRIGGER = /(?<![\p{L}])(?:location|located|position(?:ed)?|placed|situated)(?![\p{L}])/iu;
/** Vision item 2 (`2. …`): the location, when no location keyword says so. */
const ITEM2_TRIGGER = /^\s*2\s*[.):]/u;

/** What may stand between a complement trigger and its object: `the object on the`, `option`, quotes… */
const SKIP_COMPLEMENT = new RegExp(
  String.raw`^(?:[\s'"(\[:\-–,]|(?<![\p{L}])(?:the|a|an|object|item|option|choice|word|term|answer|letter|number|one|image|picture|photo|photograph|on|in|at|located|positioned|shown|placed|definitely|clearly|probably|likely|most|undoubtedly|obviously|certainly|actually|indeed|simply|just)(?![\p{L}]))*$`,
  'iu',
);
/** What may stand between a subject and `is the odd one out`: closing quotes and brackets. */
const SKIP_SUBJECT = /^[\s'")\]]*,?\s*$/u;
/** Between two mentions of one referent: `C. The lion`, `lion (C)`, `the banana on the right`. */
const LABEL_GAP = new RegExp(
  String.raw`^[\s()\[\]'".,:\-–]*(?:(?:the|a|an|option|object|item|choice|answer|letter|number|namely|i\.e\.|aka|which\s+is|that\s+is|on|in|at|of|to|side|image|picture|photo|one|is)[\s()\[\]'".,:\-–]+)*$`,
  'iu',
);
/** Between two coordinated mentions: `X or Y`, `X and Y`, `X/Y`. */
const COORDINATION =
  /^\s*,?\s*(?:or|and|and\/or|nor|\/|&|vs\.?|versus|,)(?:\s*(?:either|the|a|an|one|object|item|option|image|picture|photo|on|in|at|to)(?![\p{L}]))*[\s'"(]*$/iu;
/** Ends a complement clause. */
const COMPLEMENT_END =
  /(?<![\p{L}])(?:because|since|as|while|whereas|unlike|compared|rather\s+than|instead\s+of|not|but|although|though|due\s+to|given\s+that|which|who|where|with)(?![\p{L}])|[;—–]|\s-\s|:/giu;
/** A comma piece that may separate a subject from its verb: `being a fruit`, `in my opinion`, `which is a fruit`. */
const APPOSITION =
  /^\s*(?!(?:which|what)\s+(?:one|object|item|image|of)(?![\p{L}]))(?:being|which|who|that|as|like|with|unlike|a|an|in|for|from|according|of|since|because|given|though|although|perhaps|probably|arguably|however|therefore|then|thus|clearly|obviously|i\s+think|i\s+believe|by|due)(?![\p{L}])/iu;
/** Starts a subject clause (searching backwards). */
const SUBJECT_START = /(?<![\p{L}])(?:because|since|while|whereas|although|though|but|so|therefore|thus|hence)(?![\p{L}])|[;:—–]|\s-\s/giu;

/** A question (`…, which one is the odd one out?`) states no answer. */
function isQuestion(segmentText: string): boolean {
  return /\?['")\]]*\s*$/.test(segmentText);
}

type Outcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'fail'; readonly reason: string }
  | { readonly kind: 'ok'; readonly pos: readonly ChoicePosition[]; readonly mentions: readonly Mention[] };

const NONE: Outcome = { kind: 'none' };

class Reader {
  readonly mentions: Mention[];
  readonly masked: string;
  readonly segments: Segment[];

  constructor(
    readonly norm: string,
    readonly p: Prepared,
  ) {
    this.mentions = detectMentions(norm, p);
    this.masked = maskMentions(norm, this.mentions);
    this.segments = splitSegments(norm, this.masked);
  }

  quote(m: Mention): string {
    return preview(this.norm.slice(m.start, m.end), 40);
  }

  within(start: number, end: number): Mention[] {
    return this.mentions.filter((m) => m.start >= start && m.end <= end);
  }

  /** One referent from mentions that should all denote it; homonyms settled by definitions in `seg`. */
  resolve(ms: readonly Mention[], seg: Segment): Outcome {
    if (ms.length === 0) return NONE;
    let common: ChoicePosition[] = [0, 1, 2];
    for (const m of ms) common = common.filter((i) => m.pos.includes(i));
    if (common.length === 0) {
      const distinct = new Map<string, string>();
      for (const m of ms) {
        const t = this.norm.slice(m.start, m.end);
        if (!distinct.has(t.toLowerCase())) distinct.set(t.toLowerCase(), t);
      }
      const n = Math.max(2, Math.min(3, new Set(ms.flatMap((m) => (m.pos.length === 1 ? m.pos : []))).size));
      return { kind: 'fail', reason: `names ${n} different objects: ${[...distinct.values()].map((t) => preview(t, 40)).join(', ')}` };
    }
    if (common.length > 1) {
      const evidence = new Set<ChoicePosition>();
      for (const m of this.within(seg.start, seg.end)) {
        if (m.defBearing && m.pos.length === 1 && common.includes(m.pos[0])) evidence.add(m.pos[0]);
      }
      if (evidence.size === 1) common = [...evidence];
      else {
        const head = ms.find((m) => m.pos.length > 1) ?? ms[0];
        return { kind: 'fail', reason: `ambiguous homonym: ${this.quote(head)} names ${common.length} of the objects` };
      }
    }
    return { kind: 'ok', pos: common, mentions: ms };
  }

  /** The label that opens a segment (`C. …`, `(B) …`), if any. */
  leadingLabel(seg: Segment): Mention | undefined {
    const first = this.mentions.find((m) => m.start >= seg.start && m.end <= seg.end);
    if (!first || first.kind !== 'letter') return undefined;
    const opens = /^[\s(]*$/.test(this.masked.slice(seg.start, first.start));
    const closed = this.norm[first.start] === '(' || /^\)?\s*[.):]/.test(this.masked.slice(first.end, seg.end));
    return opens && closed ? first : undefined;
  }

  canMerge(a: Mention, b: Mention, gap: string): boolean {
    if (!LABEL_GAP.test(gap)) return false;
    return a.kind !== 'name' || b.kind !== 'name' || a.pos.some((i) => b.pos.includes(i));
  }

  withLabel(group: Mention[], seg: Segment): Mention[] {
    const label = this.leadingLabel(seg);
    return label && !group.includes(label) ? [label, ...group] : group;
  }

  /** The answer after a complement trigger ending at `from`. */
  complement(from: number, seg: Segment, segIndex: number): Outcome {
    let after = this.mentions.filter((m) => m.start >= from && m.end <= seg.end);
    if (after.length === 0 && /^[\s:\-–]*$/.test(this.masked.slice(from, seg.end))) {
      // "The odd one out is:\n\n**Cup**": the answer is the next line.
      const next = this.segments[segIndex + 1];
      if (next === undefined) return NONE;
      return this.complement(next.start, next, segIndex + 1);
    }
    if (after.length === 0) return NONE;
    const head = after[0];
    if (SKIP_COMPLEMENT.test(this.masked.slice(from, head.start))) {
      const group = [head];
      let k = 1;
      while (k < after.length && this.canMerge(group[group.length - 1], after[k], this.masked.slice(group[group.length - 1].end, after[k].start))) {
        group.push(after[k++]);
      }
      const next = after[k];
      if (next && COORDINATION.test(this.masked.slice(group[group.length - 1].end, next.start))) {
        const r = this.resolve([...group, next], seg);
        if (r.kind !== 'ok') return r.kind === 'fail' ? r : NONE;
      }
      return this.resolve(this.withLabel(group, seg), seg);
    }
    // No object right after the trigger: the first comma-separated piece of the clause that names any.
    COMPLEMENT_END.lastIndex = from;
    const endMatch = COMPLEMENT_END.exec(this.masked.slice(0, seg.end));
    const clauseEnd = endMatch ? endMatch.index : seg.end;
    after = after.filter((m) => m.end <= clauseEnd);
    for (const [s, e] of this.commaPieces(from, clauseEnd)) {
      const ms = after.filter((m) => m.start >= s && m.end <= e);
      if (ms.length > 0) return this.resolve(this.withLabel(ms, seg), seg);
    }
    return NONE;
  }

  /** The answer before a subject trigger starting at `to`. */
  subject(to: number, seg: Segment): Outcome {
    const before = this.mentions.filter((m) => m.start >= seg.start && m.end <= to);
    if (before.length === 0) return NONE;
    const head = before[before.length - 1];
    if (SKIP_SUBJECT.test(this.masked.slice(head.end, to))) {
      const group = [head];
      let k = before.length - 2;
      while (k >= 0 && this.canMerge(before[k], group[0], this.masked.slice(before[k].end, group[0].start))) group.unshift(before[k--]);
      const prev = before[k];
      if (prev && COORDINATION.test(this.masked.slice(prev.end, group[0].start))) {
        const r = this.resolve([prev, ...group], seg);
        if (r.kind !== 'ok') return r.kind === 'fail' ? r : NONE;
      }
      return this.resolve(this.withLabel(group, seg), seg);
    }
    let clauseStart = seg.start;
    SUBJECT_START.lastIndex = 0;
    const text = this.masked.slice(0, to);
    for (const m of text.slice(seg.start).matchAll(SUBJECT_START)) clauseStart = seg.start + m.index! + m[0].length;
    const pieces = this.commaPieces(clauseStart, to).reverse();
    for (const [s, e] of pieces) {
      const ms = before.filter((m) => m.start >= s && m.end <= e);
      if (ms.length > 0) return this.resolve(this.withLabel(ms, seg), seg);
      // "The apple, being a fruit, is …": an apposition may stand between the subject and the verb;
      // anything else ("…, which one is the odd one out") means the subject is not an object.
      const piece = this.masked.slice(s, e);
      if (piece.trim() !== '' && !APPOSITION.test(piece)) return NONE;
    }
    return NONE;
  }

  commaPieces(start: number, end: number): [number, number][] {
    const out: [number, number][] = [];
    let s = start;
    for (let i = start; i < end; i++) {
      if (this.masked[i] === ',') {
        out.push([s, i]);
        s = i + 1;
      }
    }
    out.push([s, end]);
    return out;
  }

  /** The first answer statement that names an object. */
  answerStatement(): Outcome {
    for (let si = 0; si < this.segments.length; si++) {
      const seg = this.segments[si];
      const text = this.masked.slice(seg.start, seg.end);
      if (isQuestion(text)) continue;
      const triggers: { at: number; run: () => Outcome }[] = [];
      for (const m of COMPLEMENT_TRIGGER(text)) {
        const end = seg.start + m.index! + m[0].length;
        triggers.push({ at: seg.start + m.index!, run: () => this.complement(end, seg, si) });
      }
      for (const m of SUBJECT_TRIGGER(text)) {
        const at = seg.start + m.index!;
        triggers.push({ at, run: () => this.subject(at, seg) });
      }
      for (const m of SMALL_CLAUSE_TRIGGER(text)) {
        const at = seg.start + m.index! + m[0].length;
        triggers.push({ at, run: () => this.subject(at, seg) });
      }
      if (this.p.mode === 'vision') {
        const m = ITEM1_TRIGGER.exec(text);
        if (m) triggers.push({ at: Number.MAX_SAFE_INTEGER, run: () => this.complement(seg.start + m[0].length, seg, si) });
      }
      triggers.sort((a, b) => a.at - b.at);
      for (const t of triggers) {
        const r = t.run();
        if (r.kind !== 'none') return r;
      }
    }
    return NONE;
  }

  /** Vision: the positions named by the first location statement (item 2, `located on the …`). */
  locationStatement(): Outcome {
    for (const seg of this.segments) {
      const text = this.masked.slice(seg.start, seg.end);
      const m = LOCATION_TRIGGER.exec(text) ?? ITEM2_TRIGGER.exec(text);
      if (!m) continue;
      const from = seg.start + m.index + m[0].length + (/^[\s:\-–]*/.exec(text.slice(m.index + m[0].length))?.[0].length ?? 0);
      COMPLEMENT_END.lastIndex = from;
      const endMatch = COMPLEMENT_END.exec(this.masked.slice(0, seg.end));
      let clauseEnd = endMatch ? endMatch.index : seg.end;
      const comma = this.masked.indexOf(',', from);
      if (comma >= 0 && comma < clauseEnd) clauseEnd = comma;
      const ms = this.mentions.filter((x) => x.kind === 'position' && x.start >= from && x.end <= clauseEnd);
      if (ms.length === 0) continue;
      const distinct = [...new Set(ms.map((x) => x.pos[0]))];
      if (distinct.length > 1) return { kind: 'fail', reason: `conflicting positions: ${distinct.map((i) => VISION_POSITION_LABELS[i]).join(', ')}` };
      return { kind: 'ok', pos: distinct, mentions: ms };
    }
    return NONE;
  }

  /** A first sentence that is nothing but an object: `**Cup.**`, `C`, `Right.`, `bat (club …)`. */
  bareAnswer(): Outcome {
    for (const seg of this.segments) {
      const ms = this.within(seg.start, seg.end);
      if (ms.length === 0 || isQuestion(this.masked.slice(seg.start, seg.end))) continue;
      const rest = this.masked
        .slice(seg.start, seg.end)
        .replace(/^\s*\d{1,2}\s*[.)]\s/u, '')
        .split(MASK)
        .join(' ')
        .replace(/(?<![\p{L}])(?:the|a|an|answer|final|my|option|choice|object|item|image|picture|odd|one|out|is|on|in|at|side|location|position)(?![\p{L}])/giu, ' ')
        .replace(/[\s\p{P}]/gu, '');
      return rest === '' ? this.resolve(ms, seg) : NONE;
    }
    return NONE;
  }
}

function via(ms: readonly Mention[], mode: AnnotationMode): ChoiceVia {
  const kinds = new Set(ms.map((m) => m.kind));
  if (mode === 'vision') return kinds.has('position') ? 'position' : 'name';
  return kinds.has('name') ? 'name' : kinds.has('letter') ? 'letter' : 'position';
}

function parseFreeText(content: string, p: Prepared): ParsedChoice {
  const r = new Reader(normalizeReplyText(content), p);
  const answer = r.answerStatement();
  if (answer.kind === 'fail') return unparsed(answer.reason);
  if (p.mode === 'vision') {
    const loc = r.locationStatement();
    if (loc.kind === 'fail') return unparsed(loc.reason);
    if (answer.kind === 'ok' && loc.kind === 'ok') {
      const common = answer.pos.filter((i) => loc.pos.includes(i));
      if (common.length !== 1) {
        const names = [...new Set([...answer.pos, ...loc.pos])].map((i) => VISION_POSITION_LABELS[i]);
        return unparsed(`conflicting positions: answer and location disagree (${names.join(', ')})`);
      }
      return parsed(common[0], 'position');
    }
    if (loc.kind === 'ok') return parsed(loc.pos[0], 'position');
  }
  const found = answer.kind === 'ok' ? answer : r.bareAnswer();
  if (found.kind === 'fail') return unparsed(found.reason);
  if (found.kind === 'ok') return parsed(found.pos[0], via(found.mentions, p.mode));
  return unparsed('no answer found: no statement of the odd one out names one of the three');
}

// ---------------------------------------------------------------------------------------------------

function checkContext(ctx: ParseContext): void {
  if (ctx.mode !== 'text' && ctx.mode !== 'vision') throw new InvalidArgumentError('ctx.mode', "'text' or 'vision'", ctx.mode);
  if (!['free', 'json-schema', 'tool'].includes(ctx.answerFormat)) {
    throw new InvalidArgumentError('ctx.answerFormat', "'free', 'json-schema' or 'tool'", ctx.answerFormat);
  }
  for (const key of ['objectTexts', 'words'] as const) {
    const v = ctx[key];
    if (!Array.isArray(v) || v.length !== 3 || v.some((s) => typeof s !== 'string')) throw new InvalidArgumentError(`ctx.${key}`, 'three strings', v);
  }
}

const preparedCache = new WeakMap<ParseContext, Prepared>();

/**
 * Which object a reply chooses as the odd one out, or why that cannot be told. Never guesses.
 * @throws InvalidArgumentError on an invalid context (a caller's bug, not a reply's).
 */
export function parseReply(message: ReplyMessage, ctx: ParseContext): ParsedChoice {
  checkContext(ctx);
  const options = answerOptions(ctx.mode, ctx.objectTexts);
  if (ctx.answerFormat === 'tool') return parseToolCalls(message, options);
  const content = message.content ?? '';
  if (content.trim() === '') return unparsed('empty reply');
  if (ctx.answerFormat === 'json-schema') return parseJsonAnswer(content, options, 'json');
  let p = preparedCache.get(ctx);
  if (p === undefined) {
    p = prepare(ctx);
    preparedCache.set(ctx, p);
  }
  return parseFreeText(content, p);
}
