import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conceptPrompt, loadThingsDirectory, parseCategoryTsv, parseConceptsTsv } from './things.js';
import { FileError, ParseError } from './errors.js';
import { dataDirForTests } from './data-dir.js';

describe('THINGS concept tables', () => {
  const HEADER = 'Word\tuniqueID\tOther\t"Definition (from WordNet, Google, or Wikipedia)"\n';

  test('columns by header name, quoted fields, prompt text without quotes', () => {
    const c = parseConceptsTsv(HEADER + 'bat\tbat1\tx\t"nocturnal ""flying"" mammal"\nbat\tbat2\ty\tclub used in baseball\n', 'c.tsv');
    expect(c).toEqual([
      { index: 0, id: 'bat1', word: 'bat', definition: 'nocturnal "flying" mammal', prompt: 'bat (nocturnal flying mammal)' },
      { index: 1, id: 'bat2', word: 'bat', definition: 'club used in baseball', prompt: 'bat (club used in baseball)' },
    ]);
    expect(conceptPrompt('cow', 'female of domestic cattle: "`moo-cow\' is a child\'s term"')).toBe("cow (female of domestic cattle: `moo-cow' is a child's term)");
  });

  test('errors name the file and line', () => {
    expect(() => parseConceptsTsv('Word\tDefinition\n', 'c.tsv')).toThrow('c.tsv:1: expected a header column named "uniqueID"');
    expect(() => parseConceptsTsv(HEADER + 'a\ta1\tx\n', 'c.tsv')).toThrow('c.tsv:2: expected 4 tab-separated columns');
    expect(() => parseConceptsTsv(HEADER + 'a\ta1\tx\td\nb\ta1\tx\td\n', 'c.tsv')).toThrow(/c\.tsv:3: column 2: expected a unique uniqueID/);
  });

  test('category membership', () => {
    const m = parseCategoryTsv('animal\ttool\n1\t0\n0\t1\n1\t1\n', 'cat.tsv', 3);
    expect(m.names).toEqual(['animal', 'tool']);
    expect(Array.from(m.membership.data)).toEqual([1, 0, 0, 1, 1, 1]);
    expect(() => parseCategoryTsv('a\tb\n1\t2\n', 'cat.tsv')).toThrow(ParseError);
    expect(() => parseCategoryTsv('a\tb\n1\t2\n', 'cat.tsv')).toThrow('cat.tsv:2: column 2: expected 0 or 1, found "2"');
    expect(() => parseCategoryTsv('a\n1\n', 'cat.tsv', 2)).toThrow('cat.tsv: expected 2 object rows');
  });

  test('a directory without the concepts table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-things-'));
    expect(() => loadThingsDirectory(dir)).toThrow(FileError);
    writeFileSync(join(dir, 'things_concepts.tsv'), HEADER + 'a\ta1\tx\tdef a\n');
    const set = loadThingsDirectory(dir);
    expect(set.concepts).toHaveLength(1);
    expect(set.categories).toBeUndefined();
  });

  test('a non-THINGS directory names its category table categories.tsv; two tables are an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-things-'));
    writeFileSync(join(dir, 'things_concepts.tsv'), HEADER + 'a\ta1\tx\tdef a\nb\tb1\tx\tdef b\n');
    writeFileSync(join(dir, 'categories.tsv'), 'animal\ttool\tplant\n1\t0\t0\n0\t0\t1\n');
    const set = loadThingsDirectory(dir);
    expect(set.categories!.names).toEqual(['animal', 'tool', 'plant']);
    expect(Array.from(set.categories!.membership.data)).toEqual([1, 0, 0, 0, 0, 1]);
    writeFileSync(join(dir, 'category27.tsv'), 'animal\n1\n0\n');
    expect(() => loadThingsDirectory(dir)).toThrow(FileError);
    expect(() => loadThingsDirectory(dir)).toThrow('two category tables');
  });

  const data = dataDirForTests(__dirname, 'THINGS concepts');
  (data ? test : test.skip)('loads the real THINGS directory', () => {
    const set = loadThingsDirectory(join(data!, 'things'));
    expect(set.concepts).toHaveLength(1854);
    expect(new Set(set.concepts.map((c) => c.id)).size).toBe(1854);
    expect(set.concepts[0]).toMatchObject({
      index: 0,
      id: 'aardvark',
      word: 'aardvark',
      prompt: 'aardvark (nocturnal burrowing mammal of the grasslands of Africa that feeds on termites; sole extant representative of the order Tubulidentata)',
    });
    const cow = set.concepts.find((c) => c.id === 'cow')!;
    expect(cow.prompt).not.toContain('"');
    expect(set.categories!.names).toHaveLength(27);
    expect(set.categories!.names[0]).toBe('animal');
    let inAny = 0;
    for (let i = 0; i < 1854; i++) {
      let any = false;
      for (let j = 0; j < 27; j++) any ||= set.categories!.membership.data[i * 27 + j] === 1;
      if (any) inAny++;
    }
    expect(inAny).toBe(1295);
  });
});
