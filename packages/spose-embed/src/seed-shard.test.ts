import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readShardRecords, shardFile, shardSeeds, writeShardRecord } from './seed-shard.js';

describe('seed shards', () => {
  test('shard k of n runs the seeds at positions p with p % n = k − 1; the shards cover every seed once', () => {
    const seeds = [42, 7, 0, 13, 5];
    expect(shardSeeds(seeds, { k: 1, n: 3 })).toEqual([42, 13]);
    expect(shardSeeds(seeds, { k: 2, n: 3 })).toEqual([7, 5]);
    expect(shardSeeds(seeds, { k: 3, n: 3 })).toEqual([0]);
    expect(shardSeeds(seeds, { k: 1, n: 1 })).toEqual(seeds);
    expect(shardSeeds(seeds, { k: 5, n: 5 })).toEqual([5]);
    for (let n = 1; n <= seeds.length; n++) {
      const all = Array.from({ length: n }, (_, i) => shardSeeds(seeds, { k: i + 1, n })).flat();
      expect([...all].sort((a, b) => a - b)).toEqual([...seeds].sort((a, b) => a - b));
    }
  });

  test('bad shards are refused naming the field', () => {
    expect(() => shardSeeds([1, 2], { k: 0, n: 2 })).toThrow(/^shard\.k: expected an integer in \[1, 2\], got 0$/);
    expect(() => shardSeeds([1, 2], { k: 3, n: 2 })).toThrow(/shard\.k/);
    expect(() => shardSeeds([1, 2], { k: 1, n: 0 })).toThrow(/shard\.n: expected an integer ≥ 1/);
    expect(() => shardSeeds([1, 2], { k: 1.5, n: 2 })).toThrow(/shard\.k/);
    expect(() => shardSeeds([1, 2], { k: 1, n: 3 })).toThrow(/shard\.n: expected at most 2, the number of seeds/);
  });

  test('records are written and read back (by n, then k); none in a plain folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cl-shard-'));
    expect(readShardRecords(dir)).toEqual([]);
    expect(readShardRecords(join(dir, 'absent'))).toEqual([]);
    writeShardRecord(dir, [3, 1, 2], { k: 2, n: 2 });
    writeShardRecord(dir, [3, 1, 2], { k: 1, n: 2 });
    expect(shardFile({ k: 2, n: 2 })).toBe('shard-2-of-2.json');
    expect(readShardRecords(dir)).toEqual([
      { file: join(dir, 'shard-1-of-2.json'), shard: { k: 1, n: 2 }, seeds: [3, 1, 2], ran: [3, 2] },
      { file: join(dir, 'shard-2-of-2.json'), shard: { k: 2, n: 2 }, seeds: [3, 1, 2], ran: [1] },
    ]);
  });

  test('a record that contradicts its name or the shard rule is a ParseError naming the file', () => {
    const cases: [string, string][] = [
      ['shard-1-of-2.json', '{not json'],
      ['shard-1-of-2.json', JSON.stringify({ shard: { k: 2, n: 2 }, seeds: [1, 2], ran: [2] })],
      ['shard-1-of-2.json', JSON.stringify({ shard: { k: 1, n: 2 }, seeds: [1, 2], ran: [2] })],
      ['shard-1-of-2.json', JSON.stringify({ shard: { k: 1, n: 2 }, seeds: [1, 1], ran: [1] })],
      ['shard-3-of-2.json', JSON.stringify({ shard: { k: 3, n: 2 }, seeds: [1, 2], ran: [] })],
      ['shard-1-of-3.json', JSON.stringify({ shard: { k: 1, n: 3 }, seeds: [1, 2], ran: [1] })],
    ];
    for (const [name, text] of cases) {
      const dir = mkdtempSync(join(tmpdir(), 'cl-shard-bad-'));
      writeFileSync(join(dir, name), text);
      expect(() => readShardRecords(dir)).toThrow(expect.objectContaining({ _tag: 'ParseError', file: join(dir, name) }));
    }
  });
});
