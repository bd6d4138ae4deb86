import { join } from 'node:path';
import { createRng, dataDirForTests, InvalidArgumentError, loadThingsDirectory } from '@conceptlab/core';
import { PETS, text, ctx } from '../../test/parse-fixtures.js';
import { parseReply } from './index.js';

describe('contract', () => {
  it('rejects an invalid context', () => {
    expect(() => parseReply(text('x'), { ...PETS, words: ['a', 'b'] as never })).toThrow(InvalidArgumentError);
    expect(() => parseReply(text('x'), { ...PETS, mode: 'audio' as never })).toThrow(InvalidArgumentError);
  });
});

describe('real THINGS concepts', () => {
  const dir = dataDirForTests(__dirname, 'parseReply over THINGS concepts');
  (dir ? test : test.skip)('the server format parses to the right position for 2,000 distinct random triplets', () => {
    const { concepts } = loadThingsDirectory(join(dir!, 'things'));
    const rng = createRng(20240611);
    const seen = new Set<string>();
    const failures: string[] = [];
    while (seen.size < 2000) {
      const [a, b, c] = rng.sampleWithoutReplacement(concepts.length, 3);
      const key = [a, b, c].sort((x, y) => x - y).join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      const objs = [concepts[a], concepts[b], concepts[c]];
      const position = rng.nextInt(3) as 0 | 1 | 2;
      const c3 = ctx([objs[0].prompt, objs[1].prompt, objs[2].prompt], [objs[0].word, objs[1].word, objs[2].word]);
      const reply = `The odd one out is '${objs[position].prompt}'. It has the least in common with the other objects.`;
      const r = parseReply(text(reply), c3);
      if (r.status !== 'parsed' || r.position !== position || r.via !== 'name') failures.push(`${JSON.stringify(c3.objectTexts)} @${position}: ${JSON.stringify(r)}`);
    }
    expect(failures).toEqual([]);
  });
});
