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
