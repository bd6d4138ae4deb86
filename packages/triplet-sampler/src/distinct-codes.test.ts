import { createRng } from '@conceptlab/core';
import { sampleDistinctCodes, type CodeSpace } from './distinct-codes.js';

/** The codes 0..size−1. */
function range(size: number): CodeSpace {
  return {
    size,
    draw: (rng) => rng.nextInt(size),
    enumerate: () => Float64Array.from({ length: size }, (_, i) => i),
  };
}

describe('sampleDistinctCodes', () => {
  it('returns distinct codes, never excluded ones, on both paths', () => {
    const excluded = Float64Array.of(0, 5, 17, 99);
    for (const count of [10, 40, 96]) {
      const codes = sampleDistinctCodes(range(100), count, createRng(count), excluded);
      expect(codes).toHaveLength(count);
      expect(new Set(codes).size).toBe(count);
      for (const e of excluded) expect(codes.includes(e)).toBe(false);
    }
  });

  it('returns the codes in random (not sorted) order', () => {
    const codes = Array.from(sampleDistinctCodes(range(1_000_000), 1000, createRng(1)));
    expect(codes).not.toEqual([...codes].sort((a, b) => a - b));
  });

  it('needs repeated batches when draws collide, and still ends with exactly count codes', () => {
    // 30 of 61: many collisions in the first batch.
    const codes = sampleDistinctCodes(range(61), 30, createRng(2));
    expect(new Set(codes).size).toBe(30);
    expect(sampleDistinctCodes(range(61), 0, createRng(2))).toHaveLength(0);
  });
});
