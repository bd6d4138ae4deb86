import { loadThingsDirectory, ParseError, readFileText } from '@conceptlab/core';

/**
 * Read the 48 objects of the r48 design: whitespace/comma/newline-separated tokens, each a 0-based object index or,
 * with a concept directory (things_concepts.tsv), a THINGS uniqueID or a Word (a Word names its first row, as the
 * authors' `intersect(words48, words, 'stable')`). `#` starts a comment. A bad or repeated token is a file:line error.
 */
export function readObjects48(file: string, nObjects: number, conceptsDir?: string): Int32Array {
  const text = readFileText(file);
  let byName: Map<string, number> | undefined;
  const out: number[] = [];
  const seen = new Map<number, number>();
  text.split('\n').forEach((raw, li) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    line.split(/[\t ,]+/).forEach((tok, ci) => {
      const loc = { file, line: li + 1, column: ci + 1 };
      let v: number | undefined;
      if (/^\d+$/.test(tok)) {
        v = Number(tok);
        if (v >= nObjects) throw new ParseError(loc, `an object index in [0, ${nObjects - 1}]`, tok);
      } else {
        if (conceptsDir === undefined) throw new ParseError(loc, 'a 0-based object index (names need --concepts DIR)', JSON.stringify(tok));
        if (!byName) {
          byName = new Map();
          const concepts = loadThingsDirectory(conceptsDir).concepts;
          for (const c of concepts) if (!byName.has(c.word)) byName.set(c.word, c.index);
          for (const c of concepts) byName.set(c.id, c.index); // a uniqueID wins over a Word
        }
        v = byName.get(tok);
        if (v === undefined) throw new ParseError(loc, `an object index, uniqueID or Word of ${conceptsDir}`, JSON.stringify(tok));
        if (v >= nObjects) throw new ParseError(loc, `an object with an embedding row (fewer than ${nObjects})`, `${tok} = ${v}`);
      }
      const prev = seen.get(v);
      if (prev !== undefined) throw new ParseError(loc, 'distinct objects', `${tok} (object ${v}) again, first on line ${prev}`);
      seen.set(v, li + 1);
      out.push(v);
    });
  });
  if (out.length < 3) throw new ParseError({ file }, 'at least 3 objects', String(out.length));
  return Int32Array.from(out);
}
