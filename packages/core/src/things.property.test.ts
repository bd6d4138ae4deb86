/**
 * Property-based bad-input tests of the THINGS concept loaders (issue 13): arbitrary text, and valid tables with
 * random characters changed (quotes, tabs, line breaks), a cut at a random offset or a line inserted, are either
 * read into concepts / categories that keep the loaders' promises or refused with a one-line ParseError naming the
 * file. Fixed seeds: a failure reproduces.
 */
import fc from 'fast-check';
import { ConceptlabError } from './errors.js';
import { readOrRefuse } from '../../../test-support/typed-error.js';
import { parseCategoryTsv, parseConceptsTsv } from './things.js';

const FILE = '/data/fuzz/things_concepts.tsv';

/** Characters that matter to a tab-separated table with quoted fields, and some that do not. */
const tableChar = fc.constantFrom('\t', '\n', '\r\n', '"', '""', ' ', 'a', '0', '1', '', '\u201c', 'é');
const edits = fc.array(fc.tuple(fc.nat(), tableChar), { minLength: 1, maxLength: 4 });

function edit(text: string, changes: [number, string][]): string {
  let t = text;
  for (const [at, s] of changes) {
    const k = at % (t.length + 1);
    t = t.slice(0, k) + s + t.slice(k + 1);
  }
  return t;
}

const word = fc.stringMatching(/^[a-z][a-z ]{0,8}$/);
const conceptsFile = fc
  .uniqueArray(fc.tuple(word, fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), fc.stringMatching(/^[a-z ,;:()]{0,20}$/)), { minLength: 1, maxLength: 6, selector: ([, id]) => id })
  .map((rows) => ['Word\tuniqueID\tDefinition (from WordNet, Google, or Wikipedia)', ...rows.map((r) => r.join('\t'))].join('\n') + '\n');

const categoriesFile = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }), fc.integer({ min: 1, max: 6 }))
  .map(([cols, bits, rows]) => [Array.from({ length: cols }, (_, j) => `cat${j}`).join('\t'), ...Array.from({ length: rows }, (_, i) => bits.slice(i * cols, i * cols + cols).map((b) => (b ? 1 : 0)).join('\t'))].join('\n') + '\n');

describe('parseConceptsTsv: concepts with unique non-empty ids and words in row order, or a one-line ParseError', () => {
  test('arbitrary text, and valid tables edited', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.tuple(conceptsFile, edits).map(([t, e]) => edit(t, e)), fc.tuple(conceptsFile, fc.nat()).map(([t, at]) => t.slice(0, at % (t.length + 1)))), (text) => {
        const concepts = readOrRefuse(() => parseConceptsTsv(text, FILE), ConceptlabError, FILE);
        if (concepts === undefined) return;
        concepts.forEach((c, i) => {
          expect(c.index).toBe(i);
          expect(c.id).not.toBe('');
          expect(c.word).not.toBe('');
          expect(c.prompt).not.toMatch(/["\u201c\u201d]/);
        });
        expect(new Set(concepts.map((c) => c.id)).size).toBe(concepts.length);
      }),
      { seed: 1321, numRuns: 1000 },
    );
  });
});

describe('parseCategoryTsv: a 0/1 membership matrix of rows × categories, or a one-line ParseError', () => {
  test('arbitrary text, and valid tables edited', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.tuple(categoriesFile, edits).map(([t, e]) => edit(t, e))), fc.option(fc.integer({ min: 0, max: 6 })), (text, n) => {
        const c = readOrRefuse(() => parseCategoryTsv(text, FILE, n ?? undefined), ConceptlabError, FILE);
        if (c === undefined) return;
        const m = c.membership;
        expect(m.cols).toBe(c.names.length);
        expect(m.data.length).toBe(m.rows * m.cols);
        if (n !== null) expect(m.rows).toBe(n);
        expect(Array.from(m.data).every((v) => v === 0 || v === 1)).toBe(true);
      }),
      { seed: 1322, numRuns: 1000 },
    );
  });
});
