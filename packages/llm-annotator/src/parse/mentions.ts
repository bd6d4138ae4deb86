/**
 * Every mention of an object in a reply — names (full text, definition, word with an optional quoting
 * parenthetical) and labels — chosen without overlap (names before labels, longer before shorter), and the
 * reply with the mentions masked.
 */
import { definitionScore } from './definition.js';
import { TEXT_PATTERNS, VISION_PATTERNS } from './labels.js';
import { replyText } from './object-pattern.js';
import type { Prepared } from './prepare.js';
import type { ChoicePosition } from './verdict.js';

/** What a mention is: an object's name, a letter label, or a position (ordinal; left/middle/right). */
export type Kind = 'name' | 'letter' | 'position';

/** One mention in a reply: its span, the positions it may denote (several for a homonym), its kind. */
export interface Mention {
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

/** Replaces each character of a mention in the masked reply (a private-use character). */
export const MASK = '\uE000';

/** A parenthetical right after a word: closed, or open and cut off by an ellipsis. */
const PAREN_AFTER = /^\s*\(([^()\n]{1,400}?)(?:\)|(?:\.\.\.|…)(?=['"\s]|$))/u;

export function detectMentions(norm: string, p: Prepared): Mention[] {
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

export function maskMentions(norm: string, mentions: readonly Mention[]): string {
  // Mentions are disjoint and sorted by start.
  let out = '';
  let at = 0;
  for (const m of mentions) {
    out += norm.slice(at, m.start) + MASK.repeat(m.end - m.start);
    at = m.end;
  }
  return out + norm.slice(at);
}
