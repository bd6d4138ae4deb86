import { InvalidArgumentError } from '@conceptlab/core';
import { compareRdms } from './compare.js';
import { noiseCeiling } from './noise-ceiling.js';
import { meanRdm, rdmFromVector } from './rdm.js';

const subjects = [
  rdmFromVector([1, 2, 3, 4, 5, 6]),
  rdmFromVector([2, 1, 3, 5, 4, 6]),
  rdmFromVector([1, 3, 2, 4, 6, 5]),
];

test('upper compares each subject with the mean of all, lower with the mean of the others', () => {
  const nc = noiseCeiling(subjects, 'corr');
  const all = meanRdm(subjects);
  const upper = subjects.reduce((s, r) => s + compareRdms(r, all, 'corr'), 0) / 3;
  const lower = subjects.reduce((s, r, i) => s + compareRdms(r, meanRdm(subjects.filter((_, j) => j !== i)), 'corr'), 0) / 3;
  expect(nc.upper).toBe(upper);
  expect(nc.lower).toBe(lower);
  expect(nc.lower).toBeLessThan(nc.upper);
});

test('identical subjects give a ceiling of 1', () => {
  const nc = noiseCeiling([subjects[0]!, subjects[0]!], 'spearman');
  expect(nc.lower).toBeCloseTo(1, 14);
  expect(nc.upper).toBeCloseTo(1, 14);
});

test('needs at least two subjects', () => {
  expect(() => noiseCeiling([subjects[0]!], 'corr')).toThrow(InvalidArgumentError);
});
