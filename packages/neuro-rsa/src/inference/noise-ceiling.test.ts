import { InvalidArgumentError } from '@conceptlab/core';
import { compareRdms } from './compare.js';
import { rdmNoiseCeiling } from './noise-ceiling.js';
import { poolRdm } from '../rdm/pool-rdm.js';
import { meanRdm, rdmFromVector } from '../rdm/rdm.js';

const subjects = [
  rdmFromVector([1, 2, 3, 4, 5, 6]),
  rdmFromVector([2, 1, 3, 5, 4, 6]),
  rdmFromVector([1, 3, 2, 4, 6, 5]),
];

test("pooling 'mean': upper compares each subject with the mean of all, lower with the mean of the others", () => {
  const nc = rdmNoiseCeiling(subjects, 'corr', { pooling: 'mean' });
  const all = meanRdm(subjects);
  const upper = subjects.reduce((s, r) => s + compareRdms(all, r, 'corr'), 0) / 3;
  const lower = subjects.reduce((s, r, i) => s + compareRdms(meanRdm(subjects.filter((_, j) => j !== i)), r, 'corr'), 0) / 3;
  expect(nc.upper).toBe(upper);
  expect(nc.lower).toBe(lower);
  expect(nc.lower).toBeLessThan(nc.upper);
});

test('default pooling is rsatoolbox pool_rdm', () => {
  for (const method of ['corr', 'spearman', 'tau-a', 'cosine_cov'] as const) {
    const nc = rdmNoiseCeiling(subjects, method);
    const upper = subjects.reduce((s, r) => s + compareRdms(poolRdm(subjects, method), r, method), 0) / 3;
    const lower = subjects.reduce((s, r, i) => s + compareRdms(poolRdm(subjects.filter((_, j) => j !== i), method), r, method), 0) / 3;
    expect(nc.upper).toBe(upper);
    expect(nc.lower).toBe(lower);
  }
});

test('numpy reference (literal port of boot_noise_ceiling + pool_rdm), within 1e-12', () => {
  // [lower, upper] of the three subjects above; tau-a = 11/15 and 37/45 by hand-countable sign sums.
  const REF = {
    corr: [0.8539860549995941, 0.9343531843023135],
    spearman: [0.862974231036183, 0.9238095238095237],
    'tau-a': [11 / 15, 37 / 45],
    cosine_cov: [0.9148264856659649, 0.9621167092064838],
    corr_cov: [0.7497657484674253, 0.8883513602226376],
  } as const;
  for (const [method, [lower, upper]] of Object.entries(REF)) {
    const nc = rdmNoiseCeiling(subjects, method as keyof typeof REF);
    expect(Math.abs(nc.lower - lower)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(nc.upper - upper)).toBeLessThanOrEqual(1e-12);
  }
  // Two subjects, corr: lower = corr(b, a) (z-scoring and shifting do not change Pearson r) = 16.5 / 17.5.
  const two = [subjects[0]!, rdmFromVector([1, 2, 4, 3, 5, 6])];
  expect(rdmNoiseCeiling(two, 'corr').lower).toBeCloseTo(16.5 / 17.5, 14);
});

test('identical subjects give a ceiling of 1', () => {
  const nc = rdmNoiseCeiling([subjects[0]!, subjects[0]!], 'spearman');
  expect(nc.lower).toBeCloseTo(1, 14);
  expect(nc.upper).toBeCloseTo(1, 14);
});

test('bad arguments', () => {
  expect(() => rdmNoiseCeiling([subjects[0]!], 'corr')).toThrow(InvalidArgumentError);
  expect(() => rdmNoiseCeiling(subjects, 'corr', { pooling: 'median' as never })).toThrow(InvalidArgumentError);
});
