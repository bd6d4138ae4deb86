/**
 * The label patterns: letters (`(B)`, `Answer: B`, a line starting `C.`, a bare `B`/`C`) and ordinals
 * (`the first`, `option 2`) in text mode; positions (`left`, `middle`, `third image`, `image 1`) in vision
 * mode.
 */
import type { Kind } from './mentions.js';
import { RB, afterBoundary, allMatches, atCandidates, nextCapitalAbc, nextLineStart, type Scan } from './scan.js';
import type { ChoicePosition } from './verdict.js';

const ORDINAL: Record<string, ChoicePosition> = { first: 0, '1st': 0, second: 1, '2nd': 1, third: 2, '3rd': 2, last: 2 };
const ORDINAL_WORDS = String.raw`(first|second|third|last|1st|2nd|3rd)`;
const TEXT_ORDINAL_NOUNS = String.raw`(?:one|object|item|option|word|term|element|choice|entry|thing|concept|candidate)`;
const VISION_NOUNS = String.raw`(?:one|object|item|image|picture|photo|photograph|panel|figure|option)`;
/** `the first` alone (after a boundary) — not `the first two`, `the first and second`, `the first of`, … */
const BARE_ORDINAL = String.raw`the\s+${ORDINAL_WORDS}${RB}(?!\s*(?:two|2|three|and|or|of|,|place|time|glance|step|half|point|reason|thing|instinct|impression|sight))`;

export interface PatternSpec {
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

export const TEXT_PATTERNS: readonly PatternSpec[] = [
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

export const VISION_PATTERNS: readonly PatternSpec[] = [
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
