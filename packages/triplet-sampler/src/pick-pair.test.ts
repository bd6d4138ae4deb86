import { createRng } from '@conceptlab/core';
import { argmax3, writeAnswer } from './pick-pair.js';

describe('pick-pair helpers', () => {
  it('writes the kept pair in presentation order, then the odd one out', () => {
    const out = new Int32Array(9);
    writeAnswer(out, 0, 7, 8, 9, 0);
    writeAnswer(out, 3, 7, 8, 9, 1);
    writeAnswer(out, 6, 7, 8, 9, 2);
    expect(Array.from(out)).toEqual([7, 8, 9, 7, 9, 8, 8, 9, 7]);
  });

  it('argmax3 picks the largest and breaks exact ties uniformly', () => {
    const rng = createRng(1);
    expect(argmax3(1, 3, 2, rng)).toBe(1);
    expect(argmax3(-1, -3, -2, rng)).toBe(0);
    const hits = [0, 0, 0];
    for (let i = 0; i < 3000; i++) hits[argmax3(5, 1, 5, rng)]++;
    expect(hits[1]).toBe(0);
    expect(Math.abs(hits[0] - 1500)).toBeLessThan(150);
  });
});
