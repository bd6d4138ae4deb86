import { inShard, parseShard, shardRowCount } from './shard.js';

describe('shards', () => {
  it('k of n holds rows with row % n === k − 1; every row is in exactly one shard', () => {
    expect(parseShard('2/3')).toEqual({ k: 2, n: 3 });
    expect(() => parseShard('4/3')).toThrow(/shard.k/);
    expect(() => parseShard('x')).toThrow(/k\/n/);
    for (let row = 0; row < 20; row++) expect([1, 2, 3].filter((k) => inShard(row, { k, n: 3 }))).toHaveLength(1);
    expect([1, 2, 3].map((k) => shardRowCount(10, { k, n: 3 }))).toEqual([4, 3, 3]);
    expect(shardRowCount(1, { k: 3, n: 3 })).toBe(0);
    expect(shardRowCount(7, null)).toBe(7);
  });
});
