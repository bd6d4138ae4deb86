/**
 * Reading one free-text reply: its mentions, masked text and segments, and the searches for an answer —
 * the first answer statement, a vision location statement, or a bare first sentence — each an
 * {@link Outcome}: nothing found, a failure with its reason, or the positions and mentions found.
 */
import { VISION_POSITION_LABELS } from '@conceptlab/llm-client';
import { MASK, detectMentions, maskMentions, type Mention } from './mentions.js';
import type { Prepared } from './prepare.js';
import { isQuestion, splitSegments, type Segment } from './segments.js';
import {
  APPOSITION,
  COMPLEMENT_END,
  COMPLEMENT_TRIGGER,
  COORDINATION,
  ITEM1_TRIGGER,
  ITEM2_TRIGGER,
  LABEL_GAP,
  LOCATION_TRIGGER,
  SKIP_COMPLEMENT,
  SKIP_SUBJECT,
  SMALL_CLAUSE_TRIGGER,
  SUBJECT_START,
  SUBJECT_TRIGGER,
} from './triggers.js';
import { preview, type ChoicePosition } from './verdict.js';

export type Outcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'fail'; readonly reason: string }
  | { readonly kind: 'ok'; readonly pos: readonly ChoicePosition[]; readonly mentions: readonly Mention[] };

const NONE: Outcome = { kind: 'none' };

export class Reader {
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
