import { InvalidArgumentError } from '@conceptlab/core';
import { kFolds, splitFromTest, trainTestSplit } from './cross-validation.js';

describe('cross-validation splits', () => {
  test('contiguous k-fold as sklearn KFold: the first n mod k folds are one larger', () => {
    const f = kFolds(11, 3);
    expect(f.map((s) => Array.from(s.test))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]);
    expect(Array.from(f[1].train)).toEqual([0, 1, 2, 3, 8, 9, 10]);
  });

  test('shuffled folds are a seeded partition: reproducible, disjoint, covering', () => {
    const a = kFolds(20, 4, { shuffle: true, seed: 3 });
    const b = kFolds(20, 4, { shuffle: true, seed: 3 });
    const c = kFolds(20, 4, { shuffle: true, seed: 4 });
    expect(a.map((s) => Array.from(s.test))).toEqual(b.map((s) => Array.from(s.test)));
    expect(a.map((s) => Array.from(s.test))).not.toEqual(c.map((s) => Array.from(s.test)));
    expect(a.flatMap((s) => Array.from(s.test)).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  test('train/test splits from a fraction or from indices; bad ones are typed errors', () => {
    const s = trainTestSplit(50, 0.2, 7);
    expect(s.test.length).toBe(10);
    expect(s.train.length).toBe(40);
    expect(Array.from(trainTestSplit(50, 0.2, 7).test)).toEqual(Array.from(s.test));
    expect(Array.from(splitFromTest(5, [3, 1]).train)).toEqual([0, 2, 4]);
    expect(() => splitFromTest(5, [5])).toThrow(InvalidArgumentError);
    expect(() => splitFromTest(5, [1, 1])).toThrow(InvalidArgumentError);
    expect(() => splitFromTest(3, [0, 1])).toThrow(InvalidArgumentError);
    expect(() => trainTestSplit(50, 1)).toThrow(InvalidArgumentError);
    expect(() => kFolds(4, 5)).toThrow(InvalidArgumentError);
  });
});
