import { checkAtLeast, checkClose, formatCheck } from './check.js';

describe('checks', () => {
  test('checkClose passes within the tolerance, on both sides, and never for NaN', () => {
    expect(checkClose('x', 67.2208, 67.22, 0.005, 'paper').pass).toBe(true);
    expect(checkClose('x', 67.2149, 67.22, 0.005, 'paper').pass).toBe(false);
    expect(checkClose('x', 67.2251, 67.22, 0.005, 'paper').pass).toBe(false);
    expect(checkClose('x', 754, 754, 0, 'count').pass).toBe(true);
    expect(checkClose('x', NaN, 0, 1, 'nan').pass).toBe(false);
  });

  test('checkAtLeast is one-sided', () => {
    expect(checkAtLeast('acc', 62.0, 63.57, 2, 'gen').pass).toBe(true);
    expect(checkAtLeast('acc', 99, 63.57, 2, 'gen').pass).toBe(true);
    expect(checkAtLeast('acc', 61.5, 63.57, 2, 'gen').pass).toBe(false);
    expect(checkAtLeast('acc', NaN, 0, 0, 'gen').pass).toBe(false);
  });

  test('formatCheck names the verdict, the value and the reference', () => {
    expect(formatCheck(checkClose('noise ceiling (%)', 67.2208, 67.22, 0.005, 'the paper'))).toBe('PASS  noise ceiling (%): 67.2208  (reference 67.2200 ± 0.00500000; the paper)');
    expect(formatCheck(checkAtLeast('r', 0.5, 0.8, 0, 'bound'))).toBe('FAIL  r: 0.500000  (reference ≥ 0.800000; bound)');
  });
});
