import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conceptPrompt, createRng, dataDirForTests, InvalidArgumentError, loadThingsDirectory, type Concept } from '@conceptlab/core';
import { ConceptMatcher, isTextMatch } from './concept-matcher.js';

function concepts(words: Array<[string, string]>): Concept[] {
  return words.map(([word, definition], index) => ({ index, id: word.replace(/\W/g, '_'), word, definition, prompt: conceptPrompt(word, definition) }));
}

const small = concepts([
  ['box', 'a container'],
  ['ox', 'a container'], // "ox (a container)" is inside "box (a container)"
  ['cat', 'a feline'],
  ['dog', 'a canine'],
  ['hammer', "a carpenter's tool"],
]);
const P = (i: number): string => small[i].prompt;
const template = (a: string, b: string, c: string): string =>
  `Given a triplet of objects {'${a}', '${b}', '${c}'}, which one in the triplet is the odd-one-out? Please give the answer first and then explain in detail.`;

describe('ConceptMatcher', () => {
  const m = new ConceptMatcher(small);

  test("the paper's template, in presentation order", () => {
    expect(m.match(template(P(4), P(2), P(3)))).toEqual({ objects: [4, 2, 3], texts: [P(4), P(2), P(3)] });
  });

  test('other wordings: found by scanning, in order of appearance', () => {
    const r = m.match(`Which is the odd one out?\n1. ${P(3)}\n2. "${P(4)}"\n3. ${P(2)}`);
    expect(r).toEqual({ objects: [3, 4, 2], texts: [P(3), P(4), P(2)] });
  });

  test('longest matches first: a prompt inside a longer one is not a mention', () => {
    expect(m.match(`${P(0)}; ${P(2)}; ${P(3)}`)).toMatchObject({ objects: [0, 2, 3] });
    expect(m.match(`${P(1)}; ${P(0)}; ${P(3)}`)).toMatchObject({ objects: [1, 0, 3] });
  });

  test('a template whose items are not all prompts falls back to the scan', () => {
    expect(m.match(`{'${P(2)}', 'a ${P(3)}', '${P(4)}'}`)).toMatchObject({ objects: [2, 3, 4] });
  });

  test('not exactly three distinct objects: a message naming those found', () => {
    const two = m.match(template(P(2), P(3), 'a table'));
    expect(isTextMatch(two)).toBe(false);
    expect(two).toMatchObject({ found: ['cat', 'dog'] });
    expect((two as { message: string }).message).toMatch(/exactly 3 distinct objects.*found 2: cat, dog/);
    expect(m.match(`${P(2)} ${P(2)} ${P(3)}`)).toMatchObject({ found: ['cat', 'dog'] });
    expect(m.match(`${P(2)} ${P(3)} ${P(4)} ${P(0)}`)).toMatchObject({ found: ['cat', 'dog', 'hammer', 'box'] });
    expect(m.match('nothing here')).toMatchObject({ found: [] });
  });

  test('quotes and apostrophes kept or stripped, any case and spacing: the same objects', () => {
    // hammer's definition has an apostrophe; a client may quote definitions (as the authors' description file does).
    const want = { objects: [4, 2, 3], texts: [P(4), P(2), P(3)] };
    expect(m.match(template('hammer (a carpenters tool)', P(2), P(3)))).toEqual(want);
    expect(m.match(template('hammer ("a carpenter\'s tool")', 'cat ("a feline")', P(3)))).toEqual(want);
    expect(m.match(template('HAMMER (A Carpenter’s Tool)', '  cat   (a  feline) ', 'Dog\t(a canine)'))).toEqual(want);
    // Python's repr of a set: double quotes around an item with an apostrophe.
    expect(m.match(`Given a triplet of objects {"hammer (a carpenter's tool)", 'cat (a feline)', 'dog (a canine)'}, which one is odd?`)).toEqual(want);
    // Free text with quoted definitions, no set syntax.
    expect(m.match(`1. hammer ("a carpenter's tool")\n2. CAT (a feline)\n3. dog (“a canine”)`)).toEqual(want);
  });

  test('the word alone, in the set syntax or in free text', () => {
    expect(m.match(template('hammer', 'cat', 'dog'))).toMatchObject({ objects: [4, 2, 3] });
    expect(m.match(template('Hammer', P(2), 'DOG'))).toMatchObject({ objects: [4, 2, 3] });
    expect(m.match('Which is the odd one out: hammer, cat or dog?')).toMatchObject({ objects: [4, 2, 3] });
    expect(m.match(`Which is the odd one out: ${P(0)}, cat or dog?`)).toMatchObject({ objects: [0, 2, 3] });
    // A word inside another word is not a mention (ox in box, cat in category).
    expect(m.match('a box, a category, a dog and a hammer')).toMatchObject({ objects: [0, 3, 4] });
  });

  test('a word shared by two concepts is ambiguous alone, and the message says so', () => {
    const homonyms = new ConceptMatcher(concepts([['bat', 'a club'], ['bat', 'a flying mammal'], ['cat', 'a feline'], ['dog', 'a canine']]));
    expect(homonyms.match(template('bat (a flying mammal)', 'cat', 'dog'))).toMatchObject({ objects: [1, 2, 3] });
    const r = homonyms.match(template('bat', 'cat', 'dog'));
    expect(isTextMatch(r)).toBe(false);
    expect((r as { message: string }).message).toMatch(/found 2: cat, dog; not recognised: "bat" \(ambiguous: the word of bat, bat_?\d?/);
  });

  test('an object truly absent: the message quotes the text not recognised', () => {
    const r = m.match(template(P(2), P(3), 'table (a piece of furniture)'));
    expect((r as { message: string }).message).toBe(
      'expected the message to name exactly 3 distinct objects by their prompt texts ("{word} ({definition})") or words, found 2: cat, dog; ' +
        'not recognised: "table (a piece of furniture)"',
    );
    const free = m.match('cat, dog and a table');
    expect((free as { message: string }).message).toMatch(/found 2: cat, dog; not recognised: the rest of the text, "… , … and a table"/);
  });

  test('concept sets it cannot serve are rejected at construction', () => {
    expect(() => new ConceptMatcher(concepts([['a', 'x'], ['a', 'x'], ['b', 'y']]))).toThrow(InvalidArgumentError);
    expect(() => new ConceptMatcher(small.slice(0, 2))).toThrow(/at least 3/);
  });
});

const data = dataDirForTests(__dirname, 'THINGS concepts for the text matcher');
(data ? test : test.skip)('all 1,854 THINGS prompts: random triplets are recognised by the template and by the scan', () => {
  const things = loadThingsDirectory(join(data!, 'things')).concepts;
  const m = new ConceptMatcher(things);
  const rng = createRng(3);
  for (let t = 0; t < 500; t++) {
    const [a, b, c] = Array.from(rng.sampleWithoutReplacement(things.length, 3));
    const want = { objects: [a, b, c], texts: [things[a].prompt, things[b].prompt, things[c].prompt] };
    expect(m.match(template(things[a].prompt, things[b].prompt, things[c].prompt))).toEqual(want);
    expect(m.match(`Objects: ${JSON.stringify([things[a].prompt, things[b].prompt, things[c].prompt])}`)).toEqual(want);
  }
});

(data ? test : test.skip)('all 1,854 THINGS concepts, as clients write them: quoted definitions, lower case, words alone', () => {
  const things = loadThingsDirectory(join(data!, 'things')).concepts;
  // The definitions as the TSV holds them, quotes included (what a client that splits lines on tabs sends).
  const lines = readFileSync(join(data!, 'things', 'things_concepts.tsv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
  const header = lines[0].split('\t');
  const col = header.findIndex((h) => h.replace(/"/g, '').startsWith('Definition'));
  const raw = lines.slice(1).map((l, i) => `${things[i].word} (${l.split('\t')[col]})`);
  expect(raw.filter((r) => r.includes('"')).length).toBe(66);
  const m = new ConceptMatcher(things);
  // Every concept with its quotes kept is found, alongside two others.
  for (let i = 0; i < things.length; i++) {
    const [b, c] = [(i + 1) % things.length, (i + 2) % things.length];
    expect(m.match(template(raw[i], raw[b], raw[c]))).toMatchObject({ objects: [i, b, c] });
  }
  const homonym = new Set(things.filter((t) => things.some((u) => u !== t && u.word === t.word)).map((t) => t.index));
  const rng = createRng(5);
  for (let t = 0; t < 500; t++) {
    const [a, b, c] = Array.from(rng.sampleWithoutReplacement(things.length, 3));
    expect(m.match(template(raw[a].toUpperCase(), raw[b].replace(/ /g, '  '), raw[c].replace(/['"]/g, '')))).toMatchObject({ objects: [a, b, c] });
    if (![a, b, c].some((i) => homonym.has(i))) {
      expect(m.match(template(things[a].word, things[b].word, things[c].word))).toMatchObject({ objects: [a, b, c] });
    }
  }
});
