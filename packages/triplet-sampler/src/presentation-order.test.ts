import { createRng } from '@conceptlab/core';
import { ORDERS_3, shuffleRows } from './presentation-order.js';

describe('shuffleRows', () => {
  it('gives every row one of the six orders, all about equally often', () => {
    const rows = 6000;
    const data = new Int32Array(rows * 3).map((_, i) => [10, 20, 30][i % 3]);
    shuffleRows(data, createRng(1));
    const seen = new Map<string, number>();
    for (let r = 0; r < rows; r++) {
      const key = Array.from(data.subarray(3 * r, 3 * r + 3)).join(' ');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    const expected = ORDERS_3.map((o) => o.map((i) => [10, 20, 30][i]).join(' ')).sort();
    expect([...seen.keys()].sort()).toEqual(expected);
    for (const c of seen.values()) expect(Math.abs(c - 1000)).toBeLessThan(160);
  });
});
