import { InvalidArgumentError, type Concept } from '@conceptlab/core';

/** The three objects a text names, in order of appearance (= presentation order). */
export interface TextMatch {
  /** Concept indices (Concept.index). */
  readonly objects: [number, number, number];
  /** The matched prompt texts, as they appear. */
  readonly texts: [string, string, string];
}

/** Why a text could not be matched: the concepts found (by id, in order of appearance). */
export interface TextMismatch {
  readonly found: readonly string[];
  readonly message: string;
}

const MAX_KEY = 8;

/**
 * Finds which concepts a prompt mentions, by their prompt texts (`"{word} ({definition})"`).
 *
 * Built once per server: a Map from prompt text to concept, and an index from each prompt's first K
 * characters (K = min(8, shortest prompt)) to the prompts starting so, longest first.
 *
 * {@link match}: first the fast path for the paper's template `{'A', 'B', 'C'}` (the text between `{'`
 * and the next `'}`, split on `', '`, is looked up whole); otherwise a scan of every position of the text
 * for prompts starting there, then the longest matches are kept first and overlapping shorter ones
 * dropped (a prompt inside a longer prompt is not a mention). Exactly three distinct concepts must
 * remain; their order of first appearance is the presentation order.
 */
export class ConceptMatcher {
  private readonly byPrompt = new Map<string, Concept>();
  private readonly byKey = new Map<string, Concept[]>();
  private readonly k: number;

  constructor(concepts: readonly Concept[]) {
    if (concepts.length < 3) throw new InvalidArgumentError('concepts', 'at least 3 concepts', concepts.length);
    let k = MAX_KEY;
    for (const c of concepts) {
      if (c.prompt.length === 0) throw new InvalidArgumentError(`concept ${c.id}`, 'a non-empty prompt text', c.prompt);
      const prev = this.byPrompt.get(c.prompt);
      if (prev) {
        throw new InvalidArgumentError('concepts', 'distinct prompt texts (the server recognises objects by them)', `${prev.id} and ${c.id} both have ${JSON.stringify(c.prompt)}`);
      }
      this.byPrompt.set(c.prompt, c);
      k = Math.min(k, c.prompt.length);
    }
    this.k = k;
    for (const c of concepts) {
      const key = c.prompt.slice(0, k);
      const list = this.byKey.get(key);
      if (list) list.push(c);
      else this.byKey.set(key, [c]);
    }
    for (const list of this.byKey.values()) list.sort((a, b) => b.prompt.length - a.prompt.length);
  }

  /** The concepts the text names, or why not. */
  match(text: string): TextMatch | TextMismatch {
    return this.template(text) ?? this.scan(text);
  }

  private template(text: string): TextMatch | undefined {
    const open = text.indexOf("{'");
    if (open < 0) return undefined;
    const close = text.indexOf("'}", open + 2);
    if (close < 0) return undefined;
    const parts = text.slice(open + 2, close).split("', '");
    if (parts.length !== 3) return undefined;
    const cs = parts.map((p) => this.byPrompt.get(p));
    if (!cs[0] || !cs[1] || !cs[2] || cs[0] === cs[1] || cs[0] === cs[2] || cs[1] === cs[2]) return undefined;
    return { objects: [cs[0].index, cs[1].index, cs[2].index], texts: [cs[0].prompt, cs[1].prompt, cs[2].prompt] };
  }

  private scan(text: string): TextMatch | TextMismatch {
    const k = this.k;
    const hits: { pos: number; end: number; c: Concept }[] = [];
    for (let pos = 0; pos + k <= text.length; pos++) {
      const list = this.byKey.get(text.slice(pos, pos + k));
      if (!list) continue;
      for (const c of list) if (text.startsWith(c.prompt, pos)) hits.push({ pos, end: pos + c.prompt.length, c });
    }
    // Longest first (then leftmost); keep a hit only where it overlaps no kept one.
    hits.sort((a, b) => b.end - b.pos - (a.end - a.pos) || a.pos - b.pos);
    const kept: typeof hits = [];
    for (const h of hits) if (!kept.some((g) => h.pos < g.end && g.pos < h.end)) kept.push(h);
    kept.sort((a, b) => a.pos - b.pos);
    const order: Concept[] = [];
    for (const h of kept) if (!order.includes(h.c)) order.push(h.c);
    if (order.length === 3) {
      const [a, b, c] = order;
      return { objects: [a.index, b.index, c.index], texts: [a.prompt, b.prompt, c.prompt] };
    }
    const found = order.map((c) => c.id);
    return {
      found,
      message:
        `expected the message to name exactly 3 distinct objects by their prompt texts ("{word} ({definition})"), ` +
        `found ${order.length}` + (order.length > 0 ? `: ${found.join(', ')}` : ''),
    };
  }
}

export function isTextMatch(m: TextMatch | TextMismatch): m is TextMatch {
  return 'objects' in m;
}
