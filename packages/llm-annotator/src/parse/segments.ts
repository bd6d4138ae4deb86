/** A reply cut into sentences and lines (over the masked text: never inside a mention). */

export interface Segment {
  readonly start: number;
  readonly end: number;
}

/** Sentences and lines over the masked text: never inside a mention or the reply's own parentheses. */
export function splitSegments(norm: string, masked: string): Segment[] {
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

/** A question (`…, which one is the odd one out?`) states no answer. */
export function isQuestion(segmentText: string): boolean {
  return /\?['")\]]*\s*$/.test(segmentText);
}
