/**
 * What the parser derives from a context before reading replies: each object's normalised text, word and
 * definition with their patterns (cached across contexts: the texts repeat), and the objects grouped by
 * pattern (a word shared by homonyms is one group).
 */
import type { AnnotationMode } from '@conceptlab/llm-client';
import type { ParseContext } from './context.js';
import { normalizeReplyText } from './normalize.js';
import { phrasePattern, wordPattern, type ObjectPattern } from './object-pattern.js';
import type { ChoicePosition } from './verdict.js';

/** What the parser derives from a context. */
export interface Prepared {
  readonly mode: AnnotationMode;
  readonly texts: readonly string[];
  readonly words: readonly string[];
  readonly defs: readonly (string | undefined)[];
  readonly textGroups: readonly { pat: ObjectPattern; pos: ChoicePosition[] }[];
  readonly defGroups: readonly { pat: ObjectPattern; pos: ChoicePosition[] }[];
  readonly wordGroups: readonly { pat: ObjectPattern; pos: ChoicePosition[]; word: string }[];
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

export function prepare(ctx: ParseContext): Prepared {
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
