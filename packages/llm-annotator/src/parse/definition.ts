/** Whether a parenthetical after a word quotes one object's definition (which decides a homonym). */

const STOPWORDS = new Set(
  'the and for with that which this from into onto are was were has have had its his her their them they used use uses usually often any some such other than then also one ones all not but etc being been very more most less least can may made make makes kind type sort'.split(' '),
);

function contentTokens(s: string): string[] {
  return (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length >= 3 && !STOPWORDS.has(t));
}

/** How strongly a parenthetical `p` quotes definition `d`: Infinity for a verbatim part, else shared content words. */
export function definitionScore(p: string, d: string | undefined): number {
  if (d === undefined) return 0;
  const fold = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const pp = fold(p).replace(/(?:\.{3}|…|etc\.?)\s*$/u, '').replace(/[\s.,;:]+$/, '');
  const dd = fold(d);
  if (pp.length >= 3 && (dd.includes(pp) || pp.includes(dd))) return Number.POSITIVE_INFINITY;
  const dt = new Set(contentTokens(dd));
  return new Set(contentTokens(pp).filter((t) => dt.has(t))).size;
}
