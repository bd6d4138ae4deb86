import { createRng } from '@conceptlab/core';
import { presentationOrder, presentedObjects, rowSeed } from './presentation.js';

describe('presentation order', () => {
  it('is createRng(rowSeed(seed, row)).permutation(3), a function of (seed, row) only', () => {
    for (const [seed, row] of [[0, 0], [42, 7], [2 ** 40, 4_700_000]]) {
      const p = createRng(rowSeed(seed, row)).permutation(3);
      expect(presentationOrder(seed, row)).toEqual([p[0], p[1], p[2]]);
    }
    // asking rows in any order gives the same orders
    const fwd = Array.from({ length: 50 }, (_, r) => presentationOrder(9, r).join());
    const back = Array.from({ length: 50 }, (_, i) => presentationOrder(9, 49 - i).join()).reverse();
    expect(back).toEqual(fwd);
    expect(presentedObjects(9, 3, 10, 20, 30)).toEqual(presentationOrder(9, 3).map((k) => [10, 20, 30][k]));
  });

  it('is close to uniform over the 6 orders and differs between seeds', () => {
    const counts = new Map<string, number>();
    for (let r = 0; r < 60000; r++) {
      const k = presentationOrder(1, r).join();
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 10000)).toBeLessThan(400); // ~4 sd
    let same = 0;
    for (let r = 0; r < 600; r++) if (presentationOrder(1, r).join() === presentationOrder(2, r).join()) same++;
    expect(same).toBeLessThan(160);
  });

  it('rejects bad seeds and rows', () => {
    expect(() => rowSeed(-1, 0)).toThrow(/seed/);
    expect(() => rowSeed(0, 1.5)).toThrow(/row/);
  });
});
