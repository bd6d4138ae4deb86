import { InvalidArgumentError, ShapeError } from '@conceptlab/core';
import { rdmFromVector } from '../rdm/rdm.js';
import { normaliseByCeiling, repeatNoiseCeiling } from './repeat-noise-ceiling.js';

describe('repeatNoiseCeiling', () => {
  // Three repeats over 3 conditions (3 dissimilarities each); mean = [2, 2, 2.6666…].
  const r1 = rdmFromVector([1, 2, 3]);
  const r2 = rdmFromVector([2, 1, 3]);
  const r3 = rdmFromVector([3, 3, 2]);

  test('max over repeats of the Pearson r with the mean of the repeats (hand-computed)', () => {
    const nc = repeatNoiseCeiling([r1, r2, r3]);
    // mean m = [2, 2, 8/3]: centred [-2/9, -2/9, 4/9]·… ∝ [-1, -1, 2].
    // r(m, r1) = r([-1,-1,2], [-1,0,1]) = 3/√(6·2) = √3/2; r(m, r2) = the same; r(m, r3) = r([-1,-1,2], [1/3,1/3,-2/3]) = −1.
    expect(nc.perRepeat[0]).toBeCloseTo(Math.sqrt(3) / 2, 14);
    expect(nc.perRepeat[1]).toBeCloseTo(Math.sqrt(3) / 2, 14);
    expect(nc.perRepeat[2]).toBeCloseTo(-1, 14);
    expect(nc.ceiling).toBeCloseTo(Math.sqrt(3) / 2, 14);
  });

  test('identical repeats have ceiling 1; another comparator is passed through', () => {
    expect(repeatNoiseCeiling([r1, r1]).ceiling).toBeCloseTo(1, 14);
    expect(repeatNoiseCeiling([r1, r2, r3], 'spearman').perRepeat[2]).toBeCloseTo(-1, 14);
  });

  test('bad input is a typed error', () => {
    expect(() => repeatNoiseCeiling([r1])).toThrow(InvalidArgumentError);
    expect(() => repeatNoiseCeiling([r1, rdmFromVector([1, 2, 3, 4, 5, 6])])).toThrow(ShapeError);
  });

  test('normaliseByCeiling divides, and a ceiling ≤ 0 gives NaN', () => {
    expect(normaliseByCeiling([0.2, 0.4], 0.8)).toEqual([0.25, 0.5]);
    expect(normaliseByCeiling([0.2], 0)).toEqual([NaN]);
  });
});
