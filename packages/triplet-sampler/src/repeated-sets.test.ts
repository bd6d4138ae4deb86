import { InvalidArgumentError } from '@conceptlab/core';
import { allRowsValid, fingerprint, setKey } from '../test/helpers.js';
import { repeatedSets } from './repeated-sets.js';

describe('repeatedSets', () => {
  it('presents k distinct sets r times each, in r different orders (r ≤ 6)', () => {
    const k = 50, r = 4;
    const { triplets, setIndex } = repeatedSets({ nObjects: 100, sets: k, repeats: r, seed: 1 });
    expect(triplets.count).toBe(k * r);
    expect(allRowsValid(triplets, 100)).toBe(true);
    const rowsOf = new Map<number, number[]>();
    setIndex.forEach((s, row) => rowsOf.set(s, [...(rowsOf.get(s) ?? []), row]));
    expect(rowsOf.size).toBe(k);
    const keys = new Set<string>();
    for (const rows of rowsOf.values()) {
      expect(rows).toHaveLength(r);
      expect(new Set(rows.map((row) => setKey(triplets, row))).size).toBe(1);
      const orders = rows.map((row) => Array.from(triplets.data.subarray(3 * row, 3 * row + 3)).join(' '));
      expect(new Set(orders).size).toBe(r);
      keys.add(setKey(triplets, rows[0]));
    }
    expect(keys.size).toBe(k);
    // Repeats are spread out, not adjacent.
    let adjacent = 0;
    for (let row = 1; row < setIndex.length; row++) if (setIndex[row] === setIndex[row - 1]) adjacent++;
    expect(adjacent).toBeLessThan(10);
  });

  it('uses every order once per block of six when r > 6', () => {
    const { triplets, setIndex } = repeatedSets({ nObjects: 20, sets: 10, repeats: 8, seed: 2 });
    for (let s = 0; s < 10; s++) {
      const orders = new Map<string, number>();
      setIndex.forEach((x, row) => {
        if (x !== s) return;
        const o = Array.from(triplets.data.subarray(3 * row, 3 * row + 3)).join(' ');
        orders.set(o, (orders.get(o) ?? 0) + 1);
      });
      expect(orders.size).toBe(6);
      expect([...orders.values()].reduce((a, b) => a + b)).toBe(8);
      expect(Math.max(...orders.values())).toBeLessThanOrEqual(2);
    }
  });

  it('is reproducible and pinned; rejects bad arguments', () => {
    const a = repeatedSets({ nObjects: 1854, sets: 100, repeats: 3, seed: 42 });
    const b = repeatedSets({ nObjects: 1854, sets: 100, repeats: 3, seed: 42 });
    expect(b.triplets.data).toEqual(a.triplets.data);
    expect(b.setIndex).toEqual(a.setIndex);
    expect(fingerprint(a.triplets.data)).toBe(PINNED_HASH);
    expect(() => repeatedSets({ nObjects: 10, sets: 5, repeats: 0, seed: 1 })).toThrow(InvalidArgumentError);
    expect(() => repeatedSets({ nObjects: 4, sets: 5, repeats: 2, seed: 1 })).toThrow(/C\(4, 3\) = 4/);
  });
});

const PINNED_HASH = 'a4000e4f';
