import { join } from 'node:path';
import { ParseError } from '../errors.js';
import { parseNoiseCeilingTsv, readNoiseCeilingTsv } from './noise-ceiling-tsv.js';
import { tripletsToRows } from '../triplets.js';
import { dataDirForTests } from '../data-dir.js';

describe('THINGS noise-ceiling TSV', () => {
  test('1-based objects and choice positions become 0-based, odd one out last', () => {
    const r = parseNoiseCeilingTsv('10\t20\t30\t1\t5\n10\t20\t30\t3\t6\n1 2 3 2 7\n', 'nc.tsv');
    expect(tripletsToRows(r.presented)).toEqual([
      [9, 19, 29],
      [9, 19, 29],
      [0, 1, 2],
    ]);
    expect(tripletsToRows(r.answered)).toEqual([
      [19, 29, 9],
      [9, 19, 29],
      [0, 2, 1],
    ]);
    expect(Array.from(r.choice)).toEqual([0, 2, 1]);
    expect(Array.from(r.subject)).toEqual([5, 6, 7]);
  });

  test('an optional header line', () => {
    expect(parseNoiseCeilingTsv('obj1\tobj2\tobj3\tchoice\tsubject\n1\t2\t3\t1\t1\n').answered.count).toBe(1);
  });

  test.each([
    ['1\t2\t3\t1\n', 'nc.tsv:1:', /5 columns/],
    ['1\t2\t3\t4\t1\n', 'nc.tsv:1: column 4:', /choice position in \{1, 2, 3\}, found 4/],
    ['0\t2\t3\t1\t1\n', 'nc.tsv:1: column 1:', /1-based object number/],
    ['1\t2\t3\t1\t1\n1\t2\t2\t1\t1\n', 'nc.tsv:2:', /three distinct objects/],
    ['1\t2\tthree\t1\t1\n', 'nc.tsv:1: column 3:', /an integer, found "three"/],
    ['1\t2\t1855\t1\t1\n', 'nc.tsv:1: column 3:', /\[1, 1854\]/],
  ])('rejects %j', (text, at, re) => {
    let err: unknown;
    try {
      parseNoiseCeilingTsv(text, 'nc.tsv', { nObjects: 1854 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as Error).message.startsWith(at)).toBe(true);
    expect((err as Error).message).toMatch(re);
  });

  const data = dataDirForTests(__dirname, 'THINGS noise-ceiling triplets');
  (data ? test : test.skip)('reads the real THINGS noise-ceiling file', () => {
    const r = readNoiseCeilingTsv(join(data!, 'things', 'human_noise_ceiling_triplets.tsv'), { nObjects: 1854 });
    expect(r.answered.count).toBe(20000);
    // First line of the file: 128 1107 734 1 272 → odd one out is object 128 (0-based 127).
    expect(tripletsToRows(r.answered).slice(0, 1)).toEqual([[1106, 733, 127]]);
    expect(r.subject[0]).toBe(272);
    const sets = new Set<string>();
    for (let i = 0; i < r.presented.count; i++) {
      sets.add(Array.from(r.presented.data.subarray(3 * i, 3 * i + 3)).sort((a, b) => a - b).join(','));
    }
    expect(sets.size).toBe(1000);
  });
});
