/** Matching a structured answer against the three answer options. */
import { preview, unparsed, type ChoicePosition, type ParsedChoice } from './verdict.js';

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
