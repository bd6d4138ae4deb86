import { InvalidArgumentError } from '@conceptlab/core';
import { categoricalRdm } from './categorical-rdm.js';
import { compareRdms } from '../inference/compare.js';
import { rdmFromVector } from './rdm.js';

describe('categoricalRdm', () => {
  test('0 within a category, 1 across, in upper-triangle order', () => {
    // labels a a b c: pairs (0,1) (0,2) (0,3) (1,2) (1,3) (2,3)
    expect(Array.from(categoricalRdm([0, 0, 1, 2]).vector)).toEqual([0, 1, 1, 1, 1, 1]);
    expect(Array.from(categoricalRdm([3, 1, 3]).vector)).toEqual([1, 0, 1]);
  });

  test('a condition without a category has NaN dissimilarities and drops out of comparisons', () => {
    const r = categoricalRdm([0, -1, 0, 1]);
    expect(Array.from(r.vector)).toEqual([NaN, 0, 1, NaN, NaN, 1]);
    // A model RDM over the same 4 conditions: only pairs (0,2) (0,3) (2,3) count → Pearson of [0,1,1] with [1,2,3].
    const model = rdmFromVector([9, 1, 2, -4, 7, 3]);
    const x = [0, 1, 1];
    const y = [1, 2, 3];
    const mx = 2 / 3;
    const my = 2;
    const num = x.reduce((s, v, i) => s + (v - mx) * (y[i]! - my), 0);
    const den = Math.sqrt(x.reduce((s, v) => s + (v - mx) ** 2, 0) * y.reduce((s, v) => s + (v - my) ** 2, 0));
    expect(compareRdms(r, model, 'corr')).toBeCloseTo(num / den, 14);
  });

  test('bad labels are typed errors', () => {
    expect(() => categoricalRdm([0])).toThrow(InvalidArgumentError);
    expect(() => categoricalRdm([0, 1.5])).toThrow('labels[1]');
    expect(() => categoricalRdm([0, -2])).toThrow(InvalidArgumentError);
  });
});
