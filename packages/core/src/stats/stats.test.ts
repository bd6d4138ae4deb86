import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectClose } from '../../../../test-support/expect-close.js';
import { fisherBootstrapCi, matlabPrctile, mean, sampleSd } from './index.js';

// numpy reference values: packages/core/reference/stats_reference.py → stats_reference.json
const REF = JSON.parse(readFileSync(join(__dirname, '../../reference/stats_reference.json'), 'utf8')) as {
  prctile_sin1000: Record<string, number>;
  prctile_sin7: Record<string, number>;
  sd_sin1000: number;
  fisher: { low: number; high: number; sdZ: number };
};
const sin = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(1.7 * i));

describe('matlabPrctile (MATLAB prctile = numpy method="hazen")', () => {
  test('hand-computed: n = 4 puts the p-th percentile at 4p/100 + 0.5', () => {
    const x = [40, 10, 30, 20];
    expect(matlabPrctile(x, 50)).toBe(25); // position 2.5
    expect(matlabPrctile(x, 25)).toBe(15); // position 1.5
    expect(matlabPrctile(x, 10)).toBe(10); // position 0.9 → clamped to x₁
    expect(matlabPrctile(x, 95)).toBe(40); // position 4.3 → clamped to xₙ
    expect(matlabPrctile([7], 2.5)).toBe(7);
  });
  test('n = 1000: the 2.5th and 97.5th are the means of the 25th/26th and 975th/976th sorted values', () => {
    const x = sin(1000);
    const s = [...x].sort((a, b) => a - b);
    expect(matlabPrctile(x, 2.5)).toBe((s[24] + s[25]) / 2);
    expect(matlabPrctile(x, 97.5)).toBe((s[974] + s[975]) / 2);
  });
  test('equals numpy hazen on 1,000 and 7 values at 9 percentiles', () => {
    for (const [p, v] of Object.entries(REF.prctile_sin1000)) expectClose(matlabPrctile(sin(1000), Number(p)), v, { abs: 1e-15 });
    for (const [p, v] of Object.entries(REF.prctile_sin7)) expectClose(matlabPrctile(sin(7), Number(p)), v, { abs: 1e-15 });
  });
  test('NaN is missing; an empty input is NaN; p outside [0, 100] throws', () => {
    expect(matlabPrctile([NaN, 1, 3, NaN], 50)).toBe(2);
    expect(matlabPrctile([NaN], 50)).toBeNaN();
    expect(() => matlabPrctile([1, 2], 101)).toThrow(/percentile in \[0, 100\]/);
  });
});

describe('mean / sampleSd', () => {
  test('hand-computed and numpy', () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 15);
    expectClose(sampleSd(sin(1000)), REF.sd_sin1000, { rel: 1e-14 });
    expect(sampleSd([5])).toBeNaN();
  });
});

describe('fisherBootstrapCi', () => {
  test('tanh(atanh(r) ± 1.96·SD of bootstrap z) equals numpy', () => {
    const rb = Array.from({ length: 200 }, (_, i) => 0.5 + 0.1 * Math.sin(i));
    const ci = fisherBootstrapCi(0.51, rb);
    expectClose([ci.low, ci.high, ci.sdZ], [REF.fisher.low, REF.fisher.high, REF.fisher.sdZ], { rel: 1e-13 });
    expect(ci.used).toBe(200);
  });
  test('centred on the observed r in z, not on the bootstrap mean', () => {
    const ci = fisherBootstrapCi(0.2, [0.8, 0.81, 0.79]);
    expect(Math.atanh(ci.high) - Math.atanh(0.2)).toBeCloseTo(Math.atanh(0.2) - Math.atanh(ci.low), 12);
  });
  test('NaN and |r| = 1 resamples are left out and counted', () => {
    const ci = fisherBootstrapCi(0.5, [NaN, 1, 0.4, 0.6]);
    expect(ci.used).toBe(2);
    expect(Number.isFinite(ci.low)).toBe(true);
    expect(fisherBootstrapCi(0.5, [0.4]).low).toBeNaN();
  });
});
