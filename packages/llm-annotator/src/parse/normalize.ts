/** Text normalisation shared by replies and object texts. */

/** Normalise reply or object text: NFKC, straight quotes, hyphens, no markdown markers, single spaces. */
export function normalizeReplyText(s: string): string {
  let t = s
    .normalize('NFKC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u2018\u2019\u201A\u201B\u2032`\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2010\u2011\u2012\u2212]/g, '-')
    .replace(/'{3}/g, '') // code fences, once backticks are quotes
    .replace(/\*+/g, '');
  // (The next three only change text that holds `_`, `#`, `>`: skip them, and their lookbehind, if none.)
  if (t.includes('_')) t = t.replace(/(^|[^\p{L}\p{N}])_{1,2}(?=\S)|(?<=\S)_{1,2}(?![\p{L}\p{N}])/gu, '$1');
  if (t.includes('#')) t = t.replace(/^[ \t]*#{1,6}[ \t]+/gm, '');
  if (t.includes('>')) t = t.replace(/^[ \t]*>[ \t]?/gm, '');
  return t.replace(/[ \t\u00A0\u2000-\u200B\u202F\u205F\u3000]+/g, ' ');
}
