import { InvalidArgumentError } from '@conceptlab/core';
import { fdrCorrection } from './fdr.js';

describe('fdrCorrection (Benjamini–Hochberg)', () => {
  it('matches scipy.stats.false_discovery_control(p, method="bh")', () => {
    const p = [0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.04, 0.9, 0.0001, 1.0];
    // scipy 1.17: false_discovery_control(p, method='bh')
    const ref = [
      0.03333333333333333, 0.06666666666666667, 0.06666666666666667, 0.025, 0.625, 0.28571428571428575,
      0.06666666666666667, 1.0, 0.001, 1.0,
    ];
    const { adjusted, rejected } = fdrCorrection(p);
    ref.forEach((r, k) => expect(adjusted[k]).toBeCloseTo(r, 14));
    expect(rejected).toEqual([true, false, false, true, false, false, false, false, true, false]);
    expect(fdrCorrection(p, 0.1).rejected).toEqual([true, true, true, true, false, false, true, false, true, false]);
  });

  it('applies the step-up rule (hand case: all adjusted to the largest p·m/i)', () => {
    // p·m/i = 0.08, 0.06, 0.0533…, 0.05 → running minimum from the top gives 0.05 everywhere.
    const { adjusted, rejected } = fdrCorrection([0.02, 0.03, 0.04, 0.05]);
    adjusted.forEach((a) => expect(a).toBeCloseTo(0.05, 15));
    expect(rejected).toEqual([true, true, true, true]);
  });

  it('clips at 1 and handles empty input', () => {
    expect(Array.from(fdrCorrection([0.9, 0.95]).adjusted)).toEqual([0.95, 0.95]);
    expect(fdrCorrection([]).rejected).toEqual([]);
  });

  it('rejects bad arguments', () => {
    expect(() => fdrCorrection([0.1, NaN])).toThrow(InvalidArgumentError);
    expect(() => fdrCorrection([1.5])).toThrow(InvalidArgumentError);
    expect(() => fdrCorrection([-0.1])).toThrow(InvalidArgumentError);
    expect(() => fdrCorrection([0.1], 0)).toThrow(InvalidArgumentError);
    expect(() => fdrCorrection([0.1], 1.5)).toThrow(InvalidArgumentError);
  });
});
