import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@conceptlab/core';
import { expectClose as expectCloseTol } from '../../../../test-support/expect-close.js';
import { linearRegression, regularizedIncompleteBeta, studentTCdf, studentTSf, studentTTwoSidedP } from './student-t.js';

// Values from scipy (test/reference/scipy_student_t.py → test/fixtures/scipy-student-t.json).
interface Fixture {
  t: { t: number; df: number; sf: number; cdf: number }[];
  betainc: { x: number; a: number; b: number; value: number }[];
  linregress: { kind: string; y: number[]; slope: number; intercept: number; r: number; p: number; stderr: number }[];
}
const fx: Fixture = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/scipy-student-t.json'), 'utf8'));

/** |a − b| ≤ rel·|b| (+ a tiny absolute floor for values that are 0), through the shared expectClose. */
const expectClose = (a: number, b: number, rel: number): void => expectCloseTol(a, b, { rel, abs: 1e-300 });

describe('Student t against scipy', () => {
  test.each(fx.betainc)('betainc(a=$a, b=$b, x=$x)', ({ x, a, b, value }) => {
    expectClose(regularizedIncompleteBeta(x, a, b), value, 1e-11);
  });

  test.each(fx.t)('t.sf / t.cdf at t=$t, df=$df', ({ t, df, sf, cdf }) => {
    const rel = df > 1000 ? 1e-9 : 1e-11; // log Γ of huge arguments cancels
    expectClose(studentTSf(t, df), sf, rel);
    expectClose(studentTCdf(t, df), cdf, rel);
    expectClose(studentTTwoSidedP(t, df), 2 * Math.min(sf, cdf), rel);
  });

  test.each(fx.linregress)('linregress: $kind', ({ y, slope, intercept, r, p, stderr }) => {
    const fit = linearRegression(y);
    expectClose(fit.slope, slope, 1e-9);
    expectClose(fit.intercept, intercept, 1e-12);
    expectClose(fit.r, r, 1e-9);
    expectClose(fit.pValue, p, 1e-7);
    expectClose(fit.stderr, stderr, 1e-9);
  });

  test('edge cases', () => {
    expect(studentTSf(Infinity, 3)).toBe(0);
    expect(studentTSf(-Infinity, 3)).toBe(1);
    expect(studentTTwoSidedP(0, 7)).toBe(1);
    expect(studentTSf(NaN, 3)).toBeNaN();
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    // Constant y: r = 0, p = 1 (scipy's convention); two points: p is 1 for equal values, else 0.
    expect(linearRegression([2, 2, 2, 2])).toMatchObject({ slope: 0, r: 0, pValue: 1 });
    expect(linearRegression([1, 3]).pValue).toBe(0);
    expect(linearRegression([1, 1]).pValue).toBe(1);
    expect(() => studentTSf(1, 0)).toThrow(InvalidArgumentError);
    expect(() => linearRegression([1])).toThrow(InvalidArgumentError);
    expect(() => linearRegression([1, 2], [3, 3])).toThrow(InvalidArgumentError);
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(InvalidArgumentError);
  });
});
