import { InvalidArgumentError, type Concept } from '@conceptlab/core';

/** The three objects a text names, in order of appearance (= presentation order). */
export interface TextMatch {
  /** Concept indices (Concept.index). */
  readonly objects: [number, number, number];
  /** The concepts' prompt texts (Concept.prompt), in presentation order. */
  readonly texts: [string, string, string];
}

/** Why a text could not be matched: the concepts found (by id, in order of appearance) and what was not recognised. */
export interface TextMismatch {
  readonly found: readonly string[];
  readonly message: string;
}

const MAX_KEY = 8;
const MAX_SHOWN = 300;

/** Quote characters a client may keep or strip: ASCII and typographic double and single quotes, backticks. */
const QUOTES = /["'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u00b4]/g;

/**
 * The form in which prompts and texts are compared: quote characters and apostrophes removed, parentheses
 * as spaces, whitespace runs as one space, trimmed, lower case. So `mandolin ("a stringed …")`,
 * `Mandolin (a stringed …)` and `mandolin a stringed …` are one text, and `man's` equals `mans`.
 */
export function normalizeText(s: string): string {
  return s.replace(QUOTES, '').replace(/[()]/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
}

const ALNUM = /[\p{L}\p{N}]/u;

function boundaryAt(text: string, start: number, end: number): boolean {
  return !(start > 0 && ALNUM.test(text[start - 1])) && !(end < text.length && ALNUM.test(text[end]));
}

interface Hit {
  readonly pos: number;
  readonly end: number;
  readonly c: Concept;
}

/** A map from a normalized key to concepts, with a prefix index for scanning a text for every key. */
class KeyIndex {
  private readonly byKey = new Map<string, Concept[]>();
  private readonly byPrefix = new Map<string, string[]>();
  private readonly k: number;

  constructor(entries: ReadonlyArray<readonly [string, Concept]>) {
    let k = MAX_KEY;
    for (const [key, c] of entries) {
      const list = this.byKey.get(key);
      if (list) list.push(c);
      else this.byKey.set(key, [c]);
      k = Math.min(k, key.length);
    }
    this.k = Math.max(1, k);
    for (const key of this.byKey.keys()) {
      const p = key.slice(0, this.k);
      const list = this.byPrefix.get(p);
      if (list) list.push(key);
      else this.byPrefix.set(p, [key]);
    }
    for (const list of this.byPrefix.values()) list.sort((a, b) => b.length - a.length);
  }

  get(key: string): readonly Concept[] | undefined {
    return this.byKey.get(key);
  }

  /** Every whole-word occurrence of a key in `text` (normalized), with the concepts it names. */
  scan(text: string): { pos: number; end: number; cs: readonly Concept[] }[] {
    const out: { pos: number; end: number; cs: readonly Concept[] }[] = [];
    for (let pos = 0; pos + this.k <= text.length; pos++) {
      const keys = this.byPrefix.get(text.slice(pos, pos + this.k));
      if (!keys) continue;
      for (const key of keys) {
        const end = pos + key.length;
        if (text.startsWith(key, pos) && boundaryAt(text, pos, end)) out.push({ pos, end, cs: this.byKey.get(key)! });
      }
    }
    return out;
  }
}

/** Longest first (then leftmost); keep a hit only where it overlaps no kept one. Returned in text order. */
function keepLongest<T extends { pos: number; end: number }>(hits: T[], taken: readonly { pos: number; end: number }[] = []): T[] {
  const sorted = [...hits].sort((a, b) => b.end - b.pos - (a.end - a.pos) || a.pos - b.pos);
  const kept: T[] = [];
  const overlaps = (h: { pos: number; end: number }, g: { pos: number; end: number }): boolean => h.pos < g.end && g.pos < h.end;
  for (const h of sorted) if (!kept.some((g) => overlaps(h, g)) && !taken.some((g) => overlaps(h, g))) kept.push(h);
  return kept.sort((a, b) => a.pos - b.pos);
}

function shown(s: string): string {
  return JSON.stringify(s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s);
}

/**
 * Finds which concepts a prompt mentions, however the client wrote them: by prompt text (`"{word} ({definition})"`)
 * or by the word alone; with double quotes, apostrophes and backticks kept or stripped (the authors' description
 * file keeps the quotes of THINGS definitions, e.g. `mandolin ("a stringed instrument …")`); in any case and
 * spacing (compared in {@link normalizeText} form).
 *
 * {@link match}, in order:
 * 1. the paper's set syntax `{'A', 'B', 'C'}` (items quoted with `'` or `"`, as Python prints a set; unquoted
 *    items are left to the scan, since definitions contain commas): each item looked up whole, as a prompt text
 *    or a word;
 * 2. a scan of the text for whole-word prompt texts, longest first, a prompt inside a longer one not counted;
 * 3. if fewer than three were found, a scan of the rest of the text for words alone (a word that names several
 *    concepts, like THINGS' `bat`, is ambiguous and not counted).
 * Exactly three distinct concepts must result; their order of first appearance is the presentation order.
 * Otherwise the mismatch names what was found and the text that was not recognised.
 */
export class ConceptMatcher {
  private readonly prompts: KeyIndex;
  private readonly words: KeyIndex;

  constructor(concepts: readonly Concept[]) {
    if (concepts.length < 3) throw new InvalidArgumentError('concepts', 'at least 3 concepts', concepts.length);
    const seen = new Map<string, Concept>();
    const promptEntries: [string, Concept][] = [];
    const wordEntries: [string, Concept][] = [];
    for (const c of concepts) {
      const key = normalizeText(c.prompt);
      if (key.length === 0) throw new InvalidArgumentError(`concept ${c.id}`, 'a prompt text with letters or digits', c.prompt);
      const prev = seen.get(key);
      if (prev) {
        throw new InvalidArgumentError('concepts', 'distinct prompt texts (the server recognises objects by them)', `${prev.id} and ${c.id} both have ${JSON.stringify(c.prompt)}`);
      }
      seen.set(key, c);
      promptEntries.push([key, c]);
      const word = normalizeText(c.word);
      if (word.length > 0) wordEntries.push([word, c]);
    }
    this.prompts = new KeyIndex(promptEntries);
    this.words = new KeyIndex(wordEntries);
  }

  /** The concepts the text names, or why not. */
  match(text: string): TextMatch | TextMismatch {
    const set = this.setSyntax(text);
    if (set && 'objects' in set) return set;
    const scanned = this.scan(text);
    if ('objects' in scanned || !set) return scanned;
    return set; // the set's own message names the items not recognised
  }

  /** Look up one item of a set: a prompt text, else a word that names one concept. */
  private item(raw: string): { c: Concept } | { problem: string } {
    const key = normalizeText(raw);
    const byPrompt = this.prompts.get(key);
    if (byPrompt) return { c: byPrompt[0] };
    const byWord = this.words.get(key);
    if (byWord && byWord.length === 1) return { c: byWord[0] };
    if (byWord) return { problem: `${shown(raw.trim())} (ambiguous: the word of ${byWord.map((c) => c.id).join(', ')})` };
    return { problem: shown(raw.trim()) };
  }

  private setSyntax(text: string): TextMatch | TextMismatch | undefined {
    let fallback: TextMismatch | undefined;
    for (const m of text.matchAll(/\{([^{}]*)\}/g)) {
      const inner = m[1].trim();
      if (!/^['"\u2018\u201c]/.test(inner) || !/['"\u2019\u201d]$/.test(inner)) continue;
      const parts = inner.slice(1, -1).split(/['"\u2019\u201d]\s*,\s*['"\u2018\u201c]/);
      if (parts.length !== 3) continue;
      const found: Concept[] = [];
      const problems: string[] = [];
      for (const p of parts) {
        const r = this.item(p);
        if ('c' in r) {
          if (found.includes(r.c)) problems.push(`${shown(p.trim())} (a second mention of ${r.c.id})`);
          else found.push(r.c);
        } else problems.push(r.problem);
      }
      if (found.length === 3) return this.result(found);
      fallback ??= this.mismatch(found, problems);
    }
    return fallback;
  }

  private scan(text: string): TextMatch | TextMismatch {
    const norm = normalizeText(text);
    const promptHits: Hit[] = keepLongest(this.prompts.scan(norm)).map((h) => ({ pos: h.pos, end: h.end, c: h.cs[0] }));
    let hits = promptHits;
    const ambiguous: string[] = [];
    if (distinct(promptHits).length < 3) {
      const wordHits = keepLongest(this.words.scan(norm), promptHits);
      const single: Hit[] = [];
      for (const h of wordHits) {
        if (h.cs.length === 1) single.push({ pos: h.pos, end: h.end, c: h.cs[0] });
        else ambiguous.push(`${shown(norm.slice(h.pos, h.end))} (ambiguous: the word of ${h.cs.map((c) => c.id).join(', ')})`);
      }
      hits = [...promptHits, ...single].sort((a, b) => a.pos - b.pos);
    }
    const order = distinct(hits);
    if (order.length === 3) return this.result(order);
    // The text outside the recognised objects: what the client may have meant as an object.
    let rest = '';
    let at = 0;
    for (const h of hits) {
      rest += `${norm.slice(at, h.pos)} … `;
      at = h.end;
    }
    rest = (rest + norm.slice(at)).replace(/\s+/g, ' ').trim();
    const problems = [...ambiguous];
    if (order.length < 3) problems.push(`the rest of the text, ${shown(rest)}`);
    return this.mismatch(order, problems);
  }

  private result(cs: readonly Concept[]): TextMatch {
    const [a, b, c] = cs;
    return { objects: [a.index, b.index, c.index], texts: [a.prompt, b.prompt, c.prompt] };
  }

  private mismatch(found: readonly Concept[], problems: readonly string[]): TextMismatch {
    const ids = found.map((c) => c.id);
    return {
      found: ids,
      message:
        `expected the message to name exactly 3 distinct objects by their prompt texts ("{word} ({definition})") or words, ` +
        `found ${ids.length}` + (ids.length > 0 ? `: ${ids.join(', ')}` : '') +
        (problems.length > 0 ? `; not recognised: ${problems.join('; ')}` : ''),
    };
  }
}

function distinct(hits: readonly Hit[]): Concept[] {
  const order: Concept[] = [];
  for (const h of hits) if (!order.includes(h.c)) order.push(h.c);
  return order;
}

export function isTextMatch(m: TextMatch | TextMismatch): m is TextMatch {
  return 'objects' in m;
}
