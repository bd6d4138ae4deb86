import { createTriplets, InvalidArgumentError, type Triplets } from '@conceptlab/core';
import { fingerprint } from '../test/helpers.js';
import { splitTriplets } from './split-triplets.js';

function numbered(n: number): Triplets {
  // Row r is (r, r + 1, r + 2): its first value names it.
  return createTriplets(Array.from({ length: n }, (_, r) => [r, r + 1, r + 2]));
}
const firstColumn = (t: Triplets): number[] => Array.from({ length: t.count }, (_, r) => t.data[3 * r]);

describe('splitTriplets', () => {
  it('sizes by hand: validation and test round down, train takes the rest', () => {
    // N = 10, [0.7, 0.2]: test = 1 − 0.9 → ⌊1.0⌋ = 1, validation ⌊2⌋ = 2, train 7.
    let s = splitTriplets(numbered(10), { fractions: [0.7, 0.2], seed: 1 });
    expect([s.train.count, s.validation.count, s.test.count]).toEqual([7, 2, 1]);
    // N = 11, 0.8/0.1/0.1: validation ⌊1.1⌋ = 1, test ⌊1.1⌋ = 1, train 9 (⌊8.8⌋ = 8 plus the 1 left over).
    s = splitTriplets(numbered(11), { fractions: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 });
    expect([s.train.count, s.validation.count, s.test.count]).toEqual([9, 1, 1]);
    // N = 30, { train 0.9, validation 0.1 }: validation ⌊3.0000000000000004⌋ = 3, no test.
    s = splitTriplets(numbered(30), { fractions: { train: 0.9, validation: 0.1 }, seed: 1 });
    expect([s.train.count, s.validation.count, s.test.count]).toEqual([27, 3, 0]);
    // N = 10, [0.3, 0.7]: ⌊6.999999999999999⌋ would give 6; the 1e-9 tolerance gives 7.
    s = splitTriplets(numbered(10), { fractions: [0.3, 0.7], seed: 1 });
    expect([s.train.count, s.validation.count, s.test.count]).toEqual([3, 7, 0]);
  });

  it('is a disjoint, covering partition that keeps the original order within parts', () => {
    const s = splitTriplets(numbered(1000), { fractions: [0.6, 0.25, 0.15], seed: 7 });
    const all = [...firstColumn(s.train), ...firstColumn(s.validation), ...firstColumn(s.test)];
    expect(all).toHaveLength(1000);
    expect(new Set(all).size).toBe(1000);
    for (const part of [s.train, s.validation, s.test]) {
      const f = firstColumn(part);
      expect(f).toEqual([...f].sort((a, b) => a - b));
    }
    expect(Array.from(s.indices.validation)).toEqual(firstColumn(s.validation));
    expect([s.train.count, s.validation.count, s.test.count]).toEqual([600, 250, 150]);
  });

  it('is random but reproducible', () => {
    const t = numbered(200);
    const a = splitTriplets(t, { fractions: [0.5, 0.5], seed: 3 });
    const b = splitTriplets(t, { fractions: [0.5, 0.5], seed: 3 });
    const c = splitTriplets(t, { fractions: [0.5, 0.5], seed: 4 });
    expect(b.train.data).toEqual(a.train.data);
    expect(c.train.data).not.toEqual(a.train.data);
    expect(firstColumn(a.train)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(fingerprint(a.indices.train)).toBe(PINNED_HASH);
  });

  it('rejects fractions that are not a partition', () => {
    const t = numbered(10);
    expect(() => splitTriplets(t, { fractions: [0.8, 0.3], seed: 1 })).toThrow(/train \+ validation ≤ 1/);
    expect(() => splitTriplets(t, { fractions: [0.5, 0.2, 0.2], seed: 1 })).toThrow(/sum|= 1/);
    expect(() => splitTriplets(t, { fractions: { train: -0.1, validation: 0.5 }, seed: 1 })).toThrow(InvalidArgumentError);
    expect(() => splitTriplets(t, { fractions: [0.5] as unknown as [number, number], seed: 1 })).toThrow(InvalidArgumentError);
  });
});

const PINNED_HASH = '885dc9db';
