/** The parser's verdict on one reply: a presentation position and how it was read, or why not. */

/** A presentation position: 0, 1, 2 (left, middle, right in vision mode). */
export type ChoicePosition = 0 | 1 | 2;

/** How a parsed answer was read. */
export type ChoiceVia = 'json' | 'tool' | 'name' | 'letter' | 'position';

/** The parser's verdict on one reply. */
export type ParsedChoice =
  | { readonly status: 'parsed'; readonly position: ChoicePosition; readonly via: ChoiceVia }
  | { readonly status: 'unparsed'; readonly reason: string };

/** An `unparsed` verdict with its reason. */
export function unparsed(reason: string): ParsedChoice {
  return { status: 'unparsed', reason };
}

/** A `parsed` verdict. */
export function parsed(position: ChoicePosition, via: ChoiceVia): ParsedChoice {
  return { status: 'parsed', position, via };
}

/** A reply excerpt for a reason: whitespace collapsed, at most `n` characters, quoted as JSON. */
export function preview(s: string, n = 60): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return JSON.stringify(t.length > n ? `${t.slice(0, n)}…` : t);
}
