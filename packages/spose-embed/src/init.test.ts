import { createRng, InvalidArgumentError } from '@conceptlab/core';
import { initWeights } from './init.js';

describe('initWeights', () => {
  test('N(0.1, 0.01) from createRng(seed, 0), row-major, reproducible', () => {
    const w = initWeights(200, 50, 3);
    expect(w).toBeInstanceOf(Float32Array);
    expect(w.length).toBe(10000);
    let s = 0, s2 = 0;
    for (const x of w) {
      s += x;
      s2 += x * x;
    }
    const mean = s / w.length, sd = Math.sqrt(s2 / w.length - mean * mean);
    expect(mean).toBeCloseTo(0.1, 3);
    expect(sd).toBeCloseTo(0.01, 3);
    const rng = createRng(3, 0);
    expect(w[0]).toBe(Math.fround(rng.nextNormal(0.1, 0.01)));
    expect(w[1]).toBe(Math.fround(rng.nextNormal(0.1, 0.01))); // row 0, dim 1
    expect(Buffer.from(initWeights(200, 50, 3).buffer).equals(Buffer.from(w.buffer))).toBe(true);
    expect(initWeights(200, 50, 4)[0]).not.toBe(w[0]);
  });

  test('bad sizes', () => {
    expect(() => initWeights(0, 5, 1)).toThrow(InvalidArgumentError);
    expect(() => initWeights(5, 2.5, 1)).toThrow(InvalidArgumentError);
    expect(() => initWeights(5, 5, -1)).toThrow(InvalidArgumentError);
  });
});
